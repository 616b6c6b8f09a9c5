// EcmpFibRouting: the forwarding table of a simulated router, filled from
// the routes its BGP engine (bgp::Router) selected. An ns-3
// Ipv4RoutingProtocol added to the router's Ipv4ListRouting above static
// routing: packets whose destination matches a FIB prefix (longest match)
// go to one of the prefix's ECMP next hops, chosen per flow by a hash of
// the 5-tuple (source, destination, protocol and, for TCP and UDP, the two
// ports), as Linux's fib_multipath_hash_policy=1 and most routers do, so a
// flow stays on one node while the set is unchanged. Everything else (local
// delivery, connected subnets, the router's own traffic) is left to the
// protocols below it.
#pragma once

#include <cstdint>
#include <map>
#include <vector>

#include "ns3/ipv4-address.h"
#include "ns3/ipv4-routing-protocol.h"
#include "ns3/ipv4.h"

namespace vipcast::sim {

class EcmpFibRouting : public ns3::Ipv4RoutingProtocol {
 public:
  static ns3::TypeId GetTypeId();

  // Replaces `prefix`'s next hops; an empty set removes the route.
  void SetRoute(ns3::Ipv4Address network, uint8_t length, std::vector<ns3::Ipv4Address> next_hops);
  void Clear() { routes_.clear(); }
  size_t size() const { return routes_.size(); }

  // The next hop a packet of this flow takes now (nullopt-like: the
  // unspecified address when no route matches). For tests.
  ns3::Ipv4Address NextHopFor(const ns3::Ipv4Header& header, const uint8_t* l4,
                              size_t l4_size) const;

  ns3::Ptr<ns3::Ipv4Route> RouteOutput(ns3::Ptr<ns3::Packet> p, const ns3::Ipv4Header& header,
                                       ns3::Ptr<ns3::NetDevice> oif,
                                       ns3::Socket::SocketErrno& sockerr) override;
  bool RouteInput(ns3::Ptr<const ns3::Packet> p, const ns3::Ipv4Header& header,
                  ns3::Ptr<const ns3::NetDevice> idev, UnicastForwardCallback ucb,
                  MulticastForwardCallback mcb, LocalDeliverCallback lcb,
                  ErrorCallback ecb) override;
  void NotifyInterfaceUp(uint32_t) override {}
  void NotifyInterfaceDown(uint32_t) override {}
  void NotifyAddAddress(uint32_t, ns3::Ipv4InterfaceAddress) override {}
  void NotifyRemoveAddress(uint32_t, ns3::Ipv4InterfaceAddress) override {}
  void SetIpv4(ns3::Ptr<ns3::Ipv4> ipv4) override { ipv4_ = ipv4; }
  void PrintRoutingTable(ns3::Ptr<ns3::OutputStreamWrapper> stream,
                         ns3::Time::Unit unit) const override;

 protected:
  void DoDispose() override;

 private:
  // Key: (prefix length, masked network), so the longest match is found by
  // walking lengths from 32 down.
  using Key = std::pair<uint8_t, uint32_t>;
  const std::vector<ns3::Ipv4Address>* Lookup(ns3::Ipv4Address destination) const;
  ns3::Ptr<ns3::Ipv4Route> MakeRoute(const ns3::Ipv4Header& header,
                                     ns3::Ipv4Address next_hop) const;

  ns3::Ptr<ns3::Ipv4> ipv4_;
  std::map<Key, std::vector<ns3::Ipv4Address>> routes_;
  uint64_t lengths_mask_ = 0;  // bit L set: some route has length L
};

}  // namespace vipcast::sim
