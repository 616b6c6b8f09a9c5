// Kubernetes labels and label selectors, evaluated exactly as
// k8s.io/apimachinery's metav1.LabelSelectorAsSelector does.
#pragma once

#include <map>
#include <string>
#include <vector>

namespace vipcast::config {

using LabelMap = std::map<std::string, std::string>;

enum class SelectorOperator { kIn, kNotIn, kExists, kDoesNotExist };

struct LabelSelectorRequirement {
  std::string key;
  SelectorOperator op = SelectorOperator::kIn;
  std::vector<std::string> values;
  bool operator==(const LabelSelectorRequirement&) const = default;
};

// Invariant (checked by validation, not here): In/NotIn carry at least one
// value; Exists/DoesNotExist carry none.
struct LabelSelector {
  LabelMap match_labels;
  std::vector<LabelSelectorRequirement> match_expressions;

  // An empty selector matches everything (Kubernetes semantics for a
  // non-nil, empty LabelSelector). NotIn and DoesNotExist match objects
  // without the key.
  bool Matches(const LabelMap& labels) const;
  bool Empty() const { return match_labels.empty() && match_expressions.empty(); }
  bool operator==(const LabelSelector&) const = default;
};

// MetalLB's list-of-selectors fields (nodeSelectors, serviceSelectors,
// ipAddressPoolSelectors, namespaceSelectors): an empty list matches
// everything, otherwise any one selector matching is enough.
bool AnySelectorMatches(const std::vector<LabelSelector>& selectors, const LabelMap& labels);

}  // namespace vipcast::config
