// The name of a Kubernetes Node: an RFC 1123 DNS subdomain (lower-case
// alphanumerics, '-' and '.', at most 253 characters, alphanumeric at both ends).
#pragma once

#include <compare>
#include <string>
#include <string_view>

#include "engine/core/result.h"

namespace vipcast::core {

class NodeName {
 public:
  NodeName() = default;
  static Result<NodeName> Parse(std::string_view text);
  const std::string& str() const { return name_; }
  const std::string& ToString() const { return name_; }
  auto operator<=>(const NodeName&) const = default;

 private:
  explicit NodeName(std::string name) : name_(std::move(name)) {}
  std::string name_;
};

// The Kubernetes DNS-1123 subdomain rule, shared by node, object and namespace
// names. Returns an error text naming the first problem.
Status<> CheckDns1123Subdomain(std::string_view text);
// The DNS-1123 label rule (at most 63 characters, no dots): namespaces.
Status<> CheckDns1123Label(std::string_view text);

}  // namespace vipcast::core
