// Building blocks shared by the topology builders (topology.cc for the layer
// 2 kinds and bgp-router, leaf_spine_topology.cc): deterministic MACs, IPv4
// interfaces, receive filters, static routes, the FIB above static routing.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>

#include "engine/core/result.h"
#include "ns3/csma-helper.h"
#include "ns3/csma-net-device.h"
#include "ns3/ipv4-address.h"
#include "ns3/mac48-address.h"
#include "ns3/node.h"
#include "sim/ns3/ecmp_fib_routing.h"
#include "sim/ns3/frame_filter.h"
#include "sim/ns3/topology.h"

namespace vipcast::sim::topology_parts {

// Stream bases for ns-3's random variables (see FrameFilter::AssignStreams).
inline constexpr int64_t kStreamInternet = 1'000;
inline constexpr int64_t kStreamCsma = 1'000'000;
inline constexpr int64_t kStreamFilters = 2'000'000;
// Above Ipv4StaticRouting (0): FIB routes win over nothing else there, as
// a router's static table holds only its connected subnets (and, on a
// leaf, a default route).
inline constexpr int16_t kFibPriority = 10;
// bgp-router and leaf-spine: clients in 10.1.0.0/16 from 10.1.0.10, the
// router(s) on their switch from 10.1.0.1.
inline constexpr uint32_t kClientSubnet = 0x0A010000;  // 10.1.0.0
inline constexpr uint32_t kRouterClientSide = kClientSubnet + 1;
inline constexpr uint32_t kFirstRoutedClient = kClientSubnet + 10;

// 02:00:00:HH:MM:LL by a host's (or extra device's) ordinal.
ns3::Mac48Address HostMac(size_t ordinal);
// An interface for `device` with `address`/`prefix_length`, up.
uint32_t AddInterface(ns3::Ptr<ns3::Node> node, ns3::Ptr<ns3::NetDevice> device,
                      ns3::Ipv4Address address, uint8_t prefix_length = 16);
ns3::Ptr<FrameFilter> AttachFilter(ns3::Ptr<ns3::CsmaNetDevice> device, double loss,
                                   int64_t stream);
// 0.0.0.0/0 on `interface`, via `gateway` (any: on-link).
void AddDefaultRoute(ns3::Ptr<ns3::Node> node, uint32_t interface,
                     ns3::Ipv4Address gateway = ns3::Ipv4Address::GetAny());
ns3::Ptr<EcmpFibRouting> InstallFib(ns3::Ptr<ns3::Node> node);
// The parameter checks every kind shares (link rate, delay, loss, aging).
core::Status<> CheckLinkParams(const TopologyParams& p);
// A CSMA helper with the links' rate, delay and queue.
ns3::CsmaHelper MakeCsma(const TopologyParams& p);

}  // namespace vipcast::sim::topology_parts
