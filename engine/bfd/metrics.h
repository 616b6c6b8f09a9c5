// MetalLB's BFD metrics (FRR mode, "metallb_bfd_*", label "peer") as the BFD
// engine maintains them, plus vipcast's own drop counter.
//
// metallb_bfd_zebra_notifications stays 0: in MetalLB it counts FRR bfdd's
// notifications to zebra, the daemon through which bgpd learns that a BFD
// session went down. vipcast has no zebra; BGP learns of BFD state in-process
// (BfdEngine::DrainStateChanges), so there is nothing to count. The series is
// still exported so that MetalLB dashboards and alerts find it.
// metallb_bfd_echo_packet_input/output stay 0 because the Echo function is
// not implemented.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

#include "engine/core/io.h"

namespace vipcast::bfd {

inline constexpr std::string_view kMetricSessionUp = "metallb_bfd_session_up";
inline constexpr std::string_view kMetricControlPacketInput = "metallb_bfd_control_packet_input";
inline constexpr std::string_view kMetricControlPacketOutput = "metallb_bfd_control_packet_output";
inline constexpr std::string_view kMetricEchoPacketInput = "metallb_bfd_echo_packet_input";
inline constexpr std::string_view kMetricEchoPacketOutput = "metallb_bfd_echo_packet_output";
inline constexpr std::string_view kMetricSessionUpEvents = "metallb_bfd_session_up_events";
inline constexpr std::string_view kMetricSessionDownEvents = "metallb_bfd_session_down_events";
inline constexpr std::string_view kMetricZebraNotifications = "metallb_bfd_zebra_notifications";
// vipcast-only: received datagrams discarded before reaching a session, by
// reason (codec DecodeErrorKind names, "no_session", "ttl", "address").
inline constexpr std::string_view kMetricPacketsDropped = "vipcast_bfd_packets_dropped_total";

// Per-session counters behind the metallb_bfd_* series.
struct SessionCounters {
  uint64_t control_packet_input = 0;
  uint64_t control_packet_output = 0;
  uint64_t session_up_events = 0;
  uint64_t session_down_events = 0;
  uint64_t dropped_ttl = 0;  // RFC 5881 5 / minimum TTL discards for this session
  bool operator==(const SessionCounters&) const = default;
};

// Emits one MetricChanged with label peer=`peer`.
void EmitPeerMetric(core::Outbox& out, std::string_view name, const std::string& peer,
                    double value);
// Emits every metallb_bfd_* series of a session (on creation).
void EmitAllPeerMetrics(core::Outbox& out, const std::string& peer, bool up,
                        const SessionCounters& counters);

}  // namespace vipcast::bfd
