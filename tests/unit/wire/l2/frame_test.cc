// Whole-frame decoding and encoding: round trips, padding and the error
// catalogue.
#include "engine/wire/l2/frame.h"

#include <gtest/gtest.h>

#include <set>
#include <string>

#include "tests/unit/wire/l2/test_frames.h"

namespace vipcast::wire {
namespace {

using testing::Hex;

TEST(Frame, ArpRoundTripPadsToSixtyBytes) {
  const core::Bytes linux_frame = Hex(testing::kLinuxArpRequest);
  auto parsed = ParseFrame(linux_frame);
  ASSERT_TRUE(parsed.ok());
  const core::Bytes encoded = EncodeFrame(*parsed);
  ASSERT_EQ(encoded.size(), kMinFrameSize);
  EXPECT_EQ(core::ToHex(core::ByteSpan(encoded).first(42)), core::ToHex(linux_frame));
  for (size_t i = 42; i < encoded.size(); ++i) EXPECT_EQ(encoded[i], 0) << i;
  auto again = ParseFrame(encoded);
  ASSERT_TRUE(again.ok());
  EXPECT_EQ(*again, *parsed);
}

TEST(Frame, TaggedArpRoundTrip) {
  auto parsed = ParseFrame(Hex(testing::kLinuxArpReply));
  ASSERT_TRUE(parsed.ok());
  L2Frame tagged = *parsed;
  tagged.ethernet.vlan_tci = 0x0064;
  const core::Bytes encoded = EncodeFrame(tagged);
  EXPECT_EQ(encoded.size(), 60u);  // 46 bytes of tagged ARP + padding
  EXPECT_EQ(core::ToHex(core::ByteSpan(encoded).subspan(12, 6)), "810000640806");
  auto again = ParseFrame(encoded);
  ASSERT_TRUE(again.ok());
  EXPECT_EQ(*again, tagged);
}

TEST(Frame, EncoderDerivesEtherTypeAndNextHeader) {
  auto parsed = ParseFrame(Hex(testing::kLinuxNeighborAdvertisement));
  ASSERT_TRUE(parsed.ok());
  L2Frame f = *parsed;
  f.ethernet.ether_type = 0x1234;
  std::get<NdpPacket>(f.payload).ip.next_header = 6;
  EXPECT_EQ(core::ToHex(EncodeFrame(f)), core::ToHex(Hex(testing::kLinuxNeighborAdvertisement)));
}

TEST(Frame, OtherEtherTypesAreNotOurs) {
  core::Bytes ipv4 = Hex(testing::kLinuxArpRequest);
  ipv4[12] = 0x08;
  ipv4[13] = 0x00;
  auto parsed = ParseFrame(ipv4);
  ASSERT_FALSE(parsed.ok());
  EXPECT_EQ(parsed.error(), L2Error::kUnsupportedEtherType);
}

TEST(Frame, EveryErrorHasAUniqueLabelAndADescription) {
  std::set<std::string> labels;
  for (L2Error e : kAllL2Errors) {
    EXPECT_TRUE(labels.insert(std::string(ToString(e))).second) << ToString(e);
    EXPECT_NE(ToString(e), "unknown");
    EXPECT_FALSE(Describe(e).empty());
  }
  EXPECT_EQ(labels.size(), std::size(kAllL2Errors));
}

TEST(Frame, EveryPrefixOfAValidFrameIsRejectedWithoutCrashing) {
  for (auto hex : {testing::kLinuxArpRequest, testing::kLinuxNeighborSolicitation,
                   testing::kLinuxNeighborAdvertisement}) {
    const core::Bytes f = Hex(hex);
    for (size_t n = 0; n < f.size(); ++n) {
      auto parsed = ParseFrame(core::ByteSpan(f).first(n));
      ASSERT_FALSE(parsed.ok()) << n;
      EXPECT_TRUE(IsMalformed(parsed.error())) << n << " " << ToString(parsed.error());
    }
  }
}

}  // namespace
}  // namespace vipcast::wire
