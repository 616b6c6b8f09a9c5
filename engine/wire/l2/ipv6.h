// The fixed IPv6 header (RFC 8200 3). Extension headers are not followed:
// Neighbor Discovery messages do not carry them, so any next header other
// than ICMPv6 is reported as not ours by the NDP decoder.
#pragma once

#include <cstddef>
#include <cstdint>
#include <optional>

#include "engine/core/bytes.h"
#include "engine/core/ip.h"
#include "engine/wire/l2/error.h"

namespace vipcast::wire {

inline constexpr size_t kIpv6HeaderSize = 40;
inline constexpr uint8_t kNextHeaderIcmpv6 = 58;

struct Ipv6Header {
  uint8_t traffic_class = 0;
  uint32_t flow_label = 0;  // 20 bits
  uint8_t next_header = kNextHeaderIcmpv6;
  uint8_t hop_limit = 255;
  core::Ipv6Addr src;
  core::Ipv6Addr dst;
  bool operator==(const Ipv6Header&) const = default;
};

struct Ipv6Packet {
  Ipv6Header header;
  // Exactly Payload Length bytes; link-layer padding after them is cut off.
  core::ByteSpan payload;
};

// Reads a 16-byte address; nullopt (reader unchanged) when fewer remain.
std::optional<core::Ipv6Addr> ReadIpv6Addr(core::ByteReader& in);

// Parses the fixed header. Fails when the header is short, the version is
// not 6, the payload length runs past the data, or the source is multicast.
L2Result<Ipv6Packet> ParseIpv6(core::ByteSpan data);

// Stores the 40-byte header for a payload of `payload_length` bytes at
// `out`; returns the end.
uint8_t* PutIpv6Header(const Ipv6Header& header, uint16_t payload_length, uint8_t* out);
// Appends the same 40 bytes.
void WriteIpv6Header(const Ipv6Header& header, uint16_t payload_length, core::ByteWriter& out);

}  // namespace vipcast::wire
