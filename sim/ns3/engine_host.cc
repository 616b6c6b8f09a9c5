#include "sim/ns3/engine_host.h"

#include <type_traits>
#include <utility>
#include <variant>

#include "ns3/inet-socket-address.h"
#include "ns3/node.h"
#include "ns3/simulator.h"
#include "sim/ns3/conversions.h"

namespace vipcast::sim {

namespace {
constexpr uint16_t kEtherTypeArp = 0x0806;
constexpr uint16_t kEtherTypeIpv6 = 0x86DD;
constexpr size_t kEthernetHeader = 14;
constexpr char kInterface[] = "eth0";
}  // namespace

NS_OBJECT_ENSURE_REGISTERED(EngineHost);

ns3::TypeId EngineHost::GetTypeId() {
  static ns3::TypeId tid = ns3::TypeId("vipcast::sim::EngineHost")
                               .SetParent<ns3::Application>()
                               .SetGroupName("Vipcast")
                               .AddConstructor<EngineHost>();
  return tid;
}

EngineHost::~EngineHost() = default;

void EngineHost::Configure(std::string name, speaker::NodeSpeakerOptions options, uint64_t rng_seed,
                           ns3::Ptr<ns3::NetDevice> device, ns3::Ipv4Address address, FactSink sink,
                           std::function<void(EngineHost&)> on_boot) {
  name_ = std::move(name);
  options_ = std::move(options);
  rng_seed_ = rng_seed;
  device_ = device;
  address_ = address;
  sink_ = std::move(sink);
  on_boot_ = std::move(on_boot);
}

void EngineHost::DoDispose() {
  Kill();
  udp_.Close();
  device_ = nullptr;
  ns3::Application::DoDispose();
}

void EngineHost::StartApplication() {
  tcp_.Attach(GetNode(), [this](const core::Input& input) { Deliver(input); });
  udp_.Attach(GetNode(), address_, kInterface,
              [this](const core::DatagramReceived& in) { Inject(in); });
  if (!handler_registered_) {
    // Promiscuous so that the real destination MAC (broadcast or unicast)
    // reaches the engine; OnFrame drops frames for other hosts.
    GetNode()->RegisterProtocolHandler(ns3::MakeCallback(&EngineHost::OnFrame, this), kEtherTypeArp,
                                       device_, true);
    // IPv6 only on dual-stack topologies: elsewhere no frame would come.
    if (!address6_.IsAny()) {
      GetNode()->RegisterProtocolHandler(ns3::MakeCallback(&EngineHost::OnFrame, this),
                                         kEtherTypeIpv6, device_, true);
    }
    handler_registered_ = true;
  }
  Boot();
}

void EngineHost::StopApplication() { Kill(); }

void EngineHost::Boot() {
  if (engine_) return;
  ++boots_;
  speaker::NodeSpeakerOptions options = options_;
  options.l2.membership.boot_id = boots_;
  rng_ = std::make_unique<core::Rng>(core::Rng(rng_seed_).Fork(boots_));
  engine_ = std::make_unique<speaker::NodeSpeaker>(std::move(options), *rng_);
  // Open the membership port before anything is sent to it.
  udp_.Open(options_.l2.membership.endpoint.port);
  const ns3::Mac48Address mac = ns3::Mac48Address::ConvertFrom(device_->GetAddress());
  core::InterfaceInfo eth0{kInterface, FromNs3(mac), {core::IpAddr(FromNs3(address_))}, true};
  if (!address6_.IsAny()) eth0.addresses.emplace_back(FromNs3(address6_));
  Inject(core::InterfacesChanged{{eth0}});
  if (on_boot_) on_boot_(*this);
}

void EngineHost::Kill() {
  ns3::Simulator::Cancel(timer_);
  tcp_.CloseAll();
  engine_.reset();
  rng_.reset();
  outbox_.Drain();
  pending_.clear();
}

void EngineHost::Inject(const core::Input& input) {
  if (!engine_) return;
  engine_->Handle(SimNow(), input, outbox_);
  Pump();
}

void EngineHost::Deliver(const core::Input& input) {
  if (!engine_) return;
  if (pumping_) {
    pending_.push_back(input);
    return;
  }
  Inject(input);
}

void EngineHost::Pump() {
  if (pumping_) return;  // the outer Pump drains what this call added
  pumping_ = true;
  for (;;) {
    for (const core::Action& action : outbox_.Drain()) Perform(action);
    if (engine_ && !pending_.empty()) {
      const core::Input input = std::move(pending_.front());
      pending_.pop_front();
      engine_->Handle(SimNow(), input, outbox_);
      continue;
    }
    if (outbox_.empty()) break;
  }
  pumping_ = false;
  Rearm();
}

void EngineHost::Rearm() {
  if (!engine_) {
    ns3::Simulator::Cancel(timer_);
    return;
  }
  const core::TimePoint deadline = engine_->NextDeadline();
  if (deadline.IsNever()) {
    ns3::Simulator::Cancel(timer_);
    return;
  }
  const ns3::Time delay = DelayUntil(deadline);
  // Most pumps leave the deadline where it was: keeping the pending event
  // instead of cancelling and inserting an identical one saves a scheduler
  // insert per received datagram. (The kept event keeps its place among
  // events due at the same instant; either place is valid, and runs stay
  // deterministic.)
  const uint64_t due = (ns3::Simulator::Now() + delay).GetTimeStep();
  if (timer_.IsRunning() && timer_.GetTs() == due) return;
  ns3::Simulator::Cancel(timer_);
  timer_ = ns3::Simulator::Schedule(delay, &EngineHost::OnTimer, this);
}

void EngineHost::OnTimer() {
  if (!engine_) return;
  engine_->Advance(SimNow(), outbox_);
  Pump();
}

void EngineHost::Perform(const core::Action& action) {
  // UDP ports the engine listens on (BFD's 3784) must receive before the
  // engine sends anything from them.
  if (const auto* listen = std::get_if<core::Listen>(&action);
      listen != nullptr && listen->transport == core::Transport::kUdp) {
    udp_.Open(listen->local.port);
    return;
  }
  if (tcp_.Perform(action)) return;
  std::visit(
      [this](const auto& a) {
        using A = std::decay_t<decltype(a)>;
        if constexpr (std::is_same_v<A, core::SendFrame>) {
          SendFrame(a);
        } else if constexpr (std::is_same_v<A, core::SendDatagram>) {
          udp_.Send(a);
        } else if constexpr (std::is_same_v<A, core::VipAnnounced> ||
                             std::is_same_v<A, core::VipWithdrawn> ||
                             std::is_same_v<A, core::SessionStateChanged>) {
          if (sink_) sink_(name_, a);
        }
        // Stream actions: tcp_ above. JoinMulticast/LeaveMulticast: nothing to do on
        // CSMA, which delivers every multicast frame (see the header). MetricChanged/Log:
        // not part of the timeline.
      },
      action);
}

void EngineHost::SendFrame(const core::SendFrame& send) {
  if (send.interface != kInterface || send.frame.size() < kEthernetHeader) return;
  const uint8_t* f = send.frame.data();
  ns3::Mac48Address dst;
  dst.CopyFrom(f);
  ns3::Mac48Address src;
  src.CopyFrom(f + 6);
  const uint16_t type = static_cast<uint16_t>(f[12] << 8 | f[13]);
  device_->SendFrom(MakePacket(f + kEthernetHeader, send.frame.size() - kEthernetHeader), src, dst,
                    type);
}

void EngineHost::OnFrame(ns3::Ptr<ns3::NetDevice> /*device*/, ns3::Ptr<const ns3::Packet> packet,
                         uint16_t protocol, const ns3::Address& from, const ns3::Address& to,
                         ns3::NetDevice::PacketType type) {
  if (!engine_ || type == ns3::NetDevice::PACKET_OTHERHOST) return;
  core::Bytes frame(kEthernetHeader);
  ns3::Mac48Address::ConvertFrom(to).CopyTo(frame.data());
  ns3::Mac48Address::ConvertFrom(from).CopyTo(frame.data() + 6);
  frame[12] = static_cast<uint8_t>(protocol >> 8);
  frame[13] = static_cast<uint8_t>(protocol & 0xff);
  const core::Bytes payload = PacketBytes(packet);
  frame.insert(frame.end(), payload.begin(), payload.end());
  Inject(core::FrameReceived{kInterface, std::move(frame)});
}

}  // namespace vipcast::sim
