// vipcast-controller in file mode: manifests in, a status file out.
//
// Each pass reads the manifests; when their text changed (or on a forced
// pass) it validates them and, if valid, feeds the configuration and the
// services to one long-lived ipam::Allocator, whose change log (assigned,
// moved, released, pending) is returned for logging. The assignments are
// then written to the status file (status_yaml.h) when its bytes differ.
//
// Stability: the first accepted pass feeds the previous status file's
// addresses to the allocator as the services' status, exactly as MetalLB's
// controller reclaims status.loadBalancer.ingress after a restart, so a
// service keeps its address across restarts and unrelated changes; later
// passes keep what the allocator holds.
//
// Keep-last-good (config::ConfigStore): manifests with errors are rejected
// as a whole; the allocation and the status file stay as they were, byte
// for byte.
//
// Invariant: after a pass that returns without a write error, the status
// file holds the rendering of the allocator's current results (a file
// changed or removed behind the controller's back is rewritten).
#pragma once

#include <map>
#include <optional>
#include <string>
#include <vector>

#include "engine/config/model.h"
#include "engine/config/store.h"
#include "engine/core/io.h"
#include "engine/ipam/allocator.h"
#include "engine/ipam/options.h"
#include "engine/ipam/results.h"

namespace vipcast::controller_main {

struct ControllerOptions {
  std::vector<std::string> manifests;  // files or directories
  std::string status_file;
  ipam::AllocatorOptions allocator;
};

struct PassOutcome {
  bool read = false;           // the manifests were loaded (changed, or forced)
  bool accepted = false;       // they validated and were allocated
  bool invalid_input = false;  // unreadable or invalid manifests (kept the last good state)
  bool status_written = false;
  bool status_error = false;  // the status file could not be written (retried next pass)
  // Services that kept the address the previous status file gave them
  // (first accepted pass only); these are not listed in `changes`.
  size_t reclaimed = 0;
  bool previous_status_used = false;  // this pass read the previous status file
  std::vector<ipam::Change> changes;  // in operation order, at most one per service per step
  std::vector<std::string> errors;    // "file:line: ..." and I/O errors
  std::vector<std::string> warnings;
};

class Controller {
 public:
  explicit Controller(ControllerOptions options);

  // One pass; `force` loads the manifests even when their text is unchanged.
  PassOutcome Pass(bool force = false);

  // Sorted by service key: addresses, pool, or pending reason.
  std::vector<ipam::ServiceResult> Results() const { return allocator_.Results(); }
  // The allocator and configuration-state gauges (allocator_metrics.h).
  std::vector<core::MetricChanged> Metrics() const;
  bool loaded() const { return store_.loaded(); }
  bool stale() const { return store_.stale(); }

 private:
  void Apply(const std::vector<config::ManifestText>& texts, PassOutcome& out);
  // The previous status file's addresses, key -> IPs (empty when there is
  // none or it cannot be read).
  std::map<std::string, std::vector<core::IpAddr>> PreviousStatus(PassOutcome& out) const;

  ControllerOptions options_;
  config::ConfigStore store_;
  ipam::Allocator allocator_;
  std::optional<config::ClusterConfig> allocated_config_;  // last config given to the allocator
  bool reclaimed_ = false;  // the previous status file was fed to the allocator
  std::string last_text_;   // the manifests last loaded, to skip unchanged passes
  bool have_text_ = false;
  std::optional<std::string> rendered_;  // the status file's content, once allocated
};

}  // namespace vipcast::controller_main
