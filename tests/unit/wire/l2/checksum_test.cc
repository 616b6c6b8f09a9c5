#include "engine/wire/l2/checksum.h"

#include <gtest/gtest.h>

#include "tests/unit/wire/l2/test_frames.h"

namespace vipcast::wire {
namespace {

using testing::Hex;

TEST(OnesComplementSum, Rfc1071NumericalExample) {
  // RFC 1071 3: bytes 00 01 f2 03 f4 f5 f6 f7 sum to ddf2 (carries folded).
  OnesComplementSum sum;
  sum.Add(Hex("0001f203f4f5f6f7"));
  EXPECT_EQ(sum.Folded(), 0xddf2);
  EXPECT_EQ(sum.Checksum(), 0x220d);
}

TEST(OnesComplementSum, ChunkingDoesNotMatter) {
  const core::Bytes data = Hex("0001f203f4f5f6f7aa");
  OnesComplementSum whole;
  whole.Add(data);
  for (size_t split = 0; split <= data.size(); ++split) {
    OnesComplementSum parts;
    parts.Add(core::ByteSpan(data).first(split));
    parts.Add(core::ByteSpan(data).subspan(split));
    EXPECT_EQ(parts.Folded(), whole.Folded()) << "split at " << split;
  }
}

TEST(OnesComplementSum, OddLengthPadsOnTheRight) {
  // RFC 1071 2(A): a trailing byte counts as the high half of a word.
  OnesComplementSum odd;
  odd.Add(Hex("12"));
  EXPECT_EQ(odd.Folded(), 0x1200);
}

TEST(Icmpv6Checksum, MatchesLinuxNeighborSolicitationAndAdvertisement) {
  for (auto hex : {testing::kLinuxNeighborSolicitation, testing::kLinuxNeighborAdvertisement}) {
    const core::Bytes frame = Hex(hex);
    auto ip = ParseIpv6(core::ByteSpan(frame).subspan(kEthernetHeaderSize));
    ASSERT_TRUE(ip.ok());
    const uint16_t stored = static_cast<uint16_t>((ip->payload[2] << 8) | ip->payload[3]);
    EXPECT_EQ(Icmpv6Checksum(ip->header.src, ip->header.dst, ip->payload), stored);
  }
  // The hand-checked values in test_frames.h.
  const core::Bytes ns = Hex(testing::kLinuxNeighborSolicitation);
  EXPECT_EQ(ns[56], 0x1c);
  EXPECT_EQ(ns[57], 0x1e);
}

TEST(Icmpv6Checksum, ShortMessagesDoNotReadPastTheEnd) {
  const core::Ipv6Addr a;
  for (size_t n = 0; n <= 5; ++n) {
    core::Bytes message(n, 0xff);
    (void)Icmpv6Checksum(a, a, message);
  }
}

}  // namespace
}  // namespace vipcast::wire
