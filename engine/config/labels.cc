#include "engine/config/labels.h"

#include <algorithm>

namespace vipcast::config {

bool LabelSelector::Matches(const LabelMap& labels) const {
  for (const auto& [key, value] : match_labels) {
    auto it = labels.find(key);
    if (it == labels.end() || it->second != value) return false;
  }
  for (const auto& req : match_expressions) {
    auto it = labels.find(req.key);
    const bool has = it != labels.end();
    const bool in_values =
        has && std::find(req.values.begin(), req.values.end(), it->second) != req.values.end();
    switch (req.op) {
      case SelectorOperator::kIn:
        if (!in_values) return false;
        break;
      case SelectorOperator::kNotIn:
        if (in_values) return false;
        break;
      case SelectorOperator::kExists:
        if (!has) return false;
        break;
      case SelectorOperator::kDoesNotExist:
        if (has) return false;
        break;
    }
  }
  return true;
}

bool AnySelectorMatches(const std::vector<LabelSelector>& selectors, const LabelMap& labels) {
  if (selectors.empty()) return true;
  return std::any_of(selectors.begin(), selectors.end(),
                     [&](const LabelSelector& s) { return s.Matches(labels); });
}

}  // namespace vipcast::config
