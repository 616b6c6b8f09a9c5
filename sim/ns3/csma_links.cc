#include "sim/ns3/csma_links.h"

#include "ns3/csma-net-device.h"
#include "ns3/pointer.h"

namespace vipcast::sim {

namespace {

CsmaLink Describe(ns3::Ptr<ns3::CsmaChannel> channel) {
  CsmaLink link{channel, {}, {}};
  for (size_t i = 0; i < channel->GetNDevices(); ++i) {
    ns3::Ptr<ns3::CsmaNetDevice> device = channel->GetCsmaDevice(i);
    ns3::PointerValue model;
    device->GetAttribute("ReceiveErrorModel", model);
    if (auto filter = model.Get<FrameFilter>()) {
      link.devices.push_back(device);
      link.filters.push_back(filter);
    }
  }
  return link;
}

ns3::Ptr<ns3::CsmaChannel> ChannelOf(ns3::Ptr<ns3::NetDevice> device) {
  auto csma = ns3::DynamicCast<ns3::CsmaNetDevice>(device);
  return csma ? ns3::DynamicCast<ns3::CsmaChannel>(csma->GetChannel()) : nullptr;
}

}  // namespace

std::optional<CsmaLink> FindCsmaLink(ns3::Ptr<ns3::Node> a, ns3::Ptr<ns3::Node> b) {
  for (uint32_t d = 0; d < a->GetNDevices(); ++d) {
    auto channel = ChannelOf(a->GetDevice(d));
    if (!channel) continue;
    for (size_t i = 0; i < channel->GetNDevices(); ++i) {
      if (channel->GetCsmaDevice(i)->GetNode() == b) return Describe(channel);
    }
  }
  return std::nullopt;
}

std::vector<CsmaLink> CsmaLinksOf(ns3::Ptr<ns3::Node> node) {
  std::vector<CsmaLink> out;
  for (uint32_t d = 0; d < node->GetNDevices(); ++d) {
    if (auto channel = ChannelOf(node->GetDevice(d))) out.push_back(Describe(channel));
  }
  return out;
}

}  // namespace vipcast::sim
