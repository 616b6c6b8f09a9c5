// MetalLB-compatible BGP metrics (metallb_bgp_*) plus vipcast's own
// per-message counters, reported as MetricChanged facts only when a value
// changes so that a runtime's registry stays in step without polling.
#pragma once

#include <map>
#include <string>
#include <utility>

#include "engine/core/io.h"

namespace vipcast::bgp {

inline constexpr char kMetricSessionUp[] = "metallb_bgp_session_up";
inline constexpr char kMetricUpdatesTotal[] = "metallb_bgp_updates_total";
inline constexpr char kMetricAnnounced[] = "metallb_bgp_announced_prefixes_total";
inline constexpr char kMetricPending[] = "metallb_bgp_pending_prefixes_total";
inline constexpr char kMetricSent[] = "vipcast_bgp_messages_sent_total";
inline constexpr char kMetricReceived[] = "vipcast_bgp_messages_received_total";
inline constexpr char kMetricNotifications[] = "vipcast_bgp_notifications_total";

// Invariant: value(name, labels) is the last value emitted for that series.
class MetricSet {
 public:
  void Set(const std::string& name, core::Labels labels, double value, core::Outbox& out);
  void Add(const std::string& name, core::Labels labels, double delta, core::Outbox& out);
  double value(const std::string& name, const core::Labels& labels) const;

 private:
  std::map<std::pair<std::string, core::Labels>, double> values_;
};

}  // namespace vipcast::bgp
