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
//  - "leaf-spine" (leaf_spine_topology.cc): an RFC 7938 two-tier Clos.
//    Leaf k ("leaf-<k>", ASN router_asn + 1 + k: one ASN per leaf, as RFC
//    7938 5.2.1) is the first-hop router of its own switch k, subnet
//    10.0.k.0/24: the leaf is 10.0.k.1, its nodes (node-<i> numbered leaf by
//    leaf) 10.0.k.10 + j and route 0.0.0.0/0 via it. Spine s ("spine-<s>",
//    ASN router_asn) has one point-to-point CSMA link to each leaf, subnet
//    10.(2+s).k.0/24 (spine .1, leaf .2). Every spine has a port on the
//    clients' switch (10.1.0.0/16, spine-s at 10.1.0.1 + s); clients route
//    via spine-0, leaves route 0.0.0.0/0 via spine-0 (static), so client
//    traffic to a VIP goes client -> spine-0 -> (ECMP per flow) a leaf ->
//    (ECMP per flow) a node, and answers come back leaf -> spine-0. Leaves
//    connect eBGP to every spine and advertise their node subnet and the
//    VIPs their nodes announce, with themselves as next hop (bgp::Export);
//    spines advertise nothing.
// Hosts "node-<i>", "client-<j>", then "router-<r>" (in that order, so MACs
// of the layer 2 topologies are what they were before routers existed);
// leaf-spine: nodes, clients, spines, leaves.
// Nodes from 10.0.0.10, l2 clients from 10.0.128.10, all in 10.0.0.0/16
// (room for 2000 and more of each); MAC 02:00:00:00:HH:LL by host ordinal.
// l2 clients have an on-link default route (0.0.0.0/0 on the LAN
// interface) so that they ARP for any VIP directly, their ArpCache
// AliveTimeout is client_arp_timeout, and with client_arp linux they get
// InstallLinuxGarp. Every CSMA device (host side and switch port) has a
// FrameFilter with the link_loss rate. All ns-3 random streams are assigned
// explicitly: the build is a pure function of the parameters.
// IPv6 (topology_ipv6.h): the layer 2 kinds are dual stack. Every host
// also has an address in fd00::/64 on eth0 (nodes fd00::a + i, clients
// fd00::8000 + j; plus ns-3's fe80:: link-local address), static
// neighbour entries for each other's, and clients an on-link default
// route ::/0 so that they send a Neighbor Solicitation for any IPv6 VIP.
// Membership, BGP and the routed kinds (bgp-router, leaf-spine) stay IPv4
// only. Client neighbour cache behaviour: client_ndp.h.
#pragma once

#include <string>
#include <vector>

#include "engine/core/ip.h"
#include "engine/core/result.h"
#include "ns3/csma-channel.h"
#include "ns3/csma-net-device.h"
#include "ns3/ipv4-address.h"
#include "ns3/ipv6-address.h"
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
  ns3::Ipv6Address address6;  // "::" on the routed kinds (IPv4 only)
  size_t switch_index = 0;
  // router-0 of bgp-router with clients: its device on the clients' switch.
  ns3::Ptr<ns3::CsmaNetDevice> client_side;
  ns3::Ptr<ns3::CsmaChannel> client_channel;
  ns3::Ptr<EcmpFibRouting> fib;  // routers only
  // Routers: their ASN (0: params.router_asn) and ordinal among the
  // routers (spines before leaves), which picks their Rng stream.
  uint32_t asn = 0;
  size_t router_ordinal = 0;
  // leaf-spine: this router's links to the other tier (a leaf's uplinks,
  // a spine's downlinks), one BGP session over each.
  struct FabricLink {
    std::string peer;  // "spine-0", "leaf-1"
    ns3::Ptr<ns3::CsmaNetDevice> device;
    ns3::Ptr<ns3::CsmaChannel> channel;
    ns3::Ipv4Address address;       // ours on the link
    ns3::Ipv4Address peer_address;  // theirs
    uint32_t peer_asn = 0;
    bool connect = false;  // leaves open the sessions, spines wait
  };
  std::vector<FabricLink> fabric;
  // Prefixes the router advertises to its fabric peers (a leaf's subnet).
  std::vector<core::Prefix> originated;
};

struct Topology {
  std::vector<HostLink> hosts;  // nodes in index order, then clients, then routers
  std::vector<ns3::Ptr<ns3::Node>> switches;
};

// Errors name the parameter at fault ("params.nodes: ...").
core::Result<Topology> BuildTopology(const TopologyParams& params, const std::string& pcap_prefix);
// The leaf-spine kind (BuildTopology calls it).
core::Result<Topology> BuildLeafSpine(const TopologyParams& params, const std::string& pcap_prefix);

}  // namespace vipcast::sim
