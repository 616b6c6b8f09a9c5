#include "engine/election/node_rules.h"

namespace vipcast::election {

std::optional<ExclusionReason> NodeRuleFailure(const config::Node& node,
                                               const ElectionOptions& options) {
  if (node.HasCondition(kConditionNetworkUnavailable)) return ExclusionReason::kNetworkUnavailable;
  if (!options.ignore_exclude_lb_label &&
      node.meta.labels.count(kLabelExcludeFromExternalLoadBalancers) != 0) {
    return ExclusionReason::kExcludeLabel;
  }
  return std::nullopt;
}

}  // namespace vipcast::election
