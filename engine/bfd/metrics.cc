#include "engine/bfd/metrics.h"

namespace vipcast::bfd {

void EmitPeerMetric(core::Outbox& out, std::string_view name, const std::string& peer,
                    double value) {
  out.Emit(core::MetricChanged{std::string(name), {{"peer", peer}}, value});
}

void EmitAllPeerMetrics(core::Outbox& out, const std::string& peer, bool up,
                        const SessionCounters& counters) {
  EmitPeerMetric(out, kMetricSessionUp, peer, up ? 1 : 0);
  EmitPeerMetric(out, kMetricControlPacketInput, peer,
                 static_cast<double>(counters.control_packet_input));
  EmitPeerMetric(out, kMetricControlPacketOutput, peer,
                 static_cast<double>(counters.control_packet_output));
  EmitPeerMetric(out, kMetricEchoPacketInput, peer, 0);
  EmitPeerMetric(out, kMetricEchoPacketOutput, peer, 0);
  EmitPeerMetric(out, kMetricSessionUpEvents, peer,
                 static_cast<double>(counters.session_up_events));
  EmitPeerMetric(out, kMetricSessionDownEvents, peer,
                 static_cast<double>(counters.session_down_events));
  EmitPeerMetric(out, kMetricZebraNotifications, peer, 0);
}

}  // namespace vipcast::bfd
