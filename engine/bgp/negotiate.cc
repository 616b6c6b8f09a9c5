#include "engine/bgp/negotiate.h"

#include <algorithm>

namespace vipcast::bgp {

namespace wb = wire::bgp;

wb::OpenMessage BuildOpen(const LocalCapabilities& local) {
  wb::OpenMessage open;
  // RFC 6793 4.1: AS_TRANS in My AS when ours needs 4 octets.
  open.my_as = local.asn.Fits2Octets() ? static_cast<uint16_t>(local.asn.value())
                                       : static_cast<uint16_t>(core::Asn::Trans().value());
  open.hold_time = static_cast<uint16_t>(std::min<int64_t>(local.hold_time.seconds(), 65535));
  open.bgp_identifier = local.router_id;
  wb::CapabilityParameter p;
  if (local.ipv4) p.capabilities.push_back(wb::MultiprotocolCapability{wb::kAfiIpv4, 0, 1});
  if (local.ipv6) p.capabilities.push_back(wb::MultiprotocolCapability{wb::kAfiIpv6, 0, 1});
  p.capabilities.push_back(wb::RouteRefreshCapability{});
  p.capabilities.push_back(wb::EnhancedRouteRefreshCapability{});
  p.capabilities.push_back(wb::FourOctetAsCapability{local.asn});
  if (local.extended_message) p.capabilities.push_back(wb::ExtendedMessageCapability{});
  if (local.graceful_restart) {
    wb::GracefulRestartCapability gr;
    gr.flags = local.restarting ? wb::GracefulRestartCapability::kRestartStateBit : 0;
    gr.restart_time = static_cast<uint16_t>(std::min<int64_t>(local.restart_time.seconds(), 4095));
    // RFC 4724 3: F bit. The data plane (the nodes' own addresses) survives a
    // speaker restart, so forwarding state is always preserved.
    if (local.ipv4) {
      gr.families.push_back({wb::kAfiIpv4, 1, wb::GracefulRestartCapability::kForwardingStateBit});
    }
    if (local.ipv6) {
      gr.families.push_back({wb::kAfiIpv6, 1, wb::GracefulRestartCapability::kForwardingStateBit});
    }
    p.capabilities.push_back(gr);
  }
  open.parameters.push_back(std::move(p));
  return open;
}

Negotiated Negotiate(const LocalCapabilities& local, const wb::OpenMessage& peer) {
  Negotiated n;
  bool peer_v4 = false, peer_v6 = false, any_mp = false;
  for (const auto& c : peer.Capabilities()) {
    if (const auto* mp = std::get_if<wb::MultiprotocolCapability>(&c)) {
      any_mp = true;
      if (mp->safi == wb::kSafiUnicast && mp->afi == wb::kAfiIpv4) peer_v4 = true;
      if (mp->safi == wb::kSafiUnicast && mp->afi == wb::kAfiIpv6) peer_v6 = true;
    }
  }
  // RFC 4760 8: a peer without any multiprotocol capability speaks IPv4
  // unicast only.
  if (!any_mp) peer_v4 = true;
  n.ipv4 = local.ipv4 && peer_v4;
  n.ipv6 = local.ipv6 && peer_v6;
  n.route_refresh = peer.Find<wb::RouteRefreshCapability>() != nullptr;
  n.enhanced_route_refresh = peer.Find<wb::EnhancedRouteRefreshCapability>() != nullptr;
  n.options.four_octet_as = peer.Find<wb::FourOctetAsCapability>() != nullptr;
  n.options.extended_message =
      local.extended_message && peer.Find<wb::ExtendedMessageCapability>() != nullptr;
  int64_t ours = std::min<int64_t>(local.hold_time.seconds(), 65535);
  n.hold_time = core::Duration::Seconds(std::min<int64_t>(ours, peer.hold_time));
  if (local.graceful_restart) {
    if (const auto* gr = peer.Find<wb::GracefulRestartCapability>()) n.peer_graceful_restart = *gr;
  }
  return n;
}

}  // namespace vipcast::bgp
