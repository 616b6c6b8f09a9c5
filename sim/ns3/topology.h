// The topologies of vipcast-sim:
//  - "l2-switch": one switch (a BridgeNetDevice over one CSMA port per host,
//    MAC learning with ExpirationTime = switch_mac_aging); every host has
//    its own two-device CSMA link (link_rate_bps, link_delay) to it, so a
//    frame reaches only the switch, not every host as on a shared bus.
//  - "l2-two-switches": the same with two switches joined by one CSMA link;
//    nodes 0..ceil(N/2)-1 on switch 0, the rest on switch 1, clients on
//    switch 0.
//  - "bgp-router": the nodes and R routers ("router-<r>", 10.0.0.1+r) on
//    switch 0; the clients on switch 1 (10.1.0.0/16) behind router-0
//    (10.1.0.1 there), so client traffic to a VIP crosses router-0, which
//    forwards it by its BGP-learned FIB (EcmpFibRouting, filled by the
//    World from the router's engine). Nodes route 0.0.0.0/0 via router-0,
//    clients via router-0's client-side address.
// Hosts "node-<i>", "client-<j>", then "router-<r>" (in that order, so MACs
// of the layer 2 topologies are what they were before routers existed).
// Nodes from 10.0.0.10, l2 clients from 10.0.128.10, all in 10.0.0.0/16
// (room for 2000 and more of each); MAC 02:00:00:00:HH:LL by host ordinal.
// l2 clients have an on-link default route (0.0.0.0/0 on the LAN
// interface) so that they ARP for any VIP directly, their ArpCache
// AliveTimeout is client_arp_timeout, and with client_arp linux they get
// InstallLinuxGarp. Every CSMA device (host side and switch port) has a
// FrameFilter with the link_loss rate. All ns-3 random streams are assigned
// explicitly: the build is a pure function of the parameters.
#pragma once

#include <string>
#include <vector>

#include "engine/core/result.h"
#include "ns3/csma-channel.h"
#include "ns3/csma-net-device.h"
#include "ns3/ipv4-address.h"
#include "ns3/node.h"
#include "sim/ns3/ecmp_fib_routing.h"
#include "sim/ns3/frame_filter.h"
#include "sim/scenario/scenario.h"

namespace vipcast::sim {

struct HostLink {
  std::string name;  // "node-0", "client-0", "router-0"
  bool is_node = false;
  bool is_router = false;
  size_t index = 0;  // i of node-<i>, j of client-<j>, r of router-<r>
  ns3::Ptr<ns3::Node> node;
  ns3::Ptr<ns3::CsmaNetDevice> device;       // the host's LAN device ("eth0")
  ns3::Ptr<ns3::CsmaNetDevice> switch_port;  // the switch's end of the link
  ns3::Ptr<ns3::CsmaChannel> channel;
  ns3::Ptr<FrameFilter> filter;       // receive side of `device`
  ns3::Ptr<FrameFilter> port_filter;  // receive side of `switch_port`
  ns3::Ipv4Address address;
  size_t switch_index = 0;
  // router-0 of bgp-router with clients: its device on the clients' switch.
  ns3::Ptr<ns3::CsmaNetDevice> client_side;
  ns3::Ptr<ns3::CsmaChannel> client_channel;
  ns3::Ptr<EcmpFibRouting> fib;  // routers only
};

struct Topology {
  std::vector<HostLink> hosts;  // nodes in index order, then clients, then routers
  std::vector<ns3::Ptr<ns3::Node>> switches;
};

// Errors name the parameter at fault ("params.nodes: ...").
core::Result<Topology> BuildTopology(const TopologyParams& params, const std::string& pcap_prefix);

}  // namespace vipcast::sim
