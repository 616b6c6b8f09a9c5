#include "engine/speaker/bgp_speaker.h"

#include <algorithm>
#include <utility>

#include "engine/bfd/transport.h"
#include "engine/election/endpoints.h"
#include "engine/election/node_rules.h"
#include "engine/election/service_scope.h"
#include "engine/wire/bgp/error_codes.h"

namespace vipcast::speaker {

using core::TimePoint;

namespace {

const config::BFDProfile* FindProfile(const config::ClusterConfig& config,
                                      const std::string& name) {
  for (const auto& p : config.bfd_profiles) {
    if (p.meta.name == name) return &p;
  }
  return nullptr;
}

const config::IPAddressPool* FindPool(const config::ClusterConfig& config,
                                      const std::string& name) {
  for (const auto& p : config.pools) {
    if (p.meta.name == name) return &p;
  }
  return nullptr;
}

bool IsBfdPort(uint16_t port) {
  return port == bfd::kSingleHopControlPort || port == bfd::kMultiHopControlPort;
}

}  // namespace

BgpSpeaker::BgpSpeaker(BgpSpeakerOptions options, core::Rng& rng)
    : options_(std::move(options)),
      sessions_(options_.listen_port),
      bfd_(rng, options_.bfd_limits) {}

void BgpSpeaker::Handle(TimePoint now, const core::Input& input, core::Outbox& out) {
  if (!started_at_) started_at_ = now;
  if (const auto* d = std::get_if<core::DatagramReceived>(&input)) {
    if (!IsBfdPort(d->local.port)) return;
    bfd_.Handle(now, input, out);
    ProcessBfd(now, out);
  } else if (const auto* i = std::get_if<core::InterfacesChanged>(&input)) {
    interface_addresses_.clear();
    for (const auto& itf : i->interfaces) {
      if (!itf.up) continue;
      for (const auto& a : itf.addresses) {
        if (a.is_v6() && a.v6().IsLinkLocal()) continue;
        interface_addresses_.push_back(a);
      }
    }
    sessions_.Handle(now, input, out);
    Reconcile(now, out);
  } else if (const auto* c = std::get_if<core::ConfigApplied>(&input)) {
    if (c->config == nullptr) return;
    config_ = c->config;
    Reconcile(now, out);
  } else if (const auto* s = std::get_if<core::ServicesChanged>(&input)) {
    if (s->services == nullptr) return;
    services_ = s->services;
    Reconcile(now, out);
  } else if (const auto* n = std::get_if<core::NodesChanged>(&input)) {
    if (n->nodes == nullptr) return;
    nodes_ = n->nodes;
    self_node_ = nullptr;
    for (const config::Node& node : nodes_->nodes) {
      if (node.meta.name == options_.node) self_node_ = &node;
    }
    Reconcile(now, out);
  } else if (std::holds_alternative<core::ShutdownRequested>(input)) {
    if (shut_down_) return;
    shut_down_ = true;
    desired_.clear();
    advertised_.clear();
    // RFC 4486 / RFC 9003: withdraw everything, then Cease / Administrative
    // Shutdown carrying the message, then close (Session::Stop).
    sessions_.StopAll(now, options_.shutdown_message, out);
    // RFC 5880 6.8.16: the peers see AdminDown, not a path failure, and by
    // RFC 5882 3.2 keep their other clients up.
    bfd_.Handle(now, input, out);
    bfd_.DrainStateChanges();
  } else {
    // Stream events.
    sessions_.Handle(now, input, out);
    // A session that came up may name the local address its BFD session
    // runs from.
    if (!bfd_clients_.empty()) ReconcileBfd(now, out);
  }
  SyncCarried(out);
}

void BgpSpeaker::Advance(TimePoint now, core::Outbox& out) {
  // BFD first: a detection that falls due together with a BGP timer takes
  // the session down before it sends anything more.
  if (bfd_.NextDeadline() <= now) {
    bfd_.Advance(now, out);
    ProcessBfd(now, out);
  }
  if (sessions_.NextDeadline() <= now) sessions_.Advance(now, out);
  SyncCarried(out);
}

TimePoint BgpSpeaker::NextDeadline() const {
  return std::min(sessions_.NextDeadline(), bfd_.NextDeadline());
}

core::RouterId BgpSpeaker::RouterId() const {
  if (options_.router_id) return *options_.router_id;
  for (const auto& a : interface_addresses_) {
    if (a.is_v4()) return core::RouterId(a.v4().value());
  }
  return core::RouterId();
}

std::vector<bgp::AnnouncedService> BgpSpeaker::Announceable() const {
  std::vector<bgp::AnnouncedService> out;
  if (config_ == nullptr || services_ == nullptr || self_node_ == nullptr) return out;
  // MetalLB bgp_controller ShouldAnnounce: a node that is unavailable
  // announces nothing.
  if (election::NodeRuleFailure(*self_node_, options_.services)) return out;
  const election::SlicesByService slices =
      election::GroupSlicesByService(services_->endpoint_slices);
  static const std::vector<const config::EndpointSlice*> kNoSlices;
  for (const config::Service& s : services_->services) {
    if (!election::TakesPartInElection(s, options_.services)) continue;
    const std::string key = s.meta.Key();
    auto it = slices.find(key);
    const auto& mine = it == slices.end() ? kNoSlices : it->second;
    // MetalLB announces nothing without an endpoint that can serve.
    if (!election::AnyServingEndpoint(mine)) continue;
    const config::IPAddressPool* pool = nullptr;
    if (auto from = s.Annotation("ip-allocated-from-pool")) pool = FindPool(*config_, *from);
    if (pool == nullptr) pool = election::PoolFor(config_->pools, s.ingress_ips);
    if (pool == nullptr) continue;
    bgp::AnnouncedService a;
    a.key = key;
    a.labels = s.meta.labels;
    a.pool = pool->meta.name;
    a.vips = s.ingress_ips;
    a.local_traffic_policy = s.external_traffic_policy == config::TrafficPolicy::kLocal;
    const std::vector<std::string> nodes = election::NodesWithServingEndpoint(mine);
    a.has_ready_endpoint_here = std::binary_search(nodes.begin(), nodes.end(), options_.node);
    out.push_back(std::move(a));
  }
  return out;
}

void BgpSpeaker::Reconcile(TimePoint now, core::Outbox& out) {
  if (shut_down_ || config_ == nullptr) return;
  bgp::NodeIdentity identity{options_.node, {}};
  if (self_node_ != nullptr) identity.labels = self_node_->meta.labels;

  std::vector<bgp::SessionConfig> peers;
  for (const config::BGPPeer* peer : bgp::SelectPeers(*config_, identity)) {
    // Unnumbered peers (spec.interface) need the runtime to find the peer's
    // link-local address; not supported by this speaker yet.
    if (!peer->peer_address) continue;
    bgp::SessionConfig session = bgp::SessionConfigFor(*config_, *peer, RouterId());
    // RFC 4724 4.1: a fresh speaker cannot tell a restart from a first start,
    // so, as FRR does during its startup period, it claims a restart on the
    // sessions it creates within the restart time of its start. That is
    // harmless on a first start: the peer holds no routes of ours, and the R
    // bit only tells it not to wait for our End-of-RIB before sending its own
    // (RFC 4724 3). Each session drops the bit once Established.
    session.local.restarting = now < *started_at_ + session.local.restart_time;
    peers.push_back(std::move(session));
  }
  sessions_.SetPeers(now, std::move(peers), out);

  const std::vector<bgp::AnnouncedService> services = Announceable();
  desired_ = bgp::DesiredRoutes(*config_, identity, services);
  advertised_.clear();
  for (const auto& s : services) {
    for (const auto& vip : s.vips) advertised_.emplace(vip, s.key);
  }
  lengths_v4_.clear();
  lengths_v6_.clear();
  for (const auto& ad : config_->bgp_advertisements) {
    lengths_v4_.insert(std::clamp(ad.aggregation_length, 0, 32));
    lengths_v6_.insert(std::clamp(ad.aggregation_length_v6, 0, 128));
  }
  for (const auto& [name, session] : sessions_.sessions()) {
    auto it = desired_.find(name);
    sessions_.SetDesired(now, name, it == desired_.end() ? bgp::RibOut{} : it->second, out);
  }
  ReconcileBfd(now, out);
}

std::optional<core::IpAddr> BgpSpeaker::BfdLocal(const config::BGPPeer& peer) const {
  if (peer.source_address) return peer.source_address;
  auto it = sessions_.sessions().find(peer.meta.name);
  if (it != sessions_.sessions().end()) {
    if (auto local = it->second->established_local()) return local->address;
  }
  for (const auto& a : interface_addresses_) {
    if (a.family() == peer.peer_address->family()) return a;
  }
  return std::nullopt;
}

void BgpSpeaker::ReconcileBfd(TimePoint now, core::Outbox& out) {
  if (shut_down_ || config_ == nullptr) return;
  std::map<bfd::SessionKey, bfd::SessionParameters> wanted;
  std::map<bfd::SessionKey, std::set<std::string>> clients;
  for (const auto& [name, session] : sessions_.sessions()) {
    const config::BGPPeer* peer = nullptr;
    for (const auto& p : config_->bgp_peers) {
      if (p.meta.name == name) peer = &p;
    }
    if (peer == nullptr || peer->bfd_profile.empty() || !peer->peer_address) continue;
    const config::BFDProfile* profile = FindProfile(*config_, peer->bfd_profile);
    if (profile == nullptr) continue;
    auto local = BfdLocal(*peer);
    if (!local || local->family() != peer->peer_address->family()) continue;
    bfd::SessionKey key{*peer->peer_address, *local,
                        peer->ebgp_multi_hop ? bfd::HopMode::kMultiHop : bfd::HopMode::kSingleHop};
    wanted.emplace(key, bfd::ParametersFromProfile(*profile));
    clients[key].insert(name);
  }
  for (auto it = bfd_sessions_.begin(); it != bfd_sessions_.end();) {
    if (wanted.count(it->first) != 0) {
      ++it;
      continue;
    }
    bfd_.RemoveSession(now, it->first, out);
    it = bfd_sessions_.erase(it);
  }
  for (const auto& [key, params] : wanted) {
    auto it = bfd_sessions_.find(key);
    if (it == bfd_sessions_.end()) {
      auto added = bfd_.AddSession(now, bfd::SessionConfig{key, params, {}}, out);
      if (!added.ok()) {
        out.Emit(core::Log{core::LogLevel::kWarning,
                           "bgp: BFD session not started",
                           {{"session", key.ToString()}, {"reason", added.error()}}});
        continue;
      }
      bfd_sessions_.emplace(key, params);
    } else if (it->second != params) {
      if (bfd_.UpdateSession(now, key, params, out).ok()) it->second = params;
    }
  }
  bfd_clients_ = std::move(clients);
  ProcessBfd(now, out);
}

void BgpSpeaker::ProcessBfd(TimePoint now, core::Outbox& out) {
  for (const bfd::StateChange& change : bfd_.DrainStateChanges()) {
    // RFC 5882 3.2: the path failed; the client goes down at once. A peer
    // that went AdminDown says nothing about the path.
    if (!change.WentDown() || change.PeerAdministrativelyDown()) continue;
    auto it = bfd_clients_.find(change.key);
    if (it == bfd_clients_.end()) continue;
    for (const std::string& name : it->second) {
      bgp::Session* session = sessions_.Find(name);
      if (session == nullptr || session->connection_count() == 0) continue;
      out.Emit(core::Log{core::LogLevel::kWarning,
                         "bgp: BFD session down, resetting the BGP session",
                         {{"peer", name}, {"bfd", change.key.ToString()}}});
      // RFC 9384: Cease subcode 10, "BFD Down".
      session->Reset(now, wire::bgp::cease::kBfdDown, "BFD down", out);
    }
  }
}

void BgpSpeaker::SyncCarried(core::Outbox& out) {
  std::map<core::IpAddr, std::string> now_carried;
  for (const auto& [vip, service] : advertised_) {
    const std::set<int>& lengths = vip.is_v4() ? lengths_v4_ : lengths_v6_;
    bool carried = false;
    for (const auto& [name, session] : sessions_.sessions()) {
      if (session->state() != bgp::FsmState::kEstablished) continue;
      const bgp::RibOut& sent = session->rib_out().sent();
      for (int length : lengths) {
        auto prefix = core::Prefix::Make(vip, length);
        if (prefix.ok() && sent.count(*prefix) != 0) {
          carried = true;
          break;
        }
      }
      if (carried) break;
    }
    if (carried) now_carried.emplace(vip, service);
  }
  for (const auto& [vip, service] : carried_) {
    if (now_carried.count(vip) != 0) continue;
    std::string reason;
    if (shut_down_) {
      reason = "shutdown";
    } else if (advertised_.count(vip) == 0) {
      reason = "no longer advertised by policy";
    } else {
      reason = "no established BGP session carries it";
    }
    out.Emit(core::VipWithdrawn{vip, service, core::AnnounceMode::kBgp, reason});
  }
  for (const auto& [vip, service] : now_carried) {
    if (carried_.count(vip) == 0) {
      out.Emit(core::VipAnnounced{vip, service, core::AnnounceMode::kBgp, ""});
    }
  }
  carried_ = std::move(now_carried);
}

}  // namespace vipcast::speaker
