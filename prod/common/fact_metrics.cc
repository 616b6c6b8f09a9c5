#include "prod/common/fact_metrics.h"

#include <utility>
#include <variant>

#include "prod/common/metric_families.h"

namespace vipcast::prod {

std::string_view ProtocolLabel(core::AnnounceMode mode) {
  switch (mode) {
    case core::AnnounceMode::kLayer2:
      return "layer2";
    case core::AnnounceMode::kBgp:
      return "bgp";
  }
  return "layer2";
}

FactMetrics::FactMetrics(MetricsRegistry& registry, std::string node)
    : registry_(registry), node_(std::move(node)) {}

core::Labels FactMetrics::AnnouncedLabels(const core::IpAddr& vip, const std::string& service,
                                          core::AnnounceMode mode) const {
  return {{"ip", vip.ToString()},
          {"node", node_},
          {"protocol", std::string(ProtocolLabel(mode))},
          {"service", service}};
}

void FactMetrics::Record(const core::Action& fact) {
  if (const auto* m = std::get_if<core::MetricChanged>(&fact)) {
    registry_.Apply(*m);
  } else if (const auto* a = std::get_if<core::VipAnnounced>(&fact)) {
    registry_.Set(kMetricSpeakerAnnounced, AnnouncedLabels(a->vip, a->service, a->mode), 1);
  } else if (const auto* w = std::get_if<core::VipWithdrawn>(&fact)) {
    registry_.Remove(kMetricSpeakerAnnounced, AnnouncedLabels(w->vip, w->service, w->mode));
  }
}

}  // namespace vipcast::prod
