// Conversions between the engine's strong types and ns-3's: time (scenario
// time 0 = ns-3 time 0), IPv4 and IPv6 addresses, MAC addresses, packet bytes.
#pragma once

#include "engine/core/bytes.h"
#include "engine/core/ip.h"
#include "engine/core/mac.h"
#include "engine/core/time.h"
#include "ns3/ipv4-address.h"
#include "ns3/ipv6-address.h"
#include "ns3/mac48-address.h"
#include "ns3/nstime.h"
#include "ns3/packet.h"
#include "ns3/ptr.h"

namespace vipcast::sim {

core::TimePoint SimNow();
ns3::Time ToNs3(core::Duration d);
// The delay from now until `at`, never negative.
ns3::Time DelayUntil(core::TimePoint at);

inline ns3::Ipv4Address ToNs3(core::Ipv4Addr a) { return ns3::Ipv4Address(a.value()); }
inline core::Ipv4Addr FromNs3(ns3::Ipv4Address a) { return core::Ipv4Addr(a.Get()); }
ns3::Ipv6Address ToNs3(const core::Ipv6Addr& a);
core::Ipv6Addr FromNs3(const ns3::Ipv6Address& a);
ns3::Mac48Address ToNs3(const core::MacAddr& mac);
core::MacAddr FromNs3(const ns3::Mac48Address& mac);

core::Bytes PacketBytes(const ns3::Ptr<const ns3::Packet>& packet);
ns3::Ptr<ns3::Packet> MakePacket(const uint8_t* data, size_t size);

}  // namespace vipcast::sim
