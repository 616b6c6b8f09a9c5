// The layer 2 topologies of vipcast-sim:
//  - "l2-switch": one switch (a BridgeNetDevice over one CSMA port per host,
//    MAC learning with ExpirationTime = switch_mac_aging); every host has
//    its own two-device CSMA link (link_rate_bps, link_delay) to it, so a
//    frame reaches only the switch, not every host as on a shared bus.
//  - "l2-two-switches": the same with two switches joined by one CSMA link;
//    nodes 0..ceil(N/2)-1 on switch 0, the rest on switch 1, clients on
//    switch 0.
// Hosts "node-<i>" then "client-<j>", all IPv4 in 10.0.0.0/16 (nodes from
// 10.0.0.10, clients from 10.0.128.10; room for 2000 and more of each), MAC
// 02:00:00:00:HH:LL by host ordinal. Clients have an on-link default route
// (0.0.0.0/0 on the LAN interface) so that they ARP for any VIP directly,
// their ArpCache AliveTimeout is client_arp_timeout, and with client_arp
// linux they get InstallLinuxGarp. Every CSMA device (host side and switch
// port) has a FrameFilter with the link_loss rate. All ns-3 random streams
// are assigned explicitly: the build is a pure function of the parameters.
#pragma once

#include <string>
#include <vector>

#include "engine/core/result.h"
#include "ns3/csma-channel.h"
#include "ns3/csma-net-device.h"
#include "ns3/ipv4-address.h"
#include "ns3/node.h"
#include "sim/ns3/frame_filter.h"
#include "sim/scenario/scenario.h"

namespace vipcast::sim {

struct HostLink {
  std::string name;  // "node-0", "client-0"
  bool is_node = false;
  size_t index = 0;  // i of node-<i> or j of client-<j>
  ns3::Ptr<ns3::Node> node;
  ns3::Ptr<ns3::CsmaNetDevice> device;       // the host's LAN device ("eth0")
  ns3::Ptr<ns3::CsmaNetDevice> switch_port;  // the switch's end of the link
  ns3::Ptr<ns3::CsmaChannel> channel;
  ns3::Ptr<FrameFilter> filter;       // receive side of `device`
  ns3::Ptr<FrameFilter> port_filter;  // receive side of `switch_port`
  ns3::Ipv4Address address;
  size_t switch_index = 0;
};

struct L2Topology {
  std::vector<HostLink> hosts;  // nodes in index order, then clients
  std::vector<ns3::Ptr<ns3::Node>> switches;
};

// Errors name the parameter at fault ("params.nodes: ...").
core::Result<L2Topology> BuildL2Topology(const TopologyParams& params,
                                         const std::string& pcap_prefix);

}  // namespace vipcast::sim
