// What the responder counts. Per-VIP counters carry MetalLB's metric names
// (internal/layer2/stats.go) so dashboards built for MetalLB keep working;
// drop counters say why a frame got no answer.
#pragma once

#include <cstdint>
#include <string_view>

namespace vipcast::l2 {

// MetalLB's names and label, emitted as MetricChanged{name, {{"ip", vip}}}.
inline constexpr std::string_view kMetricRequestsReceived = "metallb_layer2_requests_received";
inline constexpr std::string_view kMetricResponsesSent = "metallb_layer2_responses_sent";
inline constexpr std::string_view kMetricGratuitousSent = "metallb_layer2_gratuitous_sent";
// Ours: frames from another station claiming a VIP we own (split brain or a
// misconfigured host), labelled by ip.
inline constexpr std::string_view kMetricConflictsSeen = "vipcast_layer2_conflicts_seen";
// Ours: malformed ARP/NDP frames dropped, labelled by reason
// (wire::ToString(L2Error)).
inline constexpr std::string_view kMetricMalformedFrames = "vipcast_layer2_malformed_frames";

struct VipCounters {
  // Requests (ARP request, NS) for this VIP that we decided to answer,
  // counted as MetalLB does: after the ownership and destination checks.
  uint64_t requests_received = 0;
  uint64_t responses_sent = 0;
  // Gratuitous frames, one per frame as MetalLB counts: two per ARP round
  // (request + reply), one per NDP round (unsolicited NA).
  uint64_t gratuitous_sent = 0;
  uint64_t conflicts_seen = 0;
  bool operator==(const VipCounters&) const = default;
};

// Why a received frame got no answer (besides being malformed, which is
// counted by wire::L2Error).
enum class DropReason : uint8_t {
  kUnknownInterface,      // FrameReceived on an interface SetInterfaces never named
  kInterfaceDown,         // ... or one that is down
  kNotAddressResolution,  // not ARP or NS/NA (IPv4, ICMPv6 echo, InARP, ...)
  kNotRequest,            // an ARP reply or a Neighbor Advertisement
  kEthernetDestination,   // unicast to another station's MAC
  kIpDestination,         // NS to neither the target nor its solicited-node group
  kNotOwned,              // target is not one of our VIPs
  kNotOnInterface,        // our VIP, but not announced on this interface
  kInvalidSender,         // reply would go to a multicast or zero MAC
  kOwnFrame,              // our own announcement looped back
  kConflict,              // another station claims our VIP (counted per VIP too)
};

inline constexpr DropReason kAllDropReasons[] = {
    DropReason::kUnknownInterface,
    DropReason::kInterfaceDown,
    DropReason::kNotAddressResolution,
    DropReason::kNotRequest,
    DropReason::kEthernetDestination,
    DropReason::kIpDestination,
    DropReason::kNotOwned,
    DropReason::kNotOnInterface,
    DropReason::kInvalidSender,
    DropReason::kOwnFrame,
    DropReason::kConflict,
};

// Stable snake_case label, e.g. "not_owned".
std::string_view ToString(DropReason reason);

}  // namespace vipcast::l2
