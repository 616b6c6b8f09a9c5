// The configuration in force, with MetalLB's keep-last-good rule: "an invalid
// configuration is discarded and MetalLB keeps the last valid one"
// (website, configuration/_index.md, "Configuration validation").
#pragma once

#include <cstdint>
#include <memory>
#include <vector>

#include "engine/config/diagnostic.h"
#include "engine/config/loader.h"
#include "engine/config/model.h"

namespace vipcast::config {

// Invariants: current() never changes on a rejected Apply; generation()
// counts accepted Applys; stale() is true exactly when the latest Apply was
// rejected; loaded() is true once any Apply was accepted. These drive
// metallb_k8s_client_config_loaded_bool and metallb_k8s_client_config_stale_bool.
class ConfigStore {
 public:
  ConfigStore();

  // Accepts `resources` when `diagnostics` holds no error; otherwise keeps the
  // previous configuration and remembers the diagnostics. Returns whether the
  // configuration was accepted.
  bool Apply(Resources resources, std::vector<Diagnostic> diagnostics);
  bool Apply(LoadResult result);

  // The configuration in force: an empty Resources before the first accepted
  // Apply. The pointer stays valid (and its contents unchanged) for as long
  // as the caller holds it, whatever is applied later.
  std::shared_ptr<const Resources> current() const { return current_; }
  uint64_t generation() const { return generation_; }
  bool stale() const { return stale_; }
  bool loaded() const { return loaded_; }
  // The diagnostics of the latest Apply: its errors when rejected, its
  // warnings when accepted.
  const std::vector<Diagnostic>& diagnostics() const { return diagnostics_; }
  // Only the errors of the latest Apply (empty when it was accepted).
  std::vector<Diagnostic> errors() const;

 private:
  std::shared_ptr<const Resources> current_;
  std::vector<Diagnostic> diagnostics_;
  uint64_t generation_ = 0;
  bool stale_ = false;
  bool loaded_ = false;
};

}  // namespace vipcast::config
