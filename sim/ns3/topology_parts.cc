#include "sim/ns3/topology_parts.h"

#include <array>

#include "ns3/ipv4-list-routing.h"
#include "ns3/ipv4-static-routing-helper.h"
#include "ns3/ipv4.h"
#include "sim/ns3/conversions.h"

namespace vipcast::sim::topology_parts {

ns3::Mac48Address HostMac(size_t ordinal) {
  const std::array<uint8_t, 6> b{0x02,
                                 0,
                                 0,
                                 static_cast<uint8_t>(ordinal >> 16 & 0xff),
                                 static_cast<uint8_t>(ordinal >> 8 & 0xff),
                                 static_cast<uint8_t>(ordinal & 0xff)};
  ns3::Mac48Address mac;
  mac.CopyFrom(b.data());
  return mac;
}

uint32_t AddInterface(ns3::Ptr<ns3::Node> node, ns3::Ptr<ns3::NetDevice> device,
                      ns3::Ipv4Address address, uint8_t prefix_length) {
  ns3::Ptr<ns3::Ipv4> ipv4 = node->GetObject<ns3::Ipv4>();
  const uint32_t index = ipv4->AddInterface(device);
  ipv4->AddAddress(index,
                   ns3::Ipv4InterfaceAddress(
                       address, ns3::Ipv4Mask(("/" + std::to_string(prefix_length)).c_str())));
  ipv4->SetUp(index);
  return index;
}

ns3::Ptr<FrameFilter> AttachFilter(ns3::Ptr<ns3::CsmaNetDevice> device, double loss,
                                   int64_t stream) {
  ns3::Ptr<FrameFilter> filter = ns3::CreateObject<FrameFilter>();
  filter->SetLossRate(loss);
  filter->AssignStreams(stream);
  device->SetReceiveErrorModel(filter);
  return filter;
}

void AddDefaultRoute(ns3::Ptr<ns3::Node> node, uint32_t interface, ns3::Ipv4Address gateway) {
  ns3::Ipv4StaticRoutingHelper routing;
  auto table = routing.GetStaticRouting(node->GetObject<ns3::Ipv4>());
  if (gateway == ns3::Ipv4Address::GetAny()) {
    table->AddNetworkRouteTo(ns3::Ipv4Address("0.0.0.0"), ns3::Ipv4Mask("0.0.0.0"), interface);
  } else {
    table->AddNetworkRouteTo(ns3::Ipv4Address("0.0.0.0"), ns3::Ipv4Mask("0.0.0.0"), gateway,
                             interface);
  }
}

ns3::Ptr<EcmpFibRouting> InstallFib(ns3::Ptr<ns3::Node> node) {
  ns3::Ptr<ns3::Ipv4> ipv4 = node->GetObject<ns3::Ipv4>();
  ns3::Ptr<ns3::Ipv4ListRouting> list =
      ns3::DynamicCast<ns3::Ipv4ListRouting>(ipv4->GetRoutingProtocol());
  ns3::Ptr<EcmpFibRouting> fib = ns3::CreateObject<EcmpFibRouting>();
  list->AddRoutingProtocol(fib, kFibPriority);
  return fib;
}

core::Status<> CheckLinkParams(const TopologyParams& p) {
  if (p.link_rate_bps == 0) return core::MakeErr(std::string("params.link_rate: must be positive"));
  if (p.link_delay < core::Duration::Zero()) {
    return core::MakeErr(std::string("params.link_delay: must not be negative"));
  }
  if (!(p.link_loss >= 0 && p.link_loss <= 1)) {
    return core::MakeErr(std::string("params.link_loss: must be in [0, 1]"));
  }
  if (p.switch_mac_aging <= core::Duration::Zero()) {
    return core::MakeErr(std::string("params.switch_mac_aging: must be positive"));
  }
  return core::Ok();
}

ns3::CsmaHelper MakeCsma(const TopologyParams& p) {
  ns3::CsmaHelper csma;
  csma.SetChannelAttribute("DataRate", ns3::DataRateValue(ns3::DataRate(p.link_rate_bps)));
  csma.SetChannelAttribute("Delay", ns3::TimeValue(ToNs3(p.link_delay)));
  csma.SetQueue("ns3::DropTailQueue<Packet>", "MaxSize",
                ns3::QueueSizeValue(ns3::QueueSize("1000p")));
  return csma;
}

}  // namespace vipcast::sim::topology_parts
