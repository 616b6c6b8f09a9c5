#include "sim/ns3/frame_filter.h"

#include "ns3/ethernet-header.h"
#include "ns3/packet.h"

namespace vipcast::sim {

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

bool FrameFilter::DoCorrupt(ns3::Ptr<ns3::Packet> packet) {
  // Draw only when loss is on, so that a run without loss does not consume
  // random numbers (and stays identical whatever the filter's stream).
  if (loss_rate_ > 0 && uniform_->GetValue() < loss_rate_) return true;
  if (blocked_.empty()) return false;
  ns3::EthernetHeader header(false);
  if (packet->PeekHeader(header) == 0) return false;
  return blocked_.count(header.GetSource()) != 0;
}

}  // namespace vipcast::sim
