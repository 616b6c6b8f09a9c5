// Kubernetes name and label syntax (k8s.io/apimachinery/pkg/util/validation
// and pkg/api/validation/path), so that vipcast rejects what the API server
// would reject before a user finds out at `kubectl apply` time.
#pragma once

#include <string_view>

#include "engine/core/result.h"

namespace vipcast::config::detail {

enum class NameRule {
  kPathSegment,       // custom resources: not "." or "..", no '/' or '%'
  kDns1123Subdomain,  // Secret, Node, EndpointSlice
  kDns1123Label,      // Namespace
  kDns1035Label,      // Service (must start with a letter)
};

// Ok, or an error text such as `"My_Svc" must consist of lower case ...`.
core::Status<> CheckName(std::string_view name, NameRule rule);

// Label keys: an optional DNS-1123 subdomain prefix and '/', then a name of at
// most 63 characters of [A-Za-z0-9-_.] starting and ending alphanumeric.
// Annotation keys follow the same rule.
core::Status<> CheckLabelKey(std::string_view key);
// Label values: empty, or a name as above.
core::Status<> CheckLabelValue(std::string_view value);

}  // namespace vipcast::config::detail
