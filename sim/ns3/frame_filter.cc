#include "sim/ns3/frame_filter.h"

#include <variant>

#include "engine/wire/l2/frame.h"
#include "ns3/ethernet-header.h"
#include "ns3/packet.h"
#include "ns3/simulator.h"
#include "sim/ns3/conversions.h"

namespace vipcast::sim {

namespace {

// An NA (RFC 4861 4.4) with the Solicited flag clear, decoded by the
// engine's own frame parser (which also checks hop limit and checksum).
bool IsUnsolicitedNa(const ns3::Ptr<ns3::Packet>& packet) {
  ns3::EthernetHeader header(false);
  if (packet->PeekHeader(header) == 0 || header.GetLengthType() != 0x86DD) return false;
  const core::Bytes bytes = PacketBytes(packet);
  const auto frame = wire::ParseFrame(bytes);
  if (!frame.ok()) return false;
  const auto* ndp = std::get_if<wire::NdpPacket>(&frame.value().payload);
  if (ndp == nullptr) return false;
  const auto* na = std::get_if<wire::NeighborAdvertisement>(&ndp->message);
  return na != nullptr && !na->solicited_flag;
}

}  // namespace

NS_OBJECT_ENSURE_REGISTERED(FrameFilter);

ns3::TypeId FrameFilter::GetTypeId() {
  static ns3::TypeId tid = ns3::TypeId("vipcast::sim::FrameFilter")
                               .SetParent<ns3::ErrorModel>()
                               .SetGroupName("Vipcast")
                               .AddConstructor<FrameFilter>();
  return tid;
}

FrameFilter::FrameFilter() : uniform_(ns3::CreateObject<ns3::UniformRandomVariable>()) {}

int64_t FrameFilter::AssignStreams(int64_t stream) {
  uniform_->SetStream(stream);
  return 1;
}

void FrameFilter::SetDelay(ns3::Time delay, ns3::Ptr<ns3::CsmaNetDevice> device) {
  delay_ = delay;
  device_ = ns3::PeekPointer(device);
}

bool FrameFilter::DoCorrupt(ns3::Ptr<ns3::Packet> packet) {
  if (cut_) return true;
  // A frame handed back after its delay has passed every check already.
  if (auto held = held_.find(packet->GetUid()); held != held_.end()) {
    held_.erase(held);
    return false;
  }
  // Draw only when loss is on, so that a run without loss does not consume
  // random numbers (and stays identical whatever the filter's stream).
  if (loss_rate_ > 0 && uniform_->GetValue() < loss_rate_) return true;
  if (drop_unsolicited_na_ && IsUnsolicitedNa(packet)) return true;
  if (!blocked_.empty()) {
    ns3::EthernetHeader header(false);
    if (packet->PeekHeader(header) != 0 && blocked_.count(header.GetSource()) != 0) return true;
  }
  if (delay_.IsStrictlyPositive() && device_ != nullptr) {
    // Packet::Copy keeps the uid, which is how the frame is known again.
    held_.insert(packet->GetUid());
    ns3::Simulator::Schedule(delay_, &ns3::CsmaNetDevice::Receive,
                             ns3::Ptr<ns3::CsmaNetDevice>(device_), packet->Copy(),
                             ns3::Ptr<ns3::CsmaNetDevice>());
    return true;
  }
  return false;
}

}  // namespace vipcast::sim
