#include "tests/property/config/config_generators.h"

#include <cstdio>
#include <map>

namespace vipcast::config::gen {
namespace {

struct PoolInfo {
  std::vector<std::string> names;
  int v4_shortest = 0;  // the longest "shortest prefix" over all pools: any aggregation >= it fits
  int v6_shortest = 0;
};

std::vector<IPAddressPool> Pools(PoolInfo& info) {
  std::vector<IPAddressPool> pools;
  for (size_t i = 0, n = Count(5); i < n; ++i) {
    IPAddressPool pool;
    pool.meta = Meta(Pick({"pool-", "Pool", "p."}) + std::to_string(i), kNs);
    for (size_t j = 0, m = 1 + Count(2); j < m; ++j) {
      const bool v6 = Coin();
      pool.addresses.push_back(PoolEntry(i, j, v6));
      pool.ranges.push_back(*core::IpRange::Parse(pool.addresses.back()));
      int shortest = v6 ? 128 : 32;
      for (const auto& p : pool.ranges.back().ToPrefixes())
        shortest = std::min(shortest, p.length());
      int& slot = v6 ? info.v6_shortest : info.v4_shortest;
      slot = std::max(slot, shortest);
    }
    pool.auto_assign = Coin();
    pool.avoid_buggy_ips = Coin();
    if (Coin()) {
      ServiceAllocation alloc;
      if (Coin()) alloc.priority = Between(0, 1000);
      for (size_t k = 0, c = Count(2); k < c; ++k)
        alloc.namespaces.push_back("ns-" + std::to_string(k));
      alloc.namespace_selectors = Selectors();
      alloc.service_selectors = Selectors();
      pool.service_allocation = std::move(alloc);
    }
    info.names.push_back(pool.meta.name);
    pools.push_back(std::move(pool));
  }
  return pools;
}

std::vector<Community> Communities(std::map<std::string, CommunityValue>& aliases) {
  std::vector<Community> out;
  size_t next = 0;
  for (size_t i = 0, n = Count(2); i < n; ++i) {
    Community c;
    c.meta = Meta("communities-" + std::to_string(i), kNs);
    for (size_t j = 0, m = Count(3); j < m; ++j) {
      CommunityAlias alias{Pick({"vpn-only-", "NO_ADVERTISE_", "x"}) + std::to_string(next++),
                           CommunityText()};
      aliases.emplace(alias.name, *ParseCommunity(alias.value));
      c.communities.push_back(std::move(alias));
    }
    out.push_back(std::move(c));
  }
  return out;
}

std::vector<BFDProfile> BfdProfiles(std::vector<std::string>& usable) {
  std::vector<BFDProfile> out;
  for (size_t i = 0, n = Count(3); i < n; ++i) {
    BFDProfile p;
    p.meta = Meta("bfd-" + std::to_string(i), kNs);
    p.receive_interval_ms = static_cast<uint32_t>(Between(10, 60000));
    p.transmit_interval_ms = static_cast<uint32_t>(Between(10, 60000));
    p.detect_multiplier = static_cast<uint32_t>(Between(2, 255));
    p.echo_interval_ms = static_cast<uint32_t>(Between(10, 60000));
    p.echo_mode = Coin();
    p.passive_mode = Coin();
    p.minimum_ttl = static_cast<uint32_t>(Between(1, 254));
    // Echo mode over IPv6 pools is a validation error; peers only use the others.
    if (!p.echo_mode) usable.push_back(p.meta.name);
    out.push_back(std::move(p));
  }
  return out;
}

std::vector<Secret> Secrets(std::vector<std::string>& password_secrets) {
  std::vector<Secret> out;
  for (size_t i = 0, n = Count(2); i < n; ++i) {
    Secret s;
    s.meta = Meta("secret-" + std::to_string(i), kNs);
    s.type = Pick({"kubernetes.io/basic-auth", "Opaque"});
    for (const auto& key : SubsetOf({"password", "username", "key.pem", "a_b-c"}, 3)) {
      s.data[key] = *rc::gen::arbitrary<std::string>();
    }
    if (s.type == "kubernetes.io/basic-auth" && s.data.count("password")) {
      password_secrets.push_back(s.meta.name);
    }
    out.push_back(std::move(s));
  }
  return out;
}

core::Asn Asn() { return core::Asn(*rc::gen::inRange<uint32_t>(1, 4294967295u)); }

BGPPeer PeerV1beta1(size_t i) {
  BGPPeer p;
  p.api_version = kMetalLBGroupV1beta1;
  p.meta = Meta("old-peer-" + std::to_string(i), kNs);
  p.my_asn = Asn();
  p.peer_asn = Asn();
  const bool v6 = Coin();
  p.peer_address = Ip(v6);
  if (Coin()) p.source_address = Ip(v6);
  p.peer_port = static_cast<uint16_t>(Between(1, 65535));
  // The loader always sets both (MetalLB's v1beta1 conversion); keep them valid.
  const int hold = Coin() ? 0 : Between(3, 65535);
  p.hold_time = core::Duration::Seconds(hold);
  p.keepalive_time = core::Duration::Seconds(hold == 0 ? 0 : Between(0, hold - 1));
  if (Coin()) p.router_id = core::RouterId(*rc::gen::arbitrary<uint32_t>());
  p.node_selectors = Selectors();
  if (Coin()) p.password = Pick({"s3cret", "with space", "123", "true"});
  p.ebgp_multi_hop = *p.peer_asn != p.my_asn && Coin();
  return p;
}

BGPPeer PeerV1beta2(size_t i, const std::vector<std::string>& bfd,
                    const std::vector<std::string>& secrets) {
  BGPPeer p;
  p.meta = Meta(Pick({"peer-", "Peer"}) + std::to_string(i), kNs);
  p.my_asn = Asn();
  if (Coin()) {
    p.peer_asn = Coin() ? p.my_asn : Asn();
  } else {
    p.dynamic_asn = Coin() ? DynamicAsn::kInternal : DynamicAsn::kExternal;
  }
  if (Coin()) p.local_asn = Asn();
  if (Coin()) {
    const bool v6 = Coin();
    p.peer_address = Ip(v6);
    if (Coin()) p.source_address = Ip(v6);
  } else {
    p.interface = Pick({"eth0", "ens18", "bond0.100"});
  }
  p.peer_port = static_cast<uint16_t>(Between(1, 65535));
  switch (Between(0, 3)) {
    case 0:
      break;  // neither timer
    case 1: {
      const int hold = Coin() ? 0 : Between(3, 65535);
      p.hold_time = core::Duration::Seconds(hold);
      if (Coin()) p.keepalive_time = core::Duration::Seconds(hold == 0 ? 0 : Between(0, hold - 1));
      break;
    }
    case 2:
      p.keepalive_time = core::Duration::Seconds(Between(1, 21845));  // hold = 3x
      break;
    default:
      p.hold_time = core::Duration::Milliseconds(Between(3000, 600000));
      if (p.hold_time->nanoseconds() % 1'000'000'000 != 0)
        p.hold_time = core::Duration::Seconds(90);
      break;
  }
  if (Coin()) p.connect_time = core::Duration::Seconds(Between(1, 65535));
  if (Coin()) p.router_id = core::RouterId(*rc::gen::arbitrary<uint32_t>());
  p.node_selectors = Selectors();
  if (!secrets.empty() && Coin()) {
    p.password_secret = SecretReference{Pick(secrets), Coin() ? std::string(kNs) : ""};
  } else if (Coin()) {
    p.password = TrickyString();
  }
  if (!bfd.empty() && Coin()) p.bfd_profile = Pick(bfd);
  p.enable_graceful_restart = Coin();
  const bool ibgp =
      (p.peer_asn && *p.peer_asn == p.my_asn) || p.dynamic_asn == DynamicAsn::kInternal;
  p.ebgp_multi_hop = !ibgp && Coin();
  if (Coin()) p.vrf = Pick({"red", "blue-1", "123"});
  p.dual_stack_address_family = Coin();
  return p;
}

std::vector<L2Advertisement> L2s(const std::vector<std::string>& pools) {
  std::vector<L2Advertisement> out;
  for (size_t i = 0, n = Count(3); i < n; ++i) {
    L2Advertisement a;
    a.meta = Meta("l2-" + std::to_string(i), kNs);
    a.ip_address_pools = SubsetOf(pools, 3);
    a.ip_address_pool_selectors = Selectors();
    a.node_selectors = Selectors();
    for (size_t k = 0, m = Count(2); k < m; ++k) {
      a.preferred_node_selectors.push_back(PreferredNodeSelector{Between(1, 100), Selector()});
    }
    a.interfaces = SubsetOf({"eth0", "eth1", "eno1", "bond0"}, 3);
    a.service_selectors = Selectors();
    out.push_back(std::move(a));
  }
  return out;
}

std::vector<BGPAdvertisement> Bgps(const PoolInfo& pools, const std::vector<std::string>& peers,
                                   const std::map<std::string, CommunityValue>& aliases) {
  std::vector<std::string> alias_names;
  for (const auto& [name, value] : aliases) alias_names.push_back(name);
  std::vector<BGPAdvertisement> out;
  // One localPref for all: advertisements of a shared pool that differ in
  // localPref are a validation error (MetalLB's compatibility rule).
  std::optional<uint32_t> local_pref;
  if (Coin()) local_pref = *rc::gen::arbitrary<uint32_t>();
  for (size_t i = 0, n = Count(3); i < n; ++i) {
    BGPAdvertisement a;
    a.meta = Meta("bgp-" + std::to_string(i), kNs);
    a.service_selectors = Selectors();
    if (a.service_selectors.empty()) {
      // Any length at least as long as every pool's shortest prefix fits
      // whichever pools the advertisement ends up selecting.
      a.aggregation_length = Between(std::max(1, pools.v4_shortest), 32);
      a.aggregation_length_v6 = Between(pools.v6_shortest, 128);
    }
    a.local_pref = local_pref;
    std::set<std::string> seen;
    for (size_t k = 0, m = Count(3); k < m; ++k) {
      std::string text = (!alias_names.empty() && Coin()) ? Pick(alias_names) : CommunityText();
      if (!seen.insert(text).second) continue;
      auto alias = aliases.find(text);
      a.resolved_communities.push_back(alias != aliases.end() ? alias->second
                                                              : *ParseCommunity(text));
      a.communities.push_back(std::move(text));
    }
    a.ip_address_pools = SubsetOf(pools.names, 3);
    a.ip_address_pool_selectors = Selectors();
    a.node_selectors = Selectors();
    a.peers = SubsetOf(peers, 3);
    out.push_back(std::move(a));
  }
  return out;
}

std::vector<Service> Services(const std::vector<std::string>& pools) {
  std::vector<Service> out;
  for (size_t i = 0, n = Count(4); i < n; ++i) {
    Service s;
    s.meta = Meta("svc-" + std::to_string(i), Pick({"default", "prod", "team-a"}));
    s.type = static_cast<ServiceType>(Between(0, 3));
    if (Coin()) s.load_balancer_class = Pick({"metallb.io/metallb", "example.com/lb"});
    if (Coin()) {
      s.meta.annotations["metallb.io/loadBalancerIPs"] =
          Coin() ? Ip(false).ToString() : Ip(false).ToString() + ", " + Ip(true).ToString();
    } else if (Coin()) {
      s.load_balancer_ip = Ip(Coin()).ToString();
    }
    if (!pools.empty() && Coin()) s.meta.annotations["metallb.io/address-pool"] = Pick(pools);
    if (Coin()) s.meta.annotations["metallb.io/allow-shared-ip"] = TrickyString();
    for (size_t f = 0, m = Count(2); f < m; ++f) {
      const auto family = Coin() ? core::IpFamily::kV4 : core::IpFamily::kV6;
      if (std::find(s.ip_families.begin(), s.ip_families.end(), family) == s.ip_families.end()) {
        s.ip_families.push_back(family);
      }
    }
    if (Coin()) {
      s.ip_family_policy = static_cast<IpFamilyPolicy>(Between(0, 2));
      if (*s.ip_family_policy == IpFamilyPolicy::kSingleStack && s.ip_families.size() > 1) {
        s.ip_families.pop_back();
      }
    }
    for (size_t c = 0, m = Count(2); c < m; ++c) s.cluster_ips.push_back(Ip(Coin()));
    std::set<std::pair<std::string, uint16_t>> used;
    const size_t ports = Count(3);
    for (size_t p = 0; p < ports; ++p) {
      ServicePort port;
      port.protocol = Pick({"TCP", "UDP", "SCTP"});
      port.port = static_cast<uint16_t>(Between(1, 65535));
      if (!used.emplace(port.protocol, port.port).second) continue;
      if (ports > 1 || Coin()) port.name = "port-" + std::to_string(p);
      switch (Between(0, 2)) {
        case 0:
          break;
        case 1:
          port.target_port = std::to_string(Between(1, 65535));
          break;
        default:
          port.target_port = Pick({"http", "dns-tcp", "web8080"});
          break;
      }
      s.ports.push_back(std::move(port));
    }
    s.external_traffic_policy = Coin() ? TrafficPolicy::kCluster : TrafficPolicy::kLocal;
    s.selector = Labels(2);
    for (size_t k = 0, m = Count(2); k < m; ++k) s.ingress_ips.push_back(Ip(Coin()));
    out.push_back(std::move(s));
  }
  return out;
}

std::vector<EndpointSlice> Slices() {
  std::vector<EndpointSlice> out;
  for (size_t i = 0, n = Count(3); i < n; ++i) {
    EndpointSlice s;
    s.meta = Meta("slice-" + std::to_string(i), Pick({"default", "prod"}));
    s.meta.labels[kLabelServiceName] = "svc-" + std::to_string(Count(3));
    s.address_type = Pick({"IPv4", "IPv6", "FQDN"});
    for (size_t e = 0, m = Count(3); e < m; ++e) {
      Endpoint ep;
      if (s.address_type != "FQDN") {
        for (size_t a = 0, k = 1 + Count(2); a < k; ++a)
          ep.addresses.push_back(Ip(s.address_type == "IPv6"));
      }
      if (Coin()) ep.node_name = "node-" + std::to_string(Count(3));
      if (Coin()) ep.conditions.ready = Coin();
      if (Coin()) ep.conditions.serving = Coin();
      if (Coin()) ep.conditions.terminating = Coin();
      s.endpoints.push_back(std::move(ep));
    }
    out.push_back(std::move(s));
  }
  return out;
}

std::vector<Node> Nodes() {
  std::vector<Node> out;
  for (size_t i = 0, n = Count(3); i < n; ++i) {
    Node node;
    node.meta = Meta("node-" + std::to_string(i) + Pick({"", ".example.com"}), "");
    for (const auto& type : SubsetOf({"Ready", "NetworkUnavailable", "MemoryPressure"}, 3)) {
      node.conditions.push_back(NodeCondition{type, Pick({"True", "False", "Unknown"})});
    }
    for (size_t a = 0, m = Count(2); a < m; ++a) node.addresses.push_back(Ip(Coin()));
    out.push_back(std::move(node));
  }
  return out;
}

std::vector<Namespace> Namespaces() {
  std::vector<Namespace> out;
  for (size_t i = 0, n = Count(2); i < n; ++i) {
    Namespace ns;
    ns.meta = Meta(Pick({"ns-", "team-"}) + std::to_string(i), "");
    out.push_back(std::move(ns));
  }
  return out;
}

}  // namespace

Resources GenResources() {
  Resources r;
  PoolInfo pool_info;
  r.config.pools = Pools(pool_info);
  std::map<std::string, CommunityValue> aliases;
  r.config.communities = Communities(aliases);
  std::vector<std::string> usable_bfd, password_secrets;
  r.config.bfd_profiles = BfdProfiles(usable_bfd);
  r.config.secrets = Secrets(password_secrets);
  std::vector<std::string> peer_names;
  for (size_t i = 0, n = Count(4); i < n; ++i) {
    BGPPeer p = Coin() && Coin() ? PeerV1beta1(i) : PeerV1beta2(i, usable_bfd, password_secrets);
    peer_names.push_back(p.meta.name);
    r.config.bgp_peers.push_back(std::move(p));
  }
  r.config.l2_advertisements = L2s(pool_info.names);
  r.config.bgp_advertisements = Bgps(pool_info, peer_names, aliases);
  r.config.namespaces = Namespaces();
  r.services.services = Services(pool_info.names);
  r.services.endpoint_slices = Slices();
  r.nodes.nodes = Nodes();

  SortByKey(r.config.pools);
  SortByKey(r.config.l2_advertisements);
  SortByKey(r.config.bgp_advertisements);
  SortByKey(r.config.bgp_peers);
  SortByKey(r.config.communities);
  SortByKey(r.config.bfd_profiles);
  SortByKey(r.config.secrets);
  SortByKey(r.config.namespaces);
  SortByKey(r.services.services);
  SortByKey(r.services.endpoint_slices);
  SortByKey(r.nodes.nodes);
  return r;
}

}  // namespace vipcast::config::gen
