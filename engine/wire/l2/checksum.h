// The Internet checksum (RFC 1071) and its ICMPv6 use over the IPv6
// pseudo-header (RFC 8200 8.1, RFC 4443 2.3).
#pragma once

#include <cstdint>

#include "engine/core/bytes.h"
#include "engine/core/ip.h"

namespace vipcast::wire {

// Accumulates 16-bit big-endian words in ones' complement arithmetic. Bytes
// may arrive in any chunking; an odd trailing byte is padded with a zero on
// the right, as RFC 1071 2(A) prescribes.
class OnesComplementSum {
 public:
  void Add(core::ByteSpan data);
  void AddU16(uint16_t word);
  void AddU32(uint32_t value);
  // The folded 16-bit sum (not yet complemented).
  uint16_t Folded() const;
  // The checksum to transmit: the ones' complement of the folded sum.
  uint16_t Checksum() const { return static_cast<uint16_t>(~Folded()); }

 private:
  uint64_t sum_ = 0;
  bool odd_ = false;  // a byte is waiting for its low-order partner
};

// The ICMPv6 checksum of `message` (the whole ICMPv6 message, header first)
// sent from `src` to `dst`. The checksum field (bytes 2..3) is treated as
// zero whatever it holds, so the result is the value that belongs there;
// a received message is valid when the result equals its stored field.
uint16_t Icmpv6Checksum(const core::Ipv6Addr& src, const core::Ipv6Addr& dst,
                        core::ByteSpan message);

}  // namespace vipcast::wire
