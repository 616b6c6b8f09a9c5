// The rules about a node alone, whatever the service (MetalLB
// speakersForAds: internal/k8s/nodes IsNetworkUnavailable and
// IsNodeExcludedFromBalancers).
#pragma once

#include <optional>

#include "engine/config/model.h"
#include "engine/election/exclusion.h"
#include "engine/election/options.h"

namespace vipcast::election {

// The first node-level rule the node fails: a NetworkUnavailable condition
// with status "True" (Unknown or False don't exclude), then the
// exclude-from-external-load-balancers label (any value, even empty).
std::optional<ExclusionReason> NodeRuleFailure(const config::Node& node,
                                               const ElectionOptions& options);

}  // namespace vipcast::election
