#include "sim/ns3/ecmp_fib_routing.h"

#include <algorithm>
#include <array>

#include "ns3/ipv4-route.h"
#include "ns3/output-stream-wrapper.h"

namespace vipcast::sim {

namespace {

constexpr uint8_t kTcp = 6;
constexpr uint8_t kUdp = 17;

uint32_t Mask(uint8_t length) { return length == 0 ? 0 : ~uint32_t{0} << (32 - length); }

// FNV-1a over the flow's fields: stable across runs and platforms, so the
// simulation stays deterministic.
uint64_t FlowHash(const ns3::Ipv4Header& header, const uint8_t* l4, size_t l4_size) {
  uint64_t h = 0xcbf29ce484222325ull;
  auto mix = [&h](uint32_t v, int bytes) {
    for (int i = bytes - 1; i >= 0; --i) {
      h ^= (v >> (8 * i)) & 0xff;
      h *= 0x100000001b3ull;
    }
  };
  mix(header.GetSource().Get(), 4);
  mix(header.GetDestination().Get(), 4);
  mix(header.GetProtocol(), 1);
  const bool first_fragment = header.GetFragmentOffset() == 0;
  if ((header.GetProtocol() == kTcp || header.GetProtocol() == kUdp) && first_fragment &&
      l4_size >= 4) {
    for (size_t i = 0; i < 4; ++i) mix(l4[i], 1);
  }
  return h;
}

}  // namespace

NS_OBJECT_ENSURE_REGISTERED(EcmpFibRouting);

ns3::TypeId EcmpFibRouting::GetTypeId() {
  static ns3::TypeId tid = ns3::TypeId("vipcast::sim::EcmpFibRouting")
                               .SetParent<ns3::Ipv4RoutingProtocol>()
                               .SetGroupName("Vipcast")
                               .AddConstructor<EcmpFibRouting>();
  return tid;
}

void EcmpFibRouting::DoDispose() {
  ipv4_ = nullptr;
  ns3::Ipv4RoutingProtocol::DoDispose();
}

void EcmpFibRouting::SetRoute(ns3::Ipv4Address network, uint8_t length,
                              std::vector<ns3::Ipv4Address> next_hops) {
  const Key key{length, network.Get() & Mask(length)};
  if (next_hops.empty()) {
    routes_.erase(key);
  } else {
    std::sort(next_hops.begin(), next_hops.end());
    routes_[key] = std::move(next_hops);
  }
  lengths_mask_ = 0;
  for (const auto& [k, hops] : routes_) lengths_mask_ |= uint64_t{1} << k.first;
}

const std::vector<ns3::Ipv4Address>* EcmpFibRouting::Lookup(ns3::Ipv4Address destination) const {
  for (int length = 32; length >= 0; --length) {
    if ((lengths_mask_ >> length & 1) == 0) continue;
    auto it = routes_.find(
        {static_cast<uint8_t>(length), destination.Get() & Mask(static_cast<uint8_t>(length))});
    if (it != routes_.end()) return &it->second;
  }
  return nullptr;
}

ns3::Ipv4Address EcmpFibRouting::NextHopFor(const ns3::Ipv4Header& header, const uint8_t* l4,
                                            size_t l4_size) const {
  const std::vector<ns3::Ipv4Address>* hops = Lookup(header.GetDestination());
  if (hops == nullptr) return ns3::Ipv4Address::GetAny();
  return (*hops)[FlowHash(header, l4, l4_size) % hops->size()];
}

ns3::Ptr<ns3::Ipv4Route> EcmpFibRouting::MakeRoute(const ns3::Ipv4Header& header,
                                                   ns3::Ipv4Address next_hop) const {
  if (!ipv4_) return nullptr;
  // The interface whose subnet holds the next hop (BGP next hops here are
  // always on a connected subnet: single-hop eBGP).
  for (uint32_t i = 0; i < ipv4_->GetNInterfaces(); ++i) {
    if (!ipv4_->IsUp(i)) continue;
    for (uint32_t a = 0; a < ipv4_->GetNAddresses(i); ++a) {
      const ns3::Ipv4InterfaceAddress address = ipv4_->GetAddress(i, a);
      if (address.GetMask() == ns3::Ipv4Mask::GetOnes()) continue;
      if (!address.GetMask().IsMatch(address.GetLocal(), next_hop)) continue;
      ns3::Ptr<ns3::Ipv4Route> route = ns3::Create<ns3::Ipv4Route>();
      route->SetDestination(header.GetDestination());
      route->SetSource(address.GetLocal());
      route->SetGateway(next_hop);
      route->SetOutputDevice(ipv4_->GetNetDevice(i));
      return route;
    }
  }
  return nullptr;
}

ns3::Ptr<ns3::Ipv4Route> EcmpFibRouting::RouteOutput(ns3::Ptr<ns3::Packet> p,
                                                     const ns3::Ipv4Header& header,
                                                     ns3::Ptr<ns3::NetDevice> oif,
                                                     ns3::Socket::SocketErrno& sockerr) {
  std::array<uint8_t, 4> l4{};
  const size_t n = p ? p->CopyData(l4.data(), l4.size()) : 0;
  const ns3::Ipv4Address hop = NextHopFor(header, l4.data(), n);
  ns3::Ptr<ns3::Ipv4Route> route;
  if (hop != ns3::Ipv4Address::GetAny()) route = MakeRoute(header, hop);
  if (route && oif && route->GetOutputDevice() != oif) route = nullptr;
  sockerr = route ? ns3::Socket::ERROR_NOTERROR : ns3::Socket::ERROR_NOROUTETOHOST;
  return route;
}

bool EcmpFibRouting::RouteInput(ns3::Ptr<const ns3::Packet> p, const ns3::Ipv4Header& header,
                                ns3::Ptr<const ns3::NetDevice> idev, UnicastForwardCallback ucb,
                                MulticastForwardCallback, LocalDeliverCallback, ErrorCallback) {
  if (!ipv4_ || header.GetDestination().IsMulticast() || header.GetDestination().IsBroadcast()) {
    return false;
  }
  // Ipv4ListRouting has already delivered packets for our own addresses.
  if (ipv4_->GetInterfaceForDevice(idev) < 0 ||
      !ipv4_->IsForwarding(static_cast<uint32_t>(ipv4_->GetInterfaceForDevice(idev)))) {
    return false;
  }
  std::array<uint8_t, 4> l4{};
  const size_t n = p->CopyData(l4.data(), l4.size());
  const ns3::Ipv4Address hop = NextHopFor(header, l4.data(), n);
  if (hop == ns3::Ipv4Address::GetAny()) return false;
  ns3::Ptr<ns3::Ipv4Route> route = MakeRoute(header, hop);
  if (!route) return false;
  ucb(route, p, header);
  return true;
}

void EcmpFibRouting::PrintRoutingTable(ns3::Ptr<ns3::OutputStreamWrapper> stream,
                                       ns3::Time::Unit) const {
  std::ostream& os = *stream->GetStream();
  for (const auto& [key, hops] : routes_) {
    os << ns3::Ipv4Address(key.second) << "/" << static_cast<int>(key.first) << " via";
    for (const ns3::Ipv4Address& hop : hops) os << " " << hop;
    os << "\n";
  }
}

}  // namespace vipcast::sim
