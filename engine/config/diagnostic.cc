#include "engine/config/diagnostic.h"

#include <algorithm>

namespace vipcast::config {

std::string Diagnostic::ToString() const {
  std::string out = file.empty() ? std::string("<input>") : file;
  if (line > 0) out += ":" + std::to_string(line);
  out += ": ";
  if (!kind.empty()) {
    out += kind;
    if (!name.empty()) out += " " + (namespace_.empty() ? name : namespace_ + "/" + name);
    out += ": ";
  }
  if (!field.empty()) out += field + ": ";
  if (severity == Severity::kWarning) out += "warning: ";
  out += message;
  return out;
}

bool HasErrors(const std::vector<Diagnostic>& diagnostics) {
  return std::any_of(diagnostics.begin(), diagnostics.end(),
                     [](const Diagnostic& d) { return d.severity == Severity::kError; });
}

}  // namespace vipcast::config
