#include "sim/ns3/l2_topology.h"

#include <array>

#include "ns3/bridge-helper.h"
#include "ns3/csma-helper.h"
#include "ns3/internet-stack-helper.h"
#include "ns3/ipv4-static-routing-helper.h"
#include "ns3/ipv4.h"
#include "ns3/mac48-address.h"
#include "sim/ns3/client_arp.h"
#include "sim/ns3/conversions.h"

namespace vipcast::sim {

namespace {

// Address blocks inside 10.0.0.0/16.
constexpr uint32_t kSubnet = 0x0A000000;  // 10.0.0.0
constexpr uint32_t kFirstNode = kSubnet + 10;
constexpr uint32_t kFirstClient = kSubnet + (128u << 8) + 10;
constexpr size_t kMaxPerKind = (128u << 8) - 20;
// Stream bases for ns-3's random variables (see FrameFilter::AssignStreams).
constexpr int64_t kStreamInternet = 1'000;
constexpr int64_t kStreamCsma = 1'000'000;
constexpr int64_t kStreamFilters = 2'000'000;

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
                      ns3::Ipv4Address address) {
  ns3::Ptr<ns3::Ipv4> ipv4 = node->GetObject<ns3::Ipv4>();
  const uint32_t index = ipv4->AddInterface(device);
  ipv4->AddAddress(index, ns3::Ipv4InterfaceAddress(address, ns3::Ipv4Mask("/16")));
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

}  // namespace

core::Result<L2Topology> BuildL2Topology(const TopologyParams& p, const std::string& pcap_prefix) {
  size_t switch_count = 0;
  if (p.kind == "l2-switch") switch_count = 1;
  if (p.kind == "l2-two-switches") switch_count = 2;
  if (switch_count == 0) {
    return core::MakeErr("topology: \"" + p.kind +
                         "\" is not built by sim/ns3 yet (l2-switch, l2-two-switches)");
  }
  if (p.nodes == 0 || p.nodes > kMaxPerKind) {
    return core::MakeErr("params.nodes: must be 1.." + std::to_string(kMaxPerKind));
  }
  if (p.clients > kMaxPerKind) {
    return core::MakeErr("params.clients: at most " + std::to_string(kMaxPerKind));
  }
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
  if (p.client_arp_timeout <= core::Duration::Zero()) {
    return core::MakeErr(std::string("params.client_arp_timeout: must be positive"));
  }

  ns3::Mac48Address::ResetAllocationIndex();
  ns3::CsmaHelper csma;
  csma.SetChannelAttribute("DataRate", ns3::DataRateValue(ns3::DataRate(p.link_rate_bps)));
  csma.SetChannelAttribute("Delay", ns3::TimeValue(ToNs3(p.link_delay)));
  csma.SetQueue("ns3::DropTailQueue<Packet>", "MaxSize",
                ns3::QueueSizeValue(ns3::QueueSize("1000p")));

  L2Topology t;
  ns3::NodeContainer switches;
  switches.Create(switch_count);
  for (uint32_t s = 0; s < switch_count; ++s) t.switches.push_back(switches.Get(s));
  std::vector<ns3::NetDeviceContainer> ports(switch_count);

  ns3::NodeContainer hosts;
  hosts.Create(p.nodes + p.clients);
  ns3::InternetStackHelper internet;
  internet.Install(hosts);
  internet.AssignStreams(hosts, kStreamInternet);

  ns3::NetDeviceContainer all_devices;
  int64_t filter_stream = kStreamFilters;
  const size_t first_half = (p.nodes + 1) / 2;
  for (size_t h = 0; h < p.nodes + p.clients; ++h) {
    HostLink link;
    link.is_node = h < p.nodes;
    link.index = link.is_node ? h : h - p.nodes;
    link.name = (link.is_node ? "node-" : "client-") + std::to_string(link.index);
    link.node = hosts.Get(static_cast<uint32_t>(h));
    link.switch_index = switch_count == 2 && link.is_node && link.index >= first_half ? 1 : 0;
    const ns3::NetDeviceContainer pair =
        csma.Install(ns3::NodeContainer(link.node, t.switches[link.switch_index]));
    link.device = ns3::DynamicCast<ns3::CsmaNetDevice>(pair.Get(0));
    link.switch_port = ns3::DynamicCast<ns3::CsmaNetDevice>(pair.Get(1));
    link.channel = ns3::DynamicCast<ns3::CsmaChannel>(link.device->GetChannel());
    link.device->SetAddress(HostMac(h + 1));
    link.filter = AttachFilter(link.device, p.link_loss, filter_stream++);
    link.port_filter = AttachFilter(link.switch_port, p.link_loss, filter_stream++);
    ports[link.switch_index].Add(link.switch_port);
    all_devices.Add(pair);
    link.address =
        ns3::Ipv4Address(link.is_node ? kFirstNode + static_cast<uint32_t>(link.index)
                                      : kFirstClient + static_cast<uint32_t>(link.index));
    const uint32_t interface = AddInterface(link.node, link.device, link.address);
    SetLinuxArpLimits(link.node, link.device);
    if (!link.is_node) {
      ns3::Ipv4StaticRoutingHelper routing;
      routing.GetStaticRouting(link.node->GetObject<ns3::Ipv4>())
          ->AddNetworkRouteTo(ns3::Ipv4Address("0.0.0.0"), ns3::Ipv4Mask("0.0.0.0"), interface);
      SetArpAliveTimeout(link.node, link.device, ToNs3(p.client_arp_timeout));
      if (p.client_arp == ClientArp::kLinux) InstallLinuxGarp(link.node, link.device);
    }
    t.hosts.push_back(std::move(link));
  }
  // Hosts know each other's own addresses from the start (static
  // neighbour entries): a warm LAN, where the nodes' and clients' addresses
  // were resolved long ago. Only VIPs are resolved by ARP in the run, which
  // is what failover is about; N hosts otherwise start with N^2 broadcast
  // ARP requests, each copied to every switch port.
  for (const HostLink& a : t.hosts) {
    for (const HostLink& b : t.hosts) {
      if (&a != &b) AddStaticNeighbour(a.node, a.device, b.address, b.device->GetAddress());
    }
  }
  if (switch_count == 2) {
    const ns3::NetDeviceContainer trunk = csma.Install(switches);
    ports[0].Add(trunk.Get(0));
    ports[1].Add(trunk.Get(1));
    all_devices.Add(trunk);
  }
  ns3::BridgeHelper bridge;
  bridge.SetDeviceAttribute("ExpirationTime", ns3::TimeValue(ToNs3(p.switch_mac_aging)));
  for (size_t s = 0; s < switch_count; ++s) bridge.Install(t.switches[s], ports[s]);
  csma.AssignStreams(all_devices, kStreamCsma);

  if (!pcap_prefix.empty()) {
    for (const HostLink& link : t.hosts) {
      csma.EnablePcap(pcap_prefix + "-" + link.name + "-eth0.pcap", link.device, false, true);
    }
    for (size_t s = 0; s < switch_count; ++s) {
      for (uint32_t i = 0; i < ports[s].GetN(); ++i) {
        csma.EnablePcap(
            pcap_prefix + "-switch-" + std::to_string(s) + "-port" + std::to_string(i) + ".pcap",
            ports[s].Get(i), false, true);
      }
    }
  }
  return t;
}

}  // namespace vipcast::sim
