// Finding the CSMA links of a built topology by their ends, for the
// per-link faults (link_down/link_up with a peer, loss on a link, delay).
// A link is one CsmaChannel; its ends are the ns-3 Nodes of the devices on
// it (hosts, or a switch's bridge node). Every device in the sim
// topologies carries a FrameFilter as its receive error model
// (topology_parts.cc AttachFilter), so a link's filters act on both
// directions.
#pragma once

#include <optional>
#include <vector>

#include "ns3/csma-channel.h"
#include "ns3/csma-net-device.h"
#include "ns3/node.h"
#include "sim/ns3/frame_filter.h"

namespace vipcast::sim {

struct CsmaLink {
  ns3::Ptr<ns3::CsmaChannel> channel;
  std::vector<ns3::Ptr<ns3::CsmaNetDevice>> devices;  // each end's device
  std::vector<ns3::Ptr<FrameFilter>> filters;         // and its receive filter (same order)
};

// The link joining `a` and `b` directly, if any.
std::optional<CsmaLink> FindCsmaLink(ns3::Ptr<ns3::Node> a, ns3::Ptr<ns3::Node> b);

// Every CSMA link `node` has a device on, in device order.
std::vector<CsmaLink> CsmaLinksOf(ns3::Ptr<ns3::Node> node);

}  // namespace vipcast::sim
