#include "engine/wire/l2/arp.h"

#include "engine/wire/l2/ethernet.h"
#include "engine/wire/l2/put_bytes.h"

namespace vipcast::wire {

namespace {

constexpr uint8_t kMacLength = 6;
constexpr uint8_t kIpv4Length = 4;

}  // namespace

L2Result<ArpPacket> ParseArp(core::ByteSpan body) {
  if (body.size() < kArpSize) return core::MakeErr(L2Error::kTruncatedArp);
  core::ByteReader r(body);
  const uint16_t hardware_type = *r.U16();
  const uint16_t protocol_type = *r.U16();
  const uint8_t hardware_length = *r.U8();
  const uint8_t protocol_length = *r.U8();
  const uint16_t operation = *r.U16();
  // RFC 826: this responder resolves IPv4 (ar$pro = the IPv4 EtherType) to
  // Ethernet addresses (ar$hrd = 1) only; the lengths must match those types.
  if (hardware_type != kArpHardwareEthernet) return core::MakeErr(L2Error::kArpHardwareType);
  if (protocol_type != kEtherTypeIpv4) return core::MakeErr(L2Error::kArpProtocolType);
  if (hardware_length != kMacLength) return core::MakeErr(L2Error::kArpHardwareLength);
  if (protocol_length != kIpv4Length) return core::MakeErr(L2Error::kArpProtocolLength);
  if (operation != static_cast<uint16_t>(ArpOperation::kRequest) &&
      operation != static_cast<uint16_t>(ArpOperation::kReply)) {
    // Other opcodes (e.g. RFC 2390 InARP) are legitimate, just not ours.
    return core::MakeErr(L2Error::kUnsupportedArpOperation);
  }
  ArpPacket p;
  p.operation = static_cast<ArpOperation>(operation);
  p.sender_mac = *ReadMac(r);  // length checked above
  p.sender_ip = core::Ipv4Addr(*r.U32());
  p.target_mac = *ReadMac(r);
  p.target_ip = core::Ipv4Addr(*r.U32());
  return p;
}

uint8_t* PutArp(const ArpPacket& packet, uint8_t* out) {
  out = put::U16(out, kArpHardwareEthernet);
  out = put::U16(out, kEtherTypeIpv4);
  out = put::U8(out, kMacLength);
  out = put::U8(out, kIpv4Length);
  out = put::U16(out, static_cast<uint16_t>(packet.operation));
  out = put::Bytes(out, packet.sender_mac.bytes());
  out = put::U32(out, packet.sender_ip.value());
  out = put::Bytes(out, packet.target_mac.bytes());
  return put::U32(out, packet.target_ip.value());
}

void WriteArp(const ArpPacket& packet, core::ByteWriter& out) {
  uint8_t buffer[kArpSize];
  PutArp(packet, buffer);
  out.Append(buffer);
}

}  // namespace vipcast::wire
