#include "engine/wire/l2/checksum.h"

#include <algorithm>

namespace vipcast::wire {

namespace {
// RFC 4443 2.3 / RFC 8200 8.1: the pseudo-header's Next Header value.
constexpr uint8_t kIcmpv6NextHeader = 58;
}  // namespace

void OnesComplementSum::Add(core::ByteSpan data) {
  size_t i = 0;
  if (odd_ && !data.empty()) {
    sum_ += data[0];  // the low-order half of the pending word
    odd_ = false;
    i = 1;
  }
  for (; i + 1 < data.size(); i += 2) sum_ += (uint32_t{data[i]} << 8) | data[i + 1];
  if (i < data.size()) {
    sum_ += uint32_t{data[i]} << 8;
    odd_ = true;
  }
}

void OnesComplementSum::AddU16(uint16_t word) {
  uint8_t bytes[2] = {static_cast<uint8_t>(word >> 8), static_cast<uint8_t>(word)};
  Add(bytes);
}

void OnesComplementSum::AddU32(uint32_t value) {
  AddU16(static_cast<uint16_t>(value >> 16));
  AddU16(static_cast<uint16_t>(value));
}

uint16_t OnesComplementSum::Folded() const {
  // RFC 1071 4.1: fold the carries back in until none remain. A 64-bit
  // accumulator cannot overflow for any message an Ethernet frame can hold.
  uint64_t s = sum_;
  while (s >> 16) s = (s & 0xffff) + (s >> 16);
  return static_cast<uint16_t>(s);
}

uint16_t Icmpv6Checksum(const core::Ipv6Addr& src, const core::Ipv6Addr& dst,
                        core::ByteSpan message) {
  OnesComplementSum sum;
  // RFC 8200 8.1 pseudo-header: source, destination, upper-layer packet
  // length (32 bits), three zero bytes, next header.
  sum.Add(src.bytes());
  sum.Add(dst.bytes());
  sum.AddU32(static_cast<uint32_t>(message.size()));
  sum.AddU32(kIcmpv6NextHeader);
  // The message with its checksum field taken as zero.
  sum.Add(message.first(std::min<size_t>(2, message.size())));
  if (message.size() > 4) {
    sum.AddU16(0);
    sum.Add(message.subspan(4));
  } else if (message.size() > 2) {
    // A message too short to hold a full checksum field; sum as zeros.
    uint8_t zeros[2] = {0, 0};
    sum.Add(core::ByteSpan(zeros, message.size() - 2));
  }
  return sum.Checksum();
}

}  // namespace vipcast::wire
