#include "engine/config/store.h"

namespace vipcast::config {

ConfigStore::ConfigStore() : current_(std::make_shared<const Resources>()) {}

bool ConfigStore::Apply(Resources resources, std::vector<Diagnostic> diagnostics) {
  diagnostics_ = std::move(diagnostics);
  if (HasErrors(diagnostics_)) {
    stale_ = true;
    return false;
  }
  current_ = std::make_shared<const Resources>(std::move(resources));
  ++generation_;
  stale_ = false;
  loaded_ = true;
  return true;
}

bool ConfigStore::Apply(LoadResult result) {
  return Apply(std::move(result.resources), std::move(result.diagnostics));
}

std::vector<Diagnostic> ConfigStore::errors() const {
  std::vector<Diagnostic> out;
  for (const auto& d : diagnostics_) {
    if (d.severity == Severity::kError) out.push_back(d);
  }
  return out;
}

}  // namespace vipcast::config
