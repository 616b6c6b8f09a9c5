#include "engine/bgp/policy.h"

#include <algorithm>

namespace vipcast::bgp {

namespace {

const config::IPAddressPool* FindPool(const config::ClusterConfig& config,
                                      const std::string& name) {
  for (const auto& p : config.pools) {
    if (p.meta.name == name) return &p;
  }
  return nullptr;
}

// MetalLB: empty ipAddressPools and ipAddressPoolSelectors select every pool.
bool SelectsPool(const config::BGPAdvertisement& ad, const config::ClusterConfig& config,
                 const std::string& pool) {
  if (ad.ip_address_pools.empty() && ad.ip_address_pool_selectors.empty()) return true;
  if (std::find(ad.ip_address_pools.begin(), ad.ip_address_pools.end(), pool) !=
      ad.ip_address_pools.end()) {
    return true;
  }
  const config::IPAddressPool* p = FindPool(config, pool);
  if (p == nullptr || ad.ip_address_pool_selectors.empty()) return false;
  return config::AnySelectorMatches(ad.ip_address_pool_selectors, p->meta.labels);
}

bool SelectsPeer(const config::BGPAdvertisement& ad, const std::string& peer) {
  return ad.peers.empty() || std::find(ad.peers.begin(), ad.peers.end(), peer) != ad.peers.end();
}

template <typename T>
void InsertSorted(std::vector<T>& v, const T& value) {
  auto it = std::lower_bound(v.begin(), v.end(), value);
  if (it == v.end() || *it != value) v.insert(it, value);
}

// RFC 2385 key of a peer: spec.password, or the Secret spec.passwordSecret
// names (the same lookup as config validation's).
std::string PeerPassword(const config::ClusterConfig& config, const config::BGPPeer& peer) {
  if (!peer.password_secret) return peer.password;
  const config::SecretReference& ref = *peer.password_secret;
  const std::string& ns = ref.namespace_.empty() ? peer.meta.namespace_ : ref.namespace_;
  for (const config::Secret& secret : config.secrets) {
    if (secret.meta.namespace_ != ns || secret.meta.name != ref.name) continue;
    if (secret.type != "kubernetes.io/basic-auth") return "";
    auto it = secret.data.find("password");
    return it == secret.data.end() ? "" : it->second;
  }
  return "";
}

}  // namespace

bool IsInternalPeer(const config::BGPPeer& peer) {
  if (peer.peer_asn) return *peer.peer_asn == peer.my_asn;
  return peer.dynamic_asn == config::DynamicAsn::kInternal;
}

std::vector<const config::BGPPeer*> SelectPeers(const config::ClusterConfig& config,
                                                const NodeIdentity& node) {
  std::vector<const config::BGPPeer*> out;
  for (const auto& p : config.bgp_peers) {
    if (config::AnySelectorMatches(p.node_selectors, node.labels)) out.push_back(&p);
  }
  return out;
}

SessionConfig SessionConfigFor(const config::ClusterConfig& config, const config::BGPPeer& peer,
                               core::RouterId default_router_id) {
  SessionConfig s;
  s.name = peer.meta.name;
  s.local.asn = peer.my_asn;
  s.local.router_id = peer.router_id.value_or(default_router_id);
  s.local.hold_time = peer.EffectiveHoldTime();
  s.local.graceful_restart = peer.enable_graceful_restart;
  s.local.ipv4 = true;
  s.local.ipv6 = !peer.disable_mp || (peer.peer_address && peer.peer_address->is_v6());
  s.peer_as = peer.peer_asn;
  s.dynamic_as = peer.dynamic_asn;
  if (peer.peer_address) s.remote = core::Endpoint{*peer.peer_address, peer.peer_port};
  s.source_address = peer.source_address;
  s.keepalive_time = peer.keepalive_time;
  if (peer.connect_time) s.connect_retry_time = *peer.connect_time;
  s.password = PeerPassword(config, peer);
  // RFC 5082 (GTSM) on single-hop eBGP, send side only: TTL 255. A peer
  // running GTSM (FRR `ttl-security hops 1`, IOS/Junos ttl-security) drops
  // segments with a TTL below 254, so the classic eBGP TTL of 1 never gets
  // through; a peer without GTSM checks no TTL, so 255 connects to both
  // (MetalLB's FRR mode sends 1, its native mode the host default). The check
  // of received TTLs (min_ttl 254) stays off: metallb.io BGPPeer has no field
  // for it, GTSM is configured on both ends by hand (RFC 5082 2.1), and it
  // would refuse every router that sends TTL 1, the eBGP default of FRR, BIRD
  // and GoBGP. iBGP and ebgpMultiHop keep the host default.
  s.ttl = (IsInternalPeer(peer) || peer.ebgp_multi_hop) ? 64 : 255;
  return s;
}

std::map<std::string, RibOut> DesiredRoutes(const config::ClusterConfig& config,
                                            const NodeIdentity& node,
                                            const std::vector<AnnouncedService>& services) {
  std::map<std::string, RibOut> out;
  std::vector<const config::BGPPeer*> peers = SelectPeers(config, node);
  for (const config::BGPPeer* peer : peers) out[peer->meta.name];
  for (const auto& svc : services) {
    if (svc.local_traffic_policy && !svc.has_ready_endpoint_here) continue;
    for (const auto& ad : config.bgp_advertisements) {
      if (!SelectsPool(ad, config, svc.pool)) continue;
      if (!config::AnySelectorMatches(ad.node_selectors, node.labels)) continue;
      if (!config::AnySelectorMatches(ad.service_selectors, svc.labels)) continue;
      for (const core::IpAddr& vip : svc.vips) {
        int length = vip.is_v4() ? ad.aggregation_length : ad.aggregation_length_v6;
        auto prefix = core::Prefix::Make(vip, std::min(length, vip.BitLength()));
        if (!prefix.ok()) continue;
        for (const config::BGPPeer* peer : peers) {
          if (!SelectsPeer(ad, peer->meta.name)) continue;
          RouteAttributes& r = out[peer->meta.name][*prefix];
          // Communities of every advertisement that selects the prefix are
          // merged (MetalLB does the same).
          for (const auto& c : ad.resolved_communities) {
            if (c.kind == config::CommunityValue::Kind::kStandard) {
              InsertSorted(r.communities, (c.global << 16) | (c.local1 & 0xffff));
            } else {
              InsertSorted(r.large_communities,
                           std::array<uint32_t, 3>{c.global, c.local1, c.local2});
            }
          }
          // RFC 4271 5.1.5: LOCAL_PREF only to internal peers; of several
          // advertisements, the highest.
          if (ad.local_pref && IsInternalPeer(*peer)) {
            r.local_pref = std::max(r.local_pref.value_or(0), *ad.local_pref);
          }
        }
      }
    }
  }
  return out;
}

}  // namespace vipcast::bgp
