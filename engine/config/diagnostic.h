// A problem found while loading or validating manifests, pointing at the
// exact place: file, line, resource and field path.
#pragma once

#include <string>
#include <vector>

namespace vipcast::config {

enum class Severity { kError, kWarning };

struct Diagnostic {
  Severity severity = Severity::kError;
  std::string file;
  int line = 0;
  std::string kind;        // "IPAddressPool"; empty for file-level problems
  std::string namespace_;  // may be empty
  std::string name;        // may be empty
  std::string field;       // "spec.addresses[1]"; empty for object-level problems
  std::string message;

  // "pools.yaml:7: IPAddressPool metallb-system/first-pool: spec.addresses[1]:
  // range 192.168.1.250-192.168.1.240 ends before it starts"; warnings carry
  // "warning: " before the message.
  std::string ToString() const;
  bool operator==(const Diagnostic&) const = default;
};

bool HasErrors(const std::vector<Diagnostic>& diagnostics);

}  // namespace vipcast::config
