#include "sim/ns3/conversions.h"

#include <array>

#include "ns3/simulator.h"

namespace vipcast::sim {

core::TimePoint SimNow() {
  return core::TimePoint::FromNanoseconds(ns3::Simulator::Now().GetNanoSeconds());
}

ns3::Time ToNs3(core::Duration d) { return ns3::NanoSeconds(d.nanoseconds()); }

ns3::Time DelayUntil(core::TimePoint at) {
  const core::TimePoint now = SimNow();
  return at <= now ? ns3::Time(0) : ToNs3(at - now);
}

ns3::Mac48Address ToNs3(const core::MacAddr& mac) {
  ns3::Mac48Address out;
  out.CopyFrom(mac.bytes().data());
  return out;
}

core::MacAddr FromNs3(const ns3::Mac48Address& mac) {
  std::array<uint8_t, 6> b{};
  mac.CopyTo(b.data());
  return core::MacAddr(b);
}

ns3::Ipv6Address ToNs3(const core::Ipv6Addr& a) {
  std::array<uint8_t, 16> b = a.bytes();
  return ns3::Ipv6Address(b.data());
}

core::Ipv6Addr FromNs3(const ns3::Ipv6Address& a) {
  std::array<uint8_t, 16> b{};
  a.GetBytes(b.data());
  return core::Ipv6Addr(b);
}

core::Bytes PacketBytes(const ns3::Ptr<const ns3::Packet>& packet) {
  core::Bytes out(packet->GetSize());
  if (!out.empty()) packet->CopyData(out.data(), static_cast<uint32_t>(out.size()));
  return out;
}

ns3::Ptr<ns3::Packet> MakePacket(const uint8_t* data, size_t size) {
  return ns3::Create<ns3::Packet>(data, static_cast<uint32_t>(size));
}

}  // namespace vipcast::sim
