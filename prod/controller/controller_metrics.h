// vipcast-controller's /metrics content: after every pass, the allocator and
// configuration-state gauges (allocator_metrics.h) and the
// metallb_k8s_client_* update counters, kept in a prod::MetricsRegistry.
//
// Invariant: after Record, the registry holds exactly the gauge series of
// the last call (plus the counters and whatever else the process keeps
// there): a series published before and absent now, such as those of a
// pool removed from the manifests, is removed, as MetalLB's controller
// deletes a deleted pool's series (internal/allocator/stats.go
// deleteStatsFor), so no dashboard shows a pool that no longer exists.
#pragma once

#include <set>
#include <string>
#include <utility>
#include <vector>

#include "engine/core/io.h"
#include "prod/common/metrics_registry.h"
#include "prod/controller/controller.h"

namespace vipcast::controller_main {

class ControllerMetrics {
 public:
  // Registers the controller's families and the client series at 0, so
  // that they are present from the first scrape, as MetalLB's are.
  explicit ControllerMetrics(prod::MetricsRegistry& registry);

  // `pass` counts as one configuration update when it read the manifests (or
  // failed to), and as an update error when they were unreadable or invalid;
  // `gauges` (Controller::Metrics()) replace the previous pass's gauges.
  void Record(const PassOutcome& pass, const std::vector<core::MetricChanged>& gauges);

 private:
  prod::MetricsRegistry& registry_;
  std::set<std::pair<std::string, core::Labels>> published_;  // gauge series set last time
};

}  // namespace vipcast::controller_main
