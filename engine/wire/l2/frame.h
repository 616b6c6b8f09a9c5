// A whole Ethernet frame carrying ARP or Neighbor Discovery: the unit the
// responder receives and sends. Decoding strips padding; encoding derives
// every length, type and checksum and pads to the 60-byte minimum.
#pragma once

#include <variant>

#include "engine/core/bytes.h"
#include "engine/wire/l2/arp.h"
#include "engine/wire/l2/error.h"
#include "engine/wire/l2/ethernet.h"
#include "engine/wire/l2/ipv6.h"
#include "engine/wire/l2/ndp.h"

namespace vipcast::wire {

struct NdpPacket {
  Ipv6Header ip;  // next_header is always ICMPv6 here
  NdpMessage message;
  bool operator==(const NdpPacket&) const = default;
};

struct L2Frame {
  // On encode, `ethernet.ether_type` is ignored and derived from `payload`.
  EthernetHeader ethernet;
  std::variant<ArpPacket, NdpPacket> payload;
  bool operator==(const L2Frame&) const = default;
};

// Decodes an Ethernet II frame (optionally 802.1Q tagged) holding ARP or an
// NS/NA. Never reads outside `frame`; every rejection names its reason.
L2Result<L2Frame> ParseFrame(core::ByteSpan frame);

// Encodes `frame`; the result is at least kMinFrameSize bytes.
core::Bytes EncodeFrame(const L2Frame& frame);

}  // namespace vipcast::wire
