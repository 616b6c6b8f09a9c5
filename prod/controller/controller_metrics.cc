#include "prod/controller/controller_metrics.h"

#include "prod/common/metric_families.h"

namespace vipcast::controller_main {

ControllerMetrics::ControllerMetrics(prod::MetricsRegistry& registry) : registry_(registry) {
  prod::RegisterControllerFamilies(registry_);
  registry_.Set(prod::kMetricConfigLoaded, {}, 0);
  registry_.Set(prod::kMetricConfigStale, {}, 0);
  registry_.Set(prod::kMetricClientUpdates, {}, 0);
  registry_.Set(prod::kMetricClientUpdateErrors, {}, 0);
}

void ControllerMetrics::Record(const PassOutcome& pass,
                               const std::vector<core::MetricChanged>& gauges) {
  // File mode's counterpart of MetalLB's k8s client metrics: one update per
  // pass that loaded changed (or forced) manifests, or could not read them.
  if (pass.read || pass.invalid_input) registry_.Add(prod::kMetricClientUpdates, {}, 1);
  if (pass.invalid_input) registry_.Add(prod::kMetricClientUpdateErrors, {}, 1);

  std::set<std::pair<std::string, core::Labels>> now;
  for (const core::MetricChanged& g : gauges) {
    registry_.Apply(g);
    now.emplace(g.name, g.labels);
  }
  for (const auto& [name, labels] : published_) {
    if (!now.count({name, labels})) registry_.Remove(name, labels);
  }
  published_ = std::move(now);
}

}  // namespace vipcast::controller_main
