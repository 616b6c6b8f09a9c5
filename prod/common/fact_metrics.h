// FactMetrics: keeps a MetricsRegistry in step with the facts an engine
// reports through the runtime's FactSink:
//  - MetricChanged: the series' last value (the engine's own counters);
//  - VipAnnounced / VipWithdrawn: metallb_speaker_announced{ip,node,protocol,
//    service} is 1 while the VIP is announced and the series is removed on
//    withdrawal, as MetalLB's speaker does (a withdrawn VIP has no series,
//    rather than a 0), so `metallb_speaker_announced == 1` lists exactly the
//    announced VIPs.
// Other actions are ignored. It makes no decision of its own.
#pragma once

#include <string>

#include "engine/core/io.h"
#include "prod/common/metrics_registry.h"

namespace vipcast::prod {

class FactMetrics {
 public:
  // `registry` must outlive this; `node` is this node's name (label node).
  FactMetrics(MetricsRegistry& registry, std::string node);

  void Record(const core::Action& fact);

 private:
  core::Labels AnnouncedLabels(const core::IpAddr& vip, const std::string& service,
                               core::AnnounceMode mode) const;

  MetricsRegistry& registry_;
  std::string node_;
};

// "layer2" or "bgp", MetalLB's protocol label values.
std::string_view ProtocolLabel(core::AnnounceMode mode);

}  // namespace vipcast::prod
