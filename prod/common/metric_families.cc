#include "prod/common/metric_families.h"

#include <string>

#include "engine/bfd/metrics.h"
#include "engine/bgp/metrics.h"
#include "engine/l2/counters.h"

namespace vipcast::prod {
namespace {

void Register(MetricsRegistry& registry, std::string_view name, MetricType type,
              std::string_view help) {
  registry.RegisterFamily({std::string(name), std::string(help), type});
}

}  // namespace

void RegisterEngineFamilies(MetricsRegistry& r) {
  using T = MetricType;
  // Layer 2 responder (label ip; MetalLB's names).
  Register(r, l2::kMetricRequestsReceived, T::kCounter,
           "ARP requests and IPv6 neighbor solicitations received for a VIP this node announces.");
  Register(r, l2::kMetricResponsesSent, T::kCounter,
           "ARP replies and neighbor advertisements sent in answer to requests for a VIP.");
  Register(r, l2::kMetricGratuitousSent, T::kCounter,
           "Gratuitous ARP and unsolicited neighbor advertisement frames sent for a VIP when "
           "this node took it over.");
  Register(r, l2::kMetricConflictsSeen, T::kCounter,
           "Frames from another station claiming a VIP this node announces.");
  Register(r, l2::kMetricMalformedFrames, T::kCounter,
           "Malformed ARP or NDP frames dropped, by reason.");

  // BGP sessions (label peer; MetalLB's names, then vipcast's).
  Register(r, bgp::kMetricSessionUp, T::kGauge,
           "1 while the BGP session with the peer is Established, else 0.");
  Register(r, bgp::kMetricUpdatesTotal, T::kCounter, "BGP UPDATE messages sent to the peer.");
  Register(r, bgp::kMetricAnnounced, T::kGauge, "Prefixes currently advertised to the peer.");
  Register(r, bgp::kMetricPending, T::kGauge, "Prefixes waiting to be advertised to the peer.");
  Register(r, bgp::kMetricSent, T::kCounter, "BGP messages sent, by peer and message type.");
  Register(r, bgp::kMetricReceived, T::kCounter,
           "BGP messages received, by peer and message type.");
  Register(r, bgp::kMetricNotifications, T::kCounter,
           "BGP NOTIFICATION messages sent or received, by peer, direction and error code.");

  // BFD (label peer; MetalLB's FRR-mode names).
  Register(r, bfd::kMetricSessionUp, T::kGauge, "1 while the BFD session with the peer is Up.");
  Register(r, bfd::kMetricControlPacketInput, T::kCounter,
           "BFD control packets received from the peer.");
  Register(r, bfd::kMetricControlPacketOutput, T::kCounter,
           "BFD control packets sent to the peer.");
  Register(r, bfd::kMetricEchoPacketInput, T::kCounter,
           "BFD echo packets received from the peer (always 0: echo is not implemented).");
  Register(r, bfd::kMetricEchoPacketOutput, T::kCounter,
           "BFD echo packets sent to the peer (always 0: echo is not implemented).");
  Register(r, bfd::kMetricSessionUpEvents, T::kCounter,
           "Times the BFD session with the peer went Up.");
  Register(r, bfd::kMetricSessionDownEvents, T::kCounter,
           "Times the BFD session with the peer went Down.");
  Register(r, bfd::kMetricZebraNotifications, T::kCounter,
           "Kept for MetalLB dashboards; always 0 (vipcast has no zebra daemon).");
  Register(r, bfd::kMetricPacketsDropped, T::kCounter,
           "BFD packets discarded before reaching a session, by reason.");

  // Membership (vipcast's own).
  Register(r, "vipcast_membership_members", T::kGauge,
           "Members of the speaker cluster as this node sees them, by state.");
  Register(r, "vipcast_membership_messages_sent_total", T::kCounter,
           "Membership messages sent, by type.");
  Register(r, "vipcast_membership_messages_received_total", T::kCounter,
           "Membership messages received and accepted, by type.");
  Register(r, "vipcast_membership_bytes_sent_total", T::kCounter,
           "Bytes of membership datagrams sent.");
  Register(r, "vipcast_membership_dropped_total", T::kCounter,
           "Membership datagrams or updates dropped, by reason.");
  Register(r, "vipcast_membership_refutations_total", T::kCounter,
           "Times this node refuted a suspicion about itself.");
  Register(r, "vipcast_membership_probe_failures_total", T::kCounter,
           "Failure-detector probes that got no acknowledgement.");
  Register(r, "vipcast_membership_changes_dropped_total", T::kCounter,
           "Membership changes lost because the change backlog was full.");
  Register(r, "vipcast_membership_health_score", T::kGauge,
           "Local health score (0 is healthy; higher slows this node's failure detector).");
  Register(r, "vipcast_membership_incarnation", T::kGauge,
           "This node's incarnation number in the membership protocol.");

  // Speaker composition.
  Register(r, "vipcast_speaker_announced_vips", T::kGauge,
           "Layer 2 VIPs this node currently announces.");
}

namespace {

void RegisterClientFamilies(MetricsRegistry& r) {
  using T = MetricType;
  Register(r, kMetricConfigLoaded, T::kGauge,
           "1 once a configuration has been loaded successfully, else 0.");
  Register(r, kMetricConfigStale, T::kGauge,
           "1 while the latest configuration was rejected and the last good one is in force.");
  Register(r, kMetricClientUpdates, T::kCounter,
           "Configuration updates (changed manifests or status file) processed.");
  Register(r, kMetricClientUpdateErrors, T::kCounter, "Configuration updates rejected as invalid.");
}

}  // namespace

void RegisterSpeakerFamilies(MetricsRegistry& r) {
  Register(r, kMetricSpeakerAnnounced, MetricType::kGauge,
           "1 for each service VIP this node announces, by protocol; the desired state, not a "
           "promise that routers or clients have converged.");
  RegisterClientFamilies(r);
}

void RegisterControllerFamilies(MetricsRegistry& r) {
  // MetalLB's names end in _total although they are gauges (see the header).
  using T = MetricType;
  Register(r, kMetricPoolAddresses, T::kGauge, "Usable addresses in the pool.");
  Register(r, kMetricPoolIpv4Addresses, T::kGauge, "Usable IPv4 addresses in the pool.");
  Register(r, kMetricPoolIpv6Addresses, T::kGauge, "Usable IPv6 addresses in the pool.");
  Register(r, kMetricPoolAddressesInUse, T::kGauge, "Addresses of the pool assigned to services.");
  Register(r, kMetricPoolIpv4AddressesInUse, T::kGauge,
           "IPv4 addresses of the pool assigned to services.");
  Register(r, kMetricPoolIpv6AddressesInUse, T::kGauge,
           "IPv6 addresses of the pool assigned to services.");
  Register(r, kMetricPoolServicesAllocated, T::kGauge,
           "Services holding at least one address of the pool.");
  RegisterClientFamilies(r);
}

}  // namespace vipcast::prod
