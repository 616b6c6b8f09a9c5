#include "sim/ns3/topology.h"

#include <array>

#include "ns3/bridge-helper.h"
#include "ns3/csma-helper.h"
#include "ns3/internet-stack-helper.h"
#include "ns3/ipv4-list-routing.h"
#include "ns3/ipv4-static-routing-helper.h"
#include "ns3/ipv4.h"
#include "ns3/mac48-address.h"
#include "sim/ns3/client_arp.h"
#include "sim/ns3/conversions.h"
#include "sim/ns3/topology_ipv6.h"
#include "sim/ns3/topology_parts.h"

namespace vipcast::sim {

using namespace topology_parts;  // NOLINT(google-build-using-namespace): one file's helpers

namespace {

// Address blocks inside 10.0.0.0/16.
constexpr uint32_t kSubnet = 0x0A000000;  // 10.0.0.0
constexpr uint32_t kFirstNode = kSubnet + 10;
constexpr uint32_t kFirstClient = kSubnet + (128u << 8) + 10;
constexpr size_t kMaxPerKind = (128u << 8) - 20;
// bgp-router: routers on the LAN from 10.0.0.1, clients behind router-0 in
// 10.1.0.0/16 (router-0 is 10.1.0.1 there).
constexpr uint32_t kFirstRouter = kSubnet + 1;
constexpr size_t kMaxRouters = 8;  // 10.0.0.1..8, below the nodes

}  // namespace

core::Result<Topology> BuildTopology(const TopologyParams& p, const std::string& pcap_prefix) {
  if (p.kind == "leaf-spine") return BuildLeafSpine(p, pcap_prefix);
  const bool routed = p.kind == "bgp-router";
  size_t switch_count = 0;
  if (p.kind == "l2-switch") switch_count = 1;
  if (p.kind == "l2-two-switches") switch_count = 2;
  if (routed) switch_count = p.clients > 0 ? 2 : 1;
  if (switch_count == 0) {
    return core::MakeErr(
        "topology: \"" + p.kind +
        "\" is not built by sim/ns3 yet (l2-switch, l2-two-switches, bgp-router, leaf-spine)");
  }
  const size_t routers = routed ? p.routers : 0;
  if (routed && (routers == 0 || routers > kMaxRouters)) {
    return core::MakeErr("params.routers: must be 1.." + std::to_string(kMaxRouters));
  }
  if (p.nodes == 0 || p.nodes > kMaxPerKind) {
    return core::MakeErr("params.nodes: must be 1.." + std::to_string(kMaxPerKind));
  }
  if (p.clients > kMaxPerKind) {
    return core::MakeErr("params.clients: at most " + std::to_string(kMaxPerKind));
  }
  if (auto checked = CheckLinkParams(p); !checked.ok()) return core::MakeErr(checked.error());
  if (p.client_arp_timeout <= core::Duration::Zero()) {
    return core::MakeErr(std::string("params.client_arp_timeout: must be positive"));
  }

  ns3::Mac48Address::ResetAllocationIndex();
  ns3::CsmaHelper csma = MakeCsma(p);

  Topology t;
  ns3::NodeContainer switches;
  switches.Create(switch_count);
  for (uint32_t s = 0; s < switch_count; ++s) t.switches.push_back(switches.Get(s));
  std::vector<ns3::NetDeviceContainer> ports(switch_count);

  ns3::NodeContainer hosts;
  hosts.Create(p.nodes + p.clients + routers);
  ns3::InternetStackHelper internet;
  internet.Install(hosts);
  internet.AssignStreams(hosts, kStreamInternet);

  ns3::NetDeviceContainer all_devices;
  int64_t filter_stream = kStreamFilters;
  for (size_t h = 0; h < p.nodes + p.clients + routers; ++h) {
    HostLink link;
    link.is_node = h < p.nodes;
    link.is_router = h >= p.nodes + p.clients;
    link.index = link.is_node ? h : link.is_router ? h - p.nodes - p.clients : h - p.nodes;
    link.name = (link.is_node     ? "node-"
                 : link.is_router ? "router-"
                                  : "client-") +
                std::to_string(link.index);
    link.node = hosts.Get(static_cast<uint32_t>(h));
    if (routed) {
      link.switch_index = !link.is_node && !link.is_router ? 1 : 0;
    } else {
      link.switch_index = link.is_node ? NodeSwitch(p, link.index) : 0;
    }
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
    const auto index = static_cast<uint32_t>(link.index);
    if (link.is_node) {
      link.address = ns3::Ipv4Address(kFirstNode + index);
    } else if (link.is_router) {
      link.address = ns3::Ipv4Address(kFirstRouter + index);
    } else {
      link.address = ns3::Ipv4Address((routed ? kFirstRoutedClient : kFirstClient) + index);
    }
    const uint32_t interface = AddInterface(link.node, link.device, link.address);
    SetLinuxArpLimits(link.node, link.device);
    if (link.is_router) {
      link.router_ordinal = link.index;
      link.fib = InstallFib(link.node);
      if (link.index == 0 && p.clients > 0) {
        const ns3::NetDeviceContainer side =
            csma.Install(ns3::NodeContainer(link.node, t.switches[1]));
        link.client_side = ns3::DynamicCast<ns3::CsmaNetDevice>(side.Get(0));
        link.client_channel = ns3::DynamicCast<ns3::CsmaChannel>(link.client_side->GetChannel());
        link.client_side->SetAddress(HostMac(p.nodes + p.clients + routers + 1));
        AttachFilter(link.client_side, p.link_loss, filter_stream++);
        AttachFilter(ns3::DynamicCast<ns3::CsmaNetDevice>(side.Get(1)), p.link_loss,
                     filter_stream++);
        ports[1].Add(side.Get(1));
        all_devices.Add(side);
        AddInterface(link.node, link.client_side, ns3::Ipv4Address(kRouterClientSide));
        SetLinuxArpLimits(link.node, link.client_side);
      }
    } else if (routed) {
      AddDefaultRoute(link.node, interface,
                      ns3::Ipv4Address(link.is_node ? kFirstRouter : kRouterClientSide));
    } else if (!link.is_node) {
      AddDefaultRoute(link.node, interface);
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
      // l2 topologies are one segment; bgp-router has two, router-0 between.
      if (&a == &b || (routed && a.switch_index != b.switch_index)) continue;
      AddStaticNeighbour(a.node, a.device, b.address, b.device->GetAddress());
    }
  }
  // bgp-router: the clients and router-0's client side know each other.
  for (const HostLink& r : t.hosts) {
    if (!r.client_side) continue;
    for (const HostLink& c : t.hosts) {
      if (c.is_node || c.is_router) continue;
      AddStaticNeighbour(c.node, c.device, ns3::Ipv4Address(kRouterClientSide),
                         r.client_side->GetAddress());
      AddStaticNeighbour(r.node, r.client_side, c.address, c.device->GetAddress());
    }
  }
  if (!routed && p.ipv6) AddIpv6(t, p);  // dual stack when used: topology_ipv6.h
  if (switch_count == 2 && !routed) {
    const ns3::NetDeviceContainer trunk = csma.Install(switches);
    ports[0].Add(trunk.Get(0));
    ports[1].Add(trunk.Get(1));
    // Lossless (link_loss is for host links); the filters carry the
    // per-link faults on the trunk (link_down/delay between the switches).
    for (uint32_t end = 0; end < 2; ++end) {
      AttachFilter(ns3::DynamicCast<ns3::CsmaNetDevice>(trunk.Get(end)), 0, filter_stream++);
    }
    all_devices.Add(trunk);
  }
  ns3::BridgeHelper bridge;
  bridge.SetDeviceAttribute("ExpirationTime", ns3::TimeValue(ToNs3(p.switch_mac_aging)));
  for (size_t s = 0; s < switch_count; ++s) bridge.Install(t.switches[s], ports[s]);
  csma.AssignStreams(all_devices, kStreamCsma);

  if (!pcap_prefix.empty()) {
    for (const HostLink& link : t.hosts) {
      csma.EnablePcap(pcap_prefix + "-" + link.name + "-eth0.pcap", link.device, false, true);
      if (link.client_side) {
        csma.EnablePcap(pcap_prefix + "-" + link.name + "-eth1.pcap", link.client_side, false,
                        true);
      }
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
