#include "engine/wire/l2/ethernet.h"

#include <gtest/gtest.h>

#include "tests/unit/wire/l2/test_frames.h"

namespace vipcast::wire {
namespace {

using testing::Hex;

TEST(Ethernet, ParsesLinuxArpFrame) {
  const core::Bytes frame = Hex(testing::kLinuxArpRequest);
  auto eth = ParseEthernet(frame);
  ASSERT_TRUE(eth.ok());
  EXPECT_EQ(eth->header.dst, core::MacAddr::Broadcast());
  EXPECT_EQ(eth->header.src.ToString(), "02:00:00:00:00:0a");
  EXPECT_FALSE(eth->header.vlan_tci.has_value());
  EXPECT_EQ(eth->header.ether_type, kEtherTypeArp);
  EXPECT_EQ(eth->payload.size(), 28u);
}

TEST(Ethernet, ToleratesOne8021QTag) {
  // TPID 8100, TCI: PCP 5, DEI 0, VID 100 = a064.
  const core::Bytes frame = Hex("ffffffffffff 02000000000a 8100 a064 0806 0001");
  auto eth = ParseEthernet(frame);
  ASSERT_TRUE(eth.ok());
  EXPECT_EQ(eth->header.vlan_tci, 0xa064);
  EXPECT_EQ(eth->header.ether_type, kEtherTypeArp);
  EXPECT_EQ(eth->payload.size(), 2u);

  core::Bytes out;
  core::ByteWriter w(&out);
  WriteEthernetHeader(eth->header, w);
  EXPECT_EQ(core::ToHex(out), "ffffffffffff02000000000a8100a0640806");
}

TEST(Ethernet, RejectsTruncatedHeaderAndTag) {
  const core::Bytes frame = Hex("ffffffffffff 02000000000a 8100 a064 0806");
  for (size_t n = 0; n < kEthernetHeaderSize; ++n) {
    auto eth = ParseEthernet(core::ByteSpan(frame).first(n));
    ASSERT_FALSE(eth.ok());
    EXPECT_EQ(eth.error(), L2Error::kTruncatedEthernet) << n;
  }
  for (size_t n = kEthernetHeaderSize; n < frame.size(); ++n) {
    auto eth = ParseEthernet(core::ByteSpan(frame).first(n));
    ASSERT_FALSE(eth.ok());
    EXPECT_EQ(eth.error(), L2Error::kTruncatedVlanTag) << n;
  }
}

TEST(Ethernet, LengthFieldsAndStackedTagsAreNotOurs) {
  // 802.3 length 0x0026 (an LLC frame, e.g. STP).
  auto llc = ParseEthernet(Hex("0180c2000000 02000000000a 0026 424203"));
  ASSERT_FALSE(llc.ok());
  EXPECT_EQ(llc.error(), L2Error::kUnsupportedEtherType);
  EXPECT_FALSE(IsMalformed(llc.error()));
  auto qinq = ParseEthernet(Hex("ffffffffffff 02000000000a 8100 0064 8100 0065 0806"));
  ASSERT_FALSE(qinq.ok());
  EXPECT_EQ(qinq.error(), L2Error::kUnsupportedEtherType);
}

TEST(Ethernet, PadsToSixtyBytes) {
  core::Bytes frame = Hex(testing::kLinuxArpRequest);
  PadToMinimumFrame(frame);
  ASSERT_EQ(frame.size(), kMinFrameSize);
  for (size_t i = 42; i < frame.size(); ++i) EXPECT_EQ(frame[i], 0);
  core::Bytes big(100, 1);
  PadToMinimumFrame(big);
  EXPECT_EQ(big.size(), 100u);
}

}  // namespace
}  // namespace vipcast::wire
