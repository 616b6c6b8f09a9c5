#include "sim/ns3/router_host.h"

#include <algorithm>
#include <utility>
#include <variant>

#include "engine/wire/bgp/error_codes.h"
#include "ns3/mac48-address.h"
#include "ns3/simulator.h"
#include "sim/ns3/conversions.h"

namespace vipcast::sim {

namespace {
constexpr char kInterface[] = "eth0";
}  // namespace

NS_OBJECT_ENSURE_REGISTERED(RouterHost);

ns3::TypeId RouterHost::GetTypeId() {
  static ns3::TypeId tid = ns3::TypeId("vipcast::sim::RouterHost")
                               .SetParent<ns3::Application>()
                               .SetGroupName("Vipcast")
                               .AddConstructor<RouterHost>();
  return tid;
}

RouterHost::~RouterHost() = default;

void RouterHost::Configure(std::string name, RouterHostOptions options,
                           ns3::Ptr<ns3::NetDevice> device, ns3::Ipv4Address address) {
  name_ = std::move(name);
  options_ = std::move(options);
  device_ = device;
  address_ = address;
}

void RouterHost::DoDispose() {
  Kill();
  udp_.Close();
  device_ = nullptr;
  ns3::Application::DoDispose();
}

void RouterHost::StartApplication() {
  tcp_.Attach(GetNode(), [this](const core::Input& input) { Deliver(input); });
  udp_.Attach(GetNode(), address_, kInterface,
              [this](const core::DatagramReceived& in) { Deliver(in); });
  started_ = true;
  Boot();
}

void RouterHost::StopApplication() { Kill(); }

void RouterHost::SetObservers(FactSink facts, RouteSink routes) {
  facts_ = std::move(facts);
  routes_ = std::move(routes);
}

std::vector<bgp::SessionConfig> RouterHost::SessionConfigs() const {
  std::vector<bgp::SessionConfig> peers;
  for (const RouterPeer& p : options_.peers) {
    bgp::SessionConfig c;
    c.name = p.name;
    c.peer_as = p.asn;
    c.remote = {p.address, 179};
    // MetalLB speakers connect to their router; a leaf connects to its
    // spines (single-hop eBGP: TTL 255, RFC 5082).
    c.passive = !p.connect;
    if (p.connect) c.ttl = 255;
    c.local.hold_time = p.hold_time.value_or(options_.hold_time);
    c.local.graceful_restart = p.graceful_restart;
    peers.push_back(std::move(c));
  }
  return peers;
}

std::map<std::string, bgp::Export> RouterHost::Exports() const {
  std::map<std::string, bgp::Export> exports;
  for (const RouterPeer& p : options_.peers) {
    if (p.advertise.fib || !p.advertise.originated.empty()) exports[p.name] = p.advertise;
  }
  return exports;
}

void RouterHost::SetPeers(std::vector<RouterPeer> peers) {
  if (peers == options_.peers) return;
  options_.peers = std::move(peers);
  if (!router_) return;
  router_->SetPeers(SimNow(), SessionConfigs(), outbox_);
  router_->SetExports(SimNow(), Exports(), outbox_);
  SyncBfd();
  Pump();
}

void RouterHost::SyncBfd() {
  if (!bfd_) return;
  const core::TimePoint now = SimNow();
  const core::IpAddr self(FromNs3(address_));
  std::map<bfd::SessionKey, std::pair<std::string, bfd::SessionParameters>> wanted;
  for (const RouterPeer& p : options_.peers) {
    if (p.bfd) wanted[{p.address, self, bfd::HopMode::kSingleHop}] = {p.name, *p.bfd};
  }
  for (auto it = bfd_peers_.begin(); it != bfd_peers_.end();) {
    if (wanted.count(it->first) != 0) {
      ++it;
      continue;
    }
    bfd_->RemoveSession(now, it->first, outbox_);
    it = bfd_peers_.erase(it);
  }
  for (const auto& [key, want] : wanted) {
    if (bfd_peers_.count(key) == 0) {
      // Parameters come from a validated BFDProfile; a refusal (limits)
      // leaves the peer without BFD, as bgpd without bfdd would be.
      if (bfd_->AddSession(now, bfd::SessionConfig{key, want.second, {}}, outbox_).ok()) {
        bfd_peers_.emplace(key, want.first);
      }
    } else {
      (void)bfd_->UpdateSession(now, key, want.second, outbox_);
      bfd_peers_[key] = want.first;
    }
  }
}

void RouterHost::ProcessBfd() {
  if (!bfd_ || !router_) return;
  for (const bfd::StateChange& change : bfd_->DrainStateChanges()) {
    // RFC 5882 3.2: the forwarding path failed; a peer going AdminDown
    // says nothing about the path.
    if (!change.WentDown() || change.PeerAdministrativelyDown()) continue;
    auto it = bfd_peers_.find(change.key);
    if (it == bfd_peers_.end()) continue;
    router_->ResetSession(SimNow(), it->second, wire::bgp::cease::kBfdDown, "BFD down", outbox_);
  }
}

void RouterHost::Boot() {
  // Before StartApplication there are no sockets to run on (a restart
  // requested at time 0, before the application started): it boots then.
  if (router_ || !started_) return;
  const core::Ipv4Addr self = FromNs3(address_);
  router_ = std::make_unique<bgp::Router>(options_.asn, core::RouterId(self.value()));
  ++boots_;
  rng_ = std::make_unique<core::Rng>(core::Rng(options_.seed).Fork(boots_));
  bfd_ = std::make_unique<bfd::BfdEngine>(*rng_);
  bfd_peers_.clear();
  const core::TimePoint now = SimNow();
  router_->SetPeers(now, SessionConfigs(), outbox_);
  router_->SetExports(now, Exports(), outbox_);
  SyncBfd();
  const ns3::Mac48Address mac = ns3::Mac48Address::ConvertFrom(device_->GetAddress());
  router_->Handle(now,
                  core::InterfacesChanged{{{kInterface, FromNs3(mac), {core::IpAddr(self)}, true}}},
                  outbox_);
  Pump();
}

void RouterHost::Kill() {
  // The router's state dies with it: tell the observers that every session
  // is down and every route gone, as the engine cannot any more.
  if (router_) {
    for (const RouterPeer& p : options_.peers) {
      const bgp::Session* s = router_->sessions().Find(p.name);
      if (facts_ && s != nullptr && s->state() != bgp::FsmState::kIdle) {
        facts_(core::SessionStateChanged{"bgp", p.name, std::string(bgp::ToString(s->state())),
                                         "Idle", "router down"});
      }
    }
    for (const auto& [prefix, hops] : router_->fib()) {
      bgp::RouteChange gone{prefix, {}};
      if (routes_) routes_(gone);
      route_log_.emplace_back(SimNow(), std::move(gone));
    }
  }
  ns3::Simulator::Cancel(timer_);
  tcp_.CloseAll();
  router_.reset();
  bfd_.reset();
  bfd_peers_.clear();
  outbox_.Drain();
  pending_.clear();
}

void RouterHost::Handle(const core::Input& input) {
  const core::TimePoint now = SimNow();
  if (const auto* d = std::get_if<core::DatagramReceived>(&input)) {
    if (bfd_ && d != nullptr) bfd_->Handle(now, input, outbox_);
    ProcessBfd();
    return;
  }
  router_->Handle(now, input, outbox_);
}

void RouterHost::Deliver(const core::Input& input) {
  if (!router_) return;
  if (pumping_) {
    pending_.push_back(input);
    return;
  }
  Handle(input);
  Pump();
}

void RouterHost::Pump() {
  if (pumping_) return;
  pumping_ = true;
  for (;;) {
    // Every action is a stream or datagram action or a fact for the World.
    for (const core::Action& action : outbox_.Drain()) {
      if (const auto* listen = std::get_if<core::Listen>(&action);
          listen != nullptr && listen->transport == core::Transport::kUdp) {
        udp_.Open(listen->local.port);
        continue;
      }
      if (const auto* send = std::get_if<core::SendDatagram>(&action)) {
        udp_.Send(*send);
        continue;
      }
      if (tcp_.Perform(action)) continue;
      if (facts_ && std::holds_alternative<core::SessionStateChanged>(action)) facts_(action);
    }
    if (router_ && !pending_.empty()) {
      const core::Input input = std::move(pending_.front());
      pending_.pop_front();
      Handle(input);
      continue;
    }
    if (outbox_.empty()) break;
  }
  pumping_ = false;
  if (router_) {
    for (bgp::RouteChange& change : router_->DrainRouteChanges()) {
      if (routes_) routes_(change);
      route_log_.emplace_back(SimNow(), std::move(change));
    }
  }
  Rearm();
}

void RouterHost::Rearm() {
  ns3::Simulator::Cancel(timer_);
  if (!router_) return;
  core::TimePoint deadline = router_->NextDeadline();
  if (bfd_) deadline = std::min(deadline, bfd_->NextDeadline());
  if (deadline.IsNever()) return;
  timer_ = ns3::Simulator::Schedule(DelayUntil(deadline), &RouterHost::OnTimer, this);
}

void RouterHost::OnTimer() {
  if (!router_) return;
  const core::TimePoint now = SimNow();
  if (bfd_ && bfd_->NextDeadline() <= now) {
    bfd_->Advance(now, outbox_);
    ProcessBfd();
  }
  if (router_->NextDeadline() <= now) router_->Advance(now, outbox_);
  Pump();
}

size_t RouterHost::EstablishedSessions() const {
  if (!router_) return 0;
  size_t n = 0;
  for (const RouterPeer& p : options_.peers) {
    const bgp::Session* s = router_->sessions().Find(p.name);
    if (s != nullptr && s->state() == bgp::FsmState::kEstablished) ++n;
  }
  return n;
}

std::vector<std::string> RouterHost::Routes(const core::Prefix& prefix) const {
  std::vector<std::string> out;
  if (!router_) return out;
  auto it = router_->fib().find(prefix);
  if (it == router_->fib().end()) return out;
  for (const core::IpAddr& hop : it->second) {
    for (const RouterPeer& p : options_.peers) {
      if (p.address == hop) out.push_back(p.name);
    }
  }
  std::sort(out.begin(), out.end());
  return out;
}

}  // namespace vipcast::sim
