#include "engine/wire/l2/frame.h"

#include <algorithm>

namespace vipcast::wire {

L2Result<L2Frame> ParseFrame(core::ByteSpan frame) {
  auto eth = ParseEthernet(frame);
  if (!eth) return core::MakeErr(eth.error());
  L2Frame out{eth->header, ArpPacket{}};
  switch (eth->header.ether_type) {
    case kEtherTypeArp: {
      auto arp = ParseArp(eth->payload);
      if (!arp) return core::MakeErr(arp.error());
      out.payload = *arp;
      return out;
    }
    case kEtherTypeIpv6: {
      auto ip = ParseIpv6(eth->payload);
      if (!ip) return core::MakeErr(ip.error());
      auto ndp = ParseNdp(ip->header, ip->payload);
      if (!ndp) return core::MakeErr(ndp.error());
      out.payload = NdpPacket{ip->header, *ndp};
      return out;
    }
    default:
      return core::MakeErr(L2Error::kUnsupportedEtherType);
  }
}

core::Bytes EncodeFrame(const L2Frame& frame) {
  EthernetHeader eth = frame.ethernet;
  const auto* arp = std::get_if<ArpPacket>(&frame.payload);
  const auto* ndp = std::get_if<NdpPacket>(&frame.payload);
  eth.ether_type = arp ? kEtherTypeArp : kEtherTypeIpv6;
  const size_t ndp_size = ndp ? NdpSize(ndp->message) : 0;
  const size_t size = EthernetHeaderSize(eth) + (arp ? kArpSize : kIpv6HeaderSize + ndp_size);
  // One allocation, zero-filled: whatever the headers do not cover is the
  // padding to the 60-byte minimum.
  core::Bytes bytes(std::max(size, kMinFrameSize), 0);
  uint8_t* out = PutEthernetHeader(eth, bytes.data());
  if (arp) {
    PutArp(*arp, out);
  } else {
    Ipv6Header ip = ndp->ip;
    ip.next_header = kNextHeaderIcmpv6;
    out = PutIpv6Header(ip, static_cast<uint16_t>(ndp_size), out);
    PutNdp(ip, ndp->message, out);
  }
  return bytes;
}

}  // namespace vipcast::wire
