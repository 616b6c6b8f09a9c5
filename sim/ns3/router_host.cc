#include "sim/ns3/router_host.h"

#include <algorithm>
#include <utility>

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
  device_ = nullptr;
  ns3::Application::DoDispose();
}

void RouterHost::StartApplication() {
  tcp_.Attach(GetNode(), [this](const core::Input& input) { Deliver(input); });
  Boot();
}

void RouterHost::StopApplication() { Kill(); }

void RouterHost::Boot() {
  if (router_) return;
  const core::Ipv4Addr self = FromNs3(address_);
  router_ = std::make_unique<bgp::Router>(options_.asn, core::RouterId(self.value()));
  std::vector<bgp::SessionConfig> peers;
  for (const RouterPeer& p : options_.peers) {
    bgp::SessionConfig c;
    c.name = p.name;
    c.peer_as = p.asn;
    c.remote = {p.address, 179};
    c.passive = true;  // the speakers connect (as MetalLB's peers do)
    c.local.hold_time = options_.hold_time;
    peers.push_back(std::move(c));
  }
  const core::TimePoint now = SimNow();
  router_->SetPeers(now, std::move(peers), outbox_);
  const ns3::Mac48Address mac = ns3::Mac48Address::ConvertFrom(device_->GetAddress());
  router_->Handle(now,
                  core::InterfacesChanged{{{kInterface, FromNs3(mac), {core::IpAddr(self)}, true}}},
                  outbox_);
  Pump();
}

void RouterHost::Kill() {
  ns3::Simulator::Cancel(timer_);
  tcp_.CloseAll();
  router_.reset();
  outbox_.Drain();
  pending_.clear();
}

void RouterHost::Deliver(const core::Input& input) {
  if (!router_) return;
  if (pumping_) {
    pending_.push_back(input);
    return;
  }
  router_->Handle(SimNow(), input, outbox_);
  Pump();
}

void RouterHost::Pump() {
  if (pumping_) return;
  pumping_ = true;
  for (;;) {
    // Facts and logs are not part of what the World records for routers;
    // every other action here is a stream action.
    for (const core::Action& action : outbox_.Drain()) tcp_.Perform(action);
    if (router_ && !pending_.empty()) {
      const core::Input input = std::move(pending_.front());
      pending_.pop_front();
      router_->Handle(SimNow(), input, outbox_);
      continue;
    }
    if (outbox_.empty()) break;
  }
  pumping_ = false;
  if (router_) {
    for (bgp::RouteChange& change : router_->DrainRouteChanges()) {
      route_log_.emplace_back(SimNow(), std::move(change));
    }
  }
  Rearm();
}

void RouterHost::Rearm() {
  ns3::Simulator::Cancel(timer_);
  if (!router_) return;
  const core::TimePoint deadline = router_->NextDeadline();
  if (deadline.IsNever()) return;
  timer_ = ns3::Simulator::Schedule(DelayUntil(deadline), &RouterHost::OnTimer, this);
}

void RouterHost::OnTimer() {
  if (!router_) return;
  router_->Advance(SimNow(), outbox_);
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
