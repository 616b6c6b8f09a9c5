#include "sim/ns3/world_impl.h"

#include <algorithm>
#include <type_traits>
#include <utility>
#include <variant>

#include "engine/core/node_name.h"
#include "ns3/boolean.h"
#include "ns3/global-value.h"
#include "ns3/ipv4.h"
#include "ns3/ipv6.h"
#include "ns3/object-factory.h"
#include "ns3/rng-seed-manager.h"
#include "ns3/simulator.h"
#include "sim/ns3/conversions.h"
#include "sim/ns3/kube_proxy.h"

namespace vipcast::sim {

namespace {

constexpr uint16_t kMembershipPort = 7946;
// Membership seeds per node: the next kMaxSeeds nodes in ring order (all
// the others in clusters of up to kMaxSeeds + 1). A join contacts every seed
// with a full push-pull page each second until one answers, so seeding every
// node with all N - 1 others costs N^2 pages at boot; a ring of successors
// is connected, and anti-entropy spreads the full view from there.
constexpr size_t kMaxSeeds = 8;
// Rng forks of the run seed: nodes use index + 1, routers this + their
// ordinal among the routers.
constexpr uint64_t kRouterRngStream = 1'000'000;
// leaf-spine fabric sessions: hold time 3 s (keepalive 1 s), the
// aggressive timers data-centre fabrics run without BFD (RFC 7938 6.3:
// failure detection is left to BGP's timers or BFD; FRR's datacenter
// profile uses 3 s keepalive / 9 s hold, many fabrics go lower).
constexpr core::Duration kFabricHoldTime = core::Duration::Seconds(3);

// A router's sessions to the other tier of a leaf-spine fabric: a leaf
// connects to each spine and advertises its subnet and its FIB (the VIPs
// its nodes announce) with itself as next hop; a spine waits and
// advertises nothing.
std::vector<RouterPeer> FabricPeers(const HostLink& link) {
  std::vector<RouterPeer> peers;
  for (const HostLink::FabricLink& f : link.fabric) {
    RouterPeer p;
    p.name = f.peer;
    p.address = core::IpAddr(FromNs3(f.peer_address));
    p.asn = core::Asn(f.peer_asn);
    p.hold_time = kFabricHoldTime;
    p.connect = f.connect;
    if (f.connect) {
      for (const core::Prefix& prefix : link.originated) p.advertise.originated[prefix] = {};
      p.advertise.fib = true;
    }
    peers.push_back(std::move(p));
  }
  return peers;
}
// Only one Ns3World at a time: ns-3's simulator is a process singleton.
bool g_world_alive = false;

// The cluster's shared membership secret (any fixed 32 bytes; the sim has
// no attacker).
core::Bytes MembershipKey() {
  core::Bytes key(32);
  for (size_t i = 0; i < key.size(); ++i) key[i] = static_cast<uint8_t>(0x3C ^ (i * 7));
  return key;
}

std::string Join(const std::vector<std::string>& parts, const char* sep) {
  std::string out;
  for (const std::string& p : parts) out += (out.empty() ? "" : sep) + p;
  return out;
}

}  // namespace

core::Result<std::unique_ptr<World>> World::Build(const WorldOptions& options) {
  return Ns3World::Create(options);
}

core::Result<std::unique_ptr<World>> Ns3World::Create(const WorldOptions& options) {
  if (g_world_alive) {
    return core::MakeErr(
        std::string("another sim World exists in this process (ns-3 is one "
                    "simulator per process)"));
  }
  auto timing = ResolveSpeakerTiming(options.profile, options.speaker);
  if (!timing.ok()) return core::MakeErr(timing.error());
  // Every ns-3 scheduler pops events in the same (time, insertion) order, so
  // the choice changes speed only, never a result; the binary-heap
  // priority queue beat the default map by 15 % on the 100-node scenario.
  ns3::Simulator::SetScheduler(ns3::ObjectFactory("ns3::PriorityQueueScheduler"));
  // Off until the run carries IPv6 (EnableChecksumsForIpv6); reset here
  // because the GlobalValue outlives Simulator::Destroy.
  ns3::GlobalValue::Bind("ChecksumEnabled", ns3::BooleanValue(false));
  ns3::RngSeedManager::SetSeed(1);
  ns3::RngSeedManager::SetRun(options.seed);
  auto topology = BuildTopology(options.topology, options.pcap_prefix);
  if (!topology.ok()) {
    ns3::Simulator::Destroy();
    return core::MakeErr(topology.error());
  }
  g_world_alive = true;
  return std::unique_ptr<World>(
      new Ns3World(options, std::move(timing).value(), std::move(topology).value()));
}

Ns3World::Ns3World(WorldOptions options, SpeakerTiming timing, Topology topology)
    : options_(std::move(options)), timing_(std::move(timing)), switches_(topology.switches) {
  for (HostLink& link : topology.hosts) {
    by_name_[link.name] = hosts_.size();
    if (link.is_node) cluster_nodes_.emplace_back(link.name, core::IpAddr(FromNs3(link.address)));
    hosts_.push_back(Host{std::move(link), nullptr, nullptr});
  }
  InstallEngines();
  InstallRouters();
}

Ns3World::~Ns3World() {
  probes_.clear();
  tcp_probes_.clear();
  for (auto& socket : responders_) socket->Close();
  responders_.clear();
  tcp_responders_.clear();
  ns3::Simulator::Destroy();
  g_world_alive = false;
}

void Ns3World::InstallEngines() {
  std::vector<core::Endpoint> endpoints;
  for (const auto& [name, address] : cluster_nodes_)
    endpoints.push_back({address, kMembershipPort});
  const core::Rng seeds(options_.seed);
  for (Host& host : hosts_) {
    if (!host.link.is_node) continue;
    const size_t i = host.link.index;
    speaker::NodeSpeakerOptions o;
    // Host names are "node-<i>", valid Kubernetes names.
    o.l2.membership.self = core::NodeName::Parse(host.link.name).value();
    o.l2.membership.endpoint = endpoints[i];
    const size_t seeds_count = std::min(endpoints.size() - 1, kMaxSeeds);
    for (size_t k = 1; k <= seeds_count; ++k) {
      o.l2.membership.seeds.push_back(endpoints[(i + k) % endpoints.size()]);
    }
    o.l2.membership.profile = timing_.membership;
    o.l2.membership.key = MembershipKey();
    o.l2.responder.schedule = timing_.schedule;
    o.bgp.node = host.link.name;
    host.engine = ns3::CreateObject<EngineHost>();
    host.engine->Configure(
        host.link.name, std::move(o), seeds.Fork(i + 1).Next(), host.link.device, host.link.address,
        [this](const std::string& name, const core::Action& fact) { OnFact(name, fact); },
        [this](EngineHost& engine) {
          if (have_resources_) Tell(engine);
        });
    host.engine->SetAddress6(host.link.address6);
    host.link.node->AddApplication(host.engine);
    host.engine->SetStartTime(ns3::Seconds(0));
  }
}

void Ns3World::InstallRouters() {
  for (Host& host : hosts_) {
    if (!host.link.is_router) continue;
    RouterHostOptions o;
    o.asn = core::Asn(host.link.asn != 0 ? host.link.asn : options_.topology.router_asn);
    o.seed = core::Rng(options_.seed).Fork(kRouterRngStream + host.link.router_ordinal).Next();
    o.peers = FabricPeers(host.link);
    host.router = ns3::CreateObject<RouterHost>();
    host.router->Configure(host.link.name, std::move(o), host.link.device, host.link.address);
    Host* self = &host;
    host.router->SetObservers(
        [this, self](const core::Action& fact) { OnFact(self->link.name, fact); },
        [this, self](const bgp::RouteChange& change) { OnRoute(*self, change); });
    host.link.node->AddApplication(host.router);
    host.router->SetStartTime(ns3::Seconds(0));
  }
}

void Ns3World::OnRoute(Host& router, const bgp::RouteChange& change) {
  if (!change.prefix.network().is_v4()) return;  // IPv6 forwarding: not simulated yet
  std::vector<ns3::Ipv4Address> hops;
  std::vector<std::string> names;
  for (const core::IpAddr& hop : change.next_hops) {
    if (!hop.is_v4()) continue;
    hops.push_back(ToNs3(hop.v4()));
    // Next hops are peers' addresses (nodes, or fabric neighbours).
    for (const RouterPeer& peer : router.router->peers()) {
      if (peer.address == hop) names.push_back(peer.name);
    }
  }
  router.link.fib->SetRoute(ToNs3(change.prefix.network().v4()),
                            static_cast<uint8_t>(change.prefix.length()), std::move(hops));
  std::sort(names.begin(), names.end());
  Record({SimNow(), TimelineEvent::Kind::kRoute, router.link.name, change.prefix.ToString(),
          std::nullopt, 0, Join(names, ",")});
}

void Ns3World::SyncRouterPeers() {
  if (!view_.config) return;
  for (Host& host : hosts_) {
    if (!host.router) continue;
    const core::IpAddr self(FromNs3(host.link.address));
    std::vector<RouterPeer> peers = FabricPeers(host.link);
    std::set<std::string> seen;
    for (const config::BGPPeer& peer : view_.config->bgp_peers) {
      if (!peer.peer_address || *peer.peer_address != self) continue;
      // The router runs BFD with the speakers that run it with the router.
      std::optional<bfd::SessionParameters> bfd;
      for (const config::BFDProfile& profile : view_.config->bfd_profiles) {
        if (!peer.bfd_profile.empty() && profile.meta.name == peer.bfd_profile) {
          bfd = bfd::ParametersFromProfile(profile);
        }
      }
      // Every cluster node on the router's switch may connect (a leaf's
      // own rack; all nodes in bgp-router); the BGPPeer's nodeSelectors
      // decide which do (a passive session nobody opens stays Active).
      for (const Host& node : hosts_) {
        if (!node.link.is_node || node.link.switch_index != host.link.switch_index) continue;
        if (!seen.insert(node.link.name).second) continue;
        RouterPeer p;
        p.name = node.link.name;
        p.address = core::IpAddr(FromNs3(node.link.address));
        p.asn = peer.my_asn;
        p.hold_time = peer.EffectiveHoldTime();
        p.bfd = bfd;
        // RFC 4724 helper: keep a restarting speaker's routes while it
        // comes back, when the BGPPeer asks for graceful restart.
        p.graceful_restart = peer.enable_graceful_restart;
        peers.push_back(std::move(p));
      }
    }
    host.router->SetPeers(std::move(peers));
  }
}

Ns3World::Host* Ns3World::Find(const std::string& name) {
  auto it = by_name_.find(name);
  return it == by_name_.end() ? nullptr : &hosts_[it->second];
}

Ns3World::Host* Ns3World::FindNode(const std::string& name) {
  Host* h = Find(name);
  return h != nullptr && h->link.is_node ? h : nullptr;
}

void Ns3World::Record(TimelineEvent event) { timeline_.push_back(std::move(event)); }

void Ns3World::RecordFault(std::string text) {
  Record({SimNow(), TimelineEvent::Kind::kFault, "", "", std::nullopt, 0, std::move(text)});
}

void Ns3World::OnFact(const std::string& host, const core::Action& fact) {
  std::visit(
      [&](const auto& f) {
        using F = std::decay_t<decltype(f)>;
        if constexpr (std::is_same_v<F, core::VipAnnounced>) {
          Record({SimNow(), TimelineEvent::Kind::kVipAnnounced, host, f.service, f.vip, 0,
                  f.mode == core::AnnounceMode::kBgp ? "bgp" : f.interface});
        } else if constexpr (std::is_same_v<F, core::VipWithdrawn>) {
          Record({SimNow(), TimelineEvent::Kind::kVipWithdrawn, host, f.service, f.vip, 0,
                  f.mode == core::AnnounceMode::kBgp ? "bgp " + f.reason : f.reason});
        } else if constexpr (std::is_same_v<F, core::SessionStateChanged>) {
          Record({SimNow(), TimelineEvent::Kind::kSession, host, "", std::nullopt, 0,
                  f.protocol + " " + f.peer + " " + f.from + "->" + f.to + " " + f.reason});
        }
      },
      fact);
}

void Ns3World::Tell(EngineHost& engine) {
  engine.Inject(core::ConfigApplied{view_.config});
  engine.Inject(core::NodesChanged{view_.nodes});
  engine.Inject(core::ServicesChanged{view_.services});
}

void Ns3World::ApplyResources(const config::Resources& resources) {
  resources_ = resources;
  have_resources_ = true;
  Reconcile();
}

void Ns3World::SetEndpoints(const std::map<std::string, std::vector<std::string>>& endpoints) {
  for (const auto& [service, nodes] : endpoints) endpoints_[service] = nodes;
  if (have_resources_) Reconcile();
}

void Ns3World::Reconcile() {
  const std::map<std::string, std::vector<core::IpAddr>> before = view_.assignments;
  view_ = ComputeControllerView(resources_, endpoints_, cluster_nodes_);
  auto first = [](const std::map<std::string, std::vector<core::IpAddr>>& m,
                  const std::string& s) -> std::optional<core::IpAddr> {
    auto it = m.find(s);
    if (it == m.end() || it->second.empty()) return std::nullopt;
    return it->second.front();
  };
  for (const auto& [service, ips] : view_.assignments) {
    const bool known = before.count(service) != 0;
    const std::optional<core::IpAddr> now = first(view_.assignments, service);
    if (known && now == first(before, service)) continue;
    std::string detail = "assigned";
    if (!now) {
      auto reason = view_.pending_reasons.find(service);
      detail = "pending" + (reason == view_.pending_reasons.end() ? "" : ": " + reason->second);
    }
    Record({SimNow(), TimelineEvent::Kind::kAssignment, "", service, now, 0, detail});
  }
  for (const auto& [service, ips] : before) {
    if (view_.assignments.count(service) == 0) {
      Record(
          {SimNow(), TimelineEvent::Kind::kAssignment, "", service, std::nullopt, 0, "released"});
    }
  }
  EnableChecksumsForIpv6();
  SyncLoopbackVips();
  SyncRouterPeers();
  for (Host& host : hosts_) {
    if (host.engine && host.engine->running()) Tell(*host.engine);
  }
}

void Ns3World::EnableChecksumsForIpv6() {
  if (checksums_) return;
  for (const auto& [service, ips] : view_.assignments) {
    for (const core::IpAddr& ip : ips) {
      if (!ip.is_v6()) continue;
      ns3::GlobalValue::Bind("ChecksumEnabled", ns3::BooleanValue(true));
      checksums_ = true;
      return;
    }
  }
}

void Ns3World::SyncLoopbackVips() {
  // Only the VIPs some probe sends to: nothing else carries traffic, and
  // every loopback address is a host route that ns-3's static routing scans
  // linearly on each packet (1000 VIPs made a 100-node run 10x slower).
  std::set<uint32_t> wanted;
  std::set<core::Ipv6Addr> wanted6;
  for (const auto& [service, ips] : view_.assignments) {
    const bool probed = probed_services_.count(service) != 0;
    for (const core::IpAddr& ip : ips) {
      if (!probed && probed_addresses_.count(ip) == 0) continue;
      if (ip.is_v4()) wanted.insert(ip.v4().value());
      if (ip.is_v6()) wanted6.insert(ip.v6());
    }
  }
  for (Host& host : hosts_) {
    if (!host.link.is_node) continue;
    ns3::Ptr<ns3::Ipv4> ipv4 = host.link.node->GetObject<ns3::Ipv4>();
    for (uint32_t vip : loopback_vips_) {
      if (wanted.count(vip) == 0) ipv4->RemoveAddress(0, ns3::Ipv4Address(vip));
    }
    for (uint32_t vip : wanted) {
      if (loopback_vips_.count(vip) == 0) {
        ipv4->AddAddress(
            0, ns3::Ipv4InterfaceAddress(ns3::Ipv4Address(vip), ns3::Ipv4Mask("255.255.255.255")));
      }
    }
  }
  loopback_vips_ = std::move(wanted);
  for (Host& host : hosts_) {
    if (!host.link.is_node || host.link.address6.IsAny()) continue;
    ns3::Ptr<ns3::Ipv6> ipv6 = host.link.node->GetObject<ns3::Ipv6>();
    for (const core::Ipv6Addr& vip : loopback_vips6_) {
      if (wanted6.count(vip) == 0) ipv6->RemoveAddress(0, ToNs3(vip));
    }
    for (const core::Ipv6Addr& vip : wanted6) {
      if (loopback_vips6_.count(vip) == 0) {
        ipv6->AddAddress(0, ns3::Ipv6InterfaceAddress(ToNs3(vip), ns3::Ipv6Prefix(128)));
      }
    }
  }
  loopback_vips6_ = std::move(wanted6);
}

void Ns3World::UpdateAttachment(Host& host) {
  const bool attach = !host.crashed && !host.link_down;
  if (attach == host.attached) return;
  if (attach) {
    host.link.channel->Reattach(host.link.device);
    if (host.link.client_channel) host.link.client_channel->Reattach(host.link.client_side);
    for (auto& f : host.link.fabric) f.channel->Reattach(f.device);
  } else {
    host.link.channel->Detach(host.link.device);
    if (host.link.client_channel) host.link.client_channel->Detach(host.link.client_side);
    for (auto& f : host.link.fabric) f.channel->Detach(f.device);
  }
  host.attached = attach;
}

core::Status<> Ns3World::Crash(const std::string& name) {
  Host* host = Find(name);
  if (host == nullptr) return core::MakeErr("crash: unknown host " + name);
  if (host->crashed) return core::MakeErr("crash: " + name + " is already crashed");
  RecordFault("crash " + name);
  host->crashed = true;
  UpdateAttachment(*host);
  if (host->engine) host->engine->Kill();
  if (host->router) host->router->Kill();
  return core::Ok();
}

core::Status<> Ns3World::Recover(const std::string& name) {
  Host* host = Find(name);
  if (host == nullptr) return core::MakeErr("recover: unknown host " + name);
  if (!host->crashed) {
    // A node whose speaker was killed or stopped while the host stayed up:
    // the speaker starts again (the DaemonSet restarting its pod).
    if (host->engine && !host->engine->running()) {
      RecordFault("recover " + name);
      host->engine->Boot();
      return core::Ok();
    }
    return core::MakeErr("recover: " + name + " is neither crashed nor without its speaker");
  }
  host->crashed = false;
  UpdateAttachment(*host);
  RecordFault("recover " + name);
  if (host->engine) host->engine->Boot();
  if (host->router) host->router->Boot();
  return core::Ok();
}

core::Status<> Ns3World::SpeakerStop(const std::string& name) {
  Host* host = FindNode(name);
  if (host == nullptr) return core::MakeErr("speaker_stop: unknown node " + name);
  if (!host->engine->running()) return core::MakeErr("speaker_stop: no speaker runs on " + name);
  RecordFault("speaker_stop " + name);
  host->engine->Inject(core::ShutdownRequested{});
  return core::Ok();
}

core::Status<> Ns3World::SpeakerKill(const std::string& name) {
  Host* host = FindNode(name);
  if (host == nullptr) return core::MakeErr("speaker_kill: unknown node " + name);
  if (!host->engine->running()) return core::MakeErr("speaker_kill: no speaker runs on " + name);
  RecordFault("speaker_kill " + name);
  host->engine->Kill();
  return core::Ok();
}

core::Status<> Ns3World::LinkDown(const std::string& name) {
  Host* host = Find(name);
  if (host == nullptr) return core::MakeErr("link_down: unknown host " + name);
  host->link_down = true;
  UpdateAttachment(*host);
  RecordFault("link_down " + name);
  return core::Ok();
}

core::Status<> Ns3World::LinkUp(const std::string& name) {
  Host* host = Find(name);
  if (host == nullptr) return core::MakeErr("link_up: unknown host " + name);
  host->link_down = false;
  UpdateAttachment(*host);
  RecordFault("link_up " + name);
  return core::Ok();
}

core::Status<> Ns3World::Partition(const std::vector<std::vector<std::string>>& groups) {
  std::map<std::string, size_t> group_of;
  for (size_t g = 0; g < groups.size(); ++g) {
    for (const std::string& name : groups[g]) {
      if (Find(name) == nullptr) return core::MakeErr("partition: unknown host " + name);
      if (!group_of.emplace(name, g).second) {
        return core::MakeErr("partition: " + name + " is in two groups");
      }
    }
  }
  std::vector<std::string> text;
  for (const auto& group : groups) text.push_back("[" + Join(group, ",") + "]");
  for (Host& host : hosts_) {
    std::set<ns3::Mac48Address> blocked;
    auto mine = group_of.find(host.link.name);
    if (mine != group_of.end()) {
      for (const auto& [other, g] : group_of) {
        if (g == mine->second) continue;
        blocked.insert(ns3::Mac48Address::ConvertFrom(Find(other)->link.device->GetAddress()));
      }
    }
    host.link.filter->SetBlockedSources(std::move(blocked));
  }
  RecordFault("partition " + Join(text, " "));
  return core::Ok();
}

void Ns3World::Heal() {
  for (Host& host : hosts_) host.link.filter->SetBlockedSources({});
  RecordFault("heal");
}

core::Status<> Ns3World::SetLoss(const std::string& name, double rate) {
  Host* host = Find(name);
  if (host == nullptr) return core::MakeErr("loss: unknown host " + name);
  if (!(rate >= 0 && rate <= 1)) return core::MakeErr(std::string("loss: rate must be in [0, 1]"));
  host->link.filter->SetLossRate(rate);
  host->link.port_filter->SetLossRate(rate);
  RecordFault("loss " + name + " " + std::to_string(rate));
  return core::Ok();
}

core::Status<> Ns3World::RouterRestart(const std::string& name) {
  Host* host = Find(name);
  if (host == nullptr || !host->router) {
    return core::MakeErr("router_restart: " + name + " is not a router");
  }
  if (host->crashed) return core::MakeErr("router_restart: " + name + " is crashed");
  RecordFault("router_restart " + name);
  host->router->Kill();
  host->router->Boot();
  return core::Ok();
}

core::Status<> Ns3World::AddProbe(const Probe& probe) {
  Host* from = Find(probe.from);
  if (from == nullptr)
    return core::MakeErr("traffic " + probe.name + ": unknown host " + probe.from);
  if (probe.service.empty() == !probe.address.has_value()) {
    return core::MakeErr("traffic " + probe.name +
                         ": needs exactly one of a service or an address");
  }
  if (probe.address && probe.address->is_v6() && from->link.address6.IsAny()) {
    return core::MakeErr("traffic " + probe.name + ": " + probe.from +
                         " has no IPv6 address (IPv6 is carried on the l2 topologies only)");
  }
  if (probe.every <= core::Duration::Zero()) {
    return core::MakeErr("traffic " + probe.name + ": every must be positive");
  }
  if (!probe.service.empty() && probed_services_.insert(probe.service).second) {
    SyncLoopbackVips();
  }
  if (probe.address && probed_addresses_.insert(*probe.address).second) SyncLoopbackVips();
  const bool tcp = probe.protocol == Probe::Protocol::kTcp;
  if ((tcp ? tcp_responder_ports_ : responder_ports_).insert(probe.port).second) {
    for (Host& host : hosts_) {
      if (!host.link.is_node) continue;
      // kube-proxy's view from this node (kube_proxy.h), at each request.
      Admission admit = [this, node = host.link.name](const core::IpAddr& local) {
        return KubeProxyAdmits(view_, endpoints_, node, local);
      };
      for (const bool ipv6 : {false, true}) {
        if (ipv6 && host.link.address6.IsAny()) continue;
        if (tcp) {
          tcp_responders_.push_back(std::make_unique<TcpResponder>(
              host.link.node, probe.port, host.link.name, ipv6, admit));
        } else {
          responders_.push_back(
              OpenEchoResponder(host.link.node, probe.port, host.link.name, ipv6, admit));
        }
      }
    }
  }
  ProbeSender::Resolver resolve;
  if (probe.address) {
    resolve = [target = *probe.address]() -> std::optional<core::IpAddr> { return target; };
  } else {
    const bool ipv6 = !from->link.address6.IsAny();
    resolve = [this, service = probe.service, ipv6]() -> std::optional<core::IpAddr> {
      auto it = view_.assignments.find(service);
      if (it == view_.assignments.end()) return std::nullopt;
      // IPv4 first (a dual-stack service is probed as before), else IPv6
      // where the prober has it.
      for (const core::IpAddr& ip : it->second) {
        if (ip.is_v4()) return ip;
      }
      for (const core::IpAddr& ip : it->second) {
        if (ip.is_v6() && ipv6) return ip;
      }
      return std::nullopt;
    };
  }
  const auto id = static_cast<uint32_t>(probes_.size() + tcp_probes_.size());
  auto record = [this](TimelineEvent e) { Record(std::move(e)); };
  if (tcp) {
    auto sender = std::make_unique<TcpProbeSender>(from->link.node, probe, id,
                                                   std::move(resolve), std::move(record));
    ns3::Simulator::ScheduleNow(&TcpProbeSender::Start, sender.get());
    tcp_probes_.push_back(std::move(sender));
    return core::Ok();
  }
  auto sender =
      std::make_unique<ProbeSender>(from->link.node, probe, id, std::move(resolve), std::move(record));
  ns3::Simulator::ScheduleNow(&ProbeSender::Start, sender.get());
  probes_.push_back(std::move(sender));
  return core::Ok();
}

void Ns3World::At(core::TimePoint at, std::function<void()> fn) {
  ns3::Simulator::Schedule(DelayUntil(at), std::move(fn));
}

void Ns3World::RunUntil(core::TimePoint end) {
  if (end <= SimNow()) return;
  ns3::Simulator::Stop(DelayUntil(end));
  ns3::Simulator::Run();
}

core::TimePoint Ns3World::Now() const { return SimNow(); }

std::set<std::string> Ns3World::Announcers(const std::string& service) const {
  std::set<std::string> out;
  auto it = view_.assignments.find(service);
  if (it == view_.assignments.end()) return out;
  for (const Host& host : hosts_) {
    if (!host.engine || !host.engine->running()) continue;
    for (const core::IpAddr& vip : it->second) {
      const speaker::NodeSpeaker& engine = *host.engine->engine();
      if (engine.l2().Announces(vip) || engine.bgp().Carries(vip)) out.insert(host.link.name);
    }
  }
  return out;
}

std::optional<core::IpAddr> Ns3World::Assignment(const std::string& service) const {
  auto it = view_.assignments.find(service);
  if (it == view_.assignments.end() || it->second.empty()) return std::nullopt;
  return it->second.front();
}

std::vector<std::string> Ns3World::Hosts() const {
  std::vector<std::string> out;
  for (const Host& host : hosts_) out.push_back(host.link.name);
  return out;
}

const speaker::NodeSpeaker* Ns3World::Engine(const std::string& node) const {
  auto it = by_name_.find(node);
  if (it == by_name_.end() || !hosts_[it->second].engine) return nullptr;
  return hosts_[it->second].engine->engine();
}

size_t Ns3World::BgpSessionsEstablished(const std::string& router) const {
  auto it = by_name_.find(router);
  if (it == by_name_.end() || !hosts_[it->second].router) return 0;
  return hosts_[it->second].router->EstablishedSessions();
}

std::vector<std::string> Ns3World::Routes(const std::string& router,
                                          const core::Prefix& prefix) const {
  auto it = by_name_.find(router);
  if (it == by_name_.end() || !hosts_[it->second].router) return {};
  return hosts_[it->second].router->Routes(prefix);
}

std::optional<std::set<std::string>> Ns3World::LiveMembers(const std::string& node) const {
  const speaker::NodeSpeaker* engine = Engine(node);
  if (engine == nullptr) return std::nullopt;
  std::set<std::string> live;
  for (const core::NodeName& m : engine->l2().live_members()) live.insert(m.str());
  return live;
}

}  // namespace vipcast::sim
