// The leaf-spine topology (see topology.h for the addressing plan).
#include <algorithm>
#include <string>
#include <vector>

#include "ns3/bridge-helper.h"
#include "ns3/csma-helper.h"
#include "ns3/internet-stack-helper.h"
#include "ns3/ipv4.h"
#include "ns3/mac48-address.h"
#include "sim/ns3/client_arp.h"
#include "sim/ns3/conversions.h"
#include "sim/ns3/topology.h"
#include "sim/ns3/topology_parts.h"

namespace vipcast::sim {

using namespace topology_parts;  // NOLINT(google-build-using-namespace): one file's helpers

namespace {

// Leaf k's subnet is 10.0.k.0/24: the leaf at .1, its nodes from .10.
constexpr uint32_t kLeafSubnets = 0x0A000000;  // 10.0.0.0
constexpr size_t kMaxLeaves = 256;
constexpr size_t kMaxNodesPerLeaf = 240;  // 10.0.k.10 .. 10.0.k.249
// Spine s's link to leaf k: 10.(2+s).k.0/24, spine .1, leaf .2.
constexpr uint32_t kFabricLinks = 0x0A020000;  // 10.2.0.0
constexpr size_t kMaxSpines = 16;              // 10.2 .. 10.17

uint32_t LeafSubnet(size_t k) { return kLeafSubnets + (static_cast<uint32_t>(k) << 8); }
uint32_t FabricSubnet(size_t s, size_t k) {
  return kFabricLinks + (static_cast<uint32_t>(s) << 16) + (static_cast<uint32_t>(k) << 8);
}

HostLink MakeHost(std::string prefix, size_t index, ns3::Ptr<ns3::Node> node) {
  HostLink link;
  link.name = prefix + std::to_string(index);
  link.index = index;
  link.node = node;
  return link;
}

}  // namespace

core::Result<Topology> BuildLeafSpine(const TopologyParams& p, const std::string& pcap_prefix) {
  if (p.spines == 0 || p.spines > kMaxSpines) {
    return core::MakeErr("params.spines: must be 1.." + std::to_string(kMaxSpines));
  }
  if (p.leaves == 0 || p.leaves > kMaxLeaves) {
    return core::MakeErr("params.leaves: must be 1.." + std::to_string(kMaxLeaves));
  }
  if (p.nodes_per_leaf == 0 || p.nodes_per_leaf > kMaxNodesPerLeaf) {
    return core::MakeErr("params.nodes_per_leaf: must be 1.." + std::to_string(kMaxNodesPerLeaf) +
                         " (one /24 per leaf)");
  }
  if (p.clients > 240) return core::MakeErr(std::string("params.clients: at most 240"));
  if (auto checked = CheckLinkParams(p); !checked.ok()) return core::MakeErr(checked.error());
  const size_t nodes = p.leaves * p.nodes_per_leaf;

  ns3::Mac48Address::ResetAllocationIndex();
  ns3::CsmaHelper csma = MakeCsma(p);
  Topology t;
  // Switches 0..L-1: one per leaf; switch L: the clients and spines.
  const size_t client_switch = p.leaves;
  ns3::NodeContainer switches;
  switches.Create(static_cast<uint32_t>(p.leaves + 1));
  for (uint32_t s = 0; s < switches.GetN(); ++s) t.switches.push_back(switches.Get(s));
  std::vector<ns3::NetDeviceContainer> ports(switches.GetN());

  const size_t host_count = nodes + p.clients + p.spines + p.leaves;
  ns3::NodeContainer hosts;
  hosts.Create(static_cast<uint32_t>(host_count));
  ns3::InternetStackHelper internet;
  internet.Install(hosts);
  internet.AssignStreams(hosts, kStreamInternet);

  ns3::NetDeviceContainer all_devices;
  int64_t filter_stream = kStreamFilters;
  size_t mac_ordinal = 0;
  // The host's LAN device on switch `sw`, with `address`/`length`.
  auto plug = [&](HostLink& link, size_t sw, ns3::Ipv4Address address, uint8_t length) {
    const ns3::NetDeviceContainer pair =
        csma.Install(ns3::NodeContainer(link.node, t.switches[sw]));
    link.switch_index = sw;
    link.device = ns3::DynamicCast<ns3::CsmaNetDevice>(pair.Get(0));
    link.switch_port = ns3::DynamicCast<ns3::CsmaNetDevice>(pair.Get(1));
    link.channel = ns3::DynamicCast<ns3::CsmaChannel>(link.device->GetChannel());
    link.device->SetAddress(HostMac(++mac_ordinal));
    link.filter = AttachFilter(link.device, p.link_loss, filter_stream++);
    link.port_filter = AttachFilter(link.switch_port, p.link_loss, filter_stream++);
    ports[sw].Add(link.switch_port);
    all_devices.Add(pair);
    link.address = address;
    const uint32_t interface = AddInterface(link.node, link.device, address, length);
    SetLinuxArpLimits(link.node, link.device);
    return interface;
  };

  uint32_t h = 0;
  for (size_t i = 0; i < nodes; ++i) {
    HostLink link = MakeHost("node-", i, hosts.Get(h++));
    link.is_node = true;
    const size_t k = i / p.nodes_per_leaf;
    const auto j = static_cast<uint32_t>(i % p.nodes_per_leaf);
    const uint32_t interface = plug(link, k, ns3::Ipv4Address(LeafSubnet(k) + 10 + j), 24);
    AddDefaultRoute(link.node, interface, ns3::Ipv4Address(LeafSubnet(k) + 1));
    t.hosts.push_back(std::move(link));
  }
  for (size_t c = 0; c < p.clients; ++c) {
    HostLink link = MakeHost("client-", c, hosts.Get(h++));
    const uint32_t interface = plug(
        link, client_switch, ns3::Ipv4Address(kFirstRoutedClient + static_cast<uint32_t>(c)), 16);
    AddDefaultRoute(link.node, interface, ns3::Ipv4Address(kRouterClientSide));
    t.hosts.push_back(std::move(link));
  }
  const size_t first_spine = t.hosts.size();
  for (size_t s = 0; s < p.spines; ++s) {
    HostLink link = MakeHost("spine-", s, hosts.Get(h++));
    link.is_router = true;
    link.asn = p.router_asn;
    link.router_ordinal = s;
    plug(link, client_switch, ns3::Ipv4Address(kRouterClientSide + static_cast<uint32_t>(s)), 16);
    link.fib = InstallFib(link.node);
    t.hosts.push_back(std::move(link));
  }
  const size_t first_leaf = t.hosts.size();
  for (size_t k = 0; k < p.leaves; ++k) {
    HostLink link = MakeHost("leaf-", k, hosts.Get(h++));
    link.is_router = true;
    link.asn = p.router_asn + 1 + static_cast<uint32_t>(k);
    link.router_ordinal = p.spines + k;
    plug(link, k, ns3::Ipv4Address(LeafSubnet(k) + 1), 24);
    link.fib = InstallFib(link.node);
    link.originated.push_back(
        core::Prefix::Make(core::IpAddr(FromNs3(ns3::Ipv4Address(LeafSubnet(k)))), 24).value());
    t.hosts.push_back(std::move(link));
  }
  // The fabric: spine s <-> leaf k, each link its own two-device channel.
  for (size_t s = 0; s < p.spines; ++s) {
    HostLink& spine = t.hosts[first_spine + s];
    for (size_t k = 0; k < p.leaves; ++k) {
      HostLink& leaf = t.hosts[first_leaf + k];
      const ns3::NetDeviceContainer pair = csma.Install(ns3::NodeContainer(spine.node, leaf.node));
      all_devices.Add(pair);
      HostLink::FabricLink down, up;
      down.device = ns3::DynamicCast<ns3::CsmaNetDevice>(pair.Get(0));
      up.device = ns3::DynamicCast<ns3::CsmaNetDevice>(pair.Get(1));
      down.channel = up.channel = ns3::DynamicCast<ns3::CsmaChannel>(down.device->GetChannel());
      down.device->SetAddress(HostMac(++mac_ordinal));
      up.device->SetAddress(HostMac(++mac_ordinal));
      AttachFilter(down.device, p.link_loss, filter_stream++);
      AttachFilter(up.device, p.link_loss, filter_stream++);
      down.address = up.peer_address = ns3::Ipv4Address(FabricSubnet(s, k) + 1);
      up.address = down.peer_address = ns3::Ipv4Address(FabricSubnet(s, k) + 2);
      AddInterface(spine.node, down.device, down.address, 24);
      const uint32_t leaf_if = AddInterface(leaf.node, up.device, up.address, 24);
      SetLinuxArpLimits(spine.node, down.device);
      SetLinuxArpLimits(leaf.node, up.device);
      AddStaticNeighbour(spine.node, down.device, up.address, up.device->GetAddress());
      AddStaticNeighbour(leaf.node, up.device, down.address, down.device->GetAddress());
      if (s == 0) AddDefaultRoute(leaf.node, leaf_if, down.address);
      down.peer = leaf.name;
      down.peer_asn = leaf.asn;
      up.peer = spine.name;
      up.peer_asn = spine.asn;
      up.connect = true;
      spine.fabric.push_back(std::move(down));
      leaf.fabric.push_back(std::move(up));
    }
  }
  // A warm fabric (see topology.cc): hosts on one switch know each other.
  for (const HostLink& a : t.hosts) {
    for (const HostLink& b : t.hosts) {
      if (&a == &b || a.switch_index != b.switch_index) continue;
      AddStaticNeighbour(a.node, a.device, b.address, b.device->GetAddress());
    }
  }
  ns3::BridgeHelper bridge;
  bridge.SetDeviceAttribute("ExpirationTime", ns3::TimeValue(ToNs3(p.switch_mac_aging)));
  for (size_t s = 0; s < t.switches.size(); ++s) bridge.Install(t.switches[s], ports[s]);
  csma.AssignStreams(all_devices, kStreamCsma);

  if (!pcap_prefix.empty()) {
    for (const HostLink& link : t.hosts) {
      csma.EnablePcap(pcap_prefix + "-" + link.name + "-eth0.pcap", link.device, false, true);
      for (size_t f = 0; f < link.fabric.size(); ++f) {
        csma.EnablePcap(pcap_prefix + "-" + link.name + "-eth" + std::to_string(f + 1) + ".pcap",
                        link.fabric[f].device, false, true);
      }
    }
  }
  return t;
}

}  // namespace vipcast::sim
