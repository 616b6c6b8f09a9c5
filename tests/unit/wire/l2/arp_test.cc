#include "engine/wire/l2/arp.h"

#include <gtest/gtest.h>

#include "engine/wire/l2/ethernet.h"
#include "tests/unit/wire/l2/test_frames.h"

namespace vipcast::wire {
namespace {

using testing::Hex;

core::Bytes LinuxRequestBody() {
  const core::Bytes frame = Hex(testing::kLinuxArpRequest);
  return core::Bytes(frame.begin() + kEthernetHeaderSize, frame.end());
}

TEST(Arp, DecodesLinuxRequest) {
  auto arp = ParseArp(LinuxRequestBody());
  ASSERT_TRUE(arp.ok());
  EXPECT_EQ(arp->operation, ArpOperation::kRequest);
  EXPECT_EQ(arp->sender_mac.ToString(), "02:00:00:00:00:0a");
  EXPECT_EQ(arp->sender_ip.ToString(), "192.0.2.1");
  EXPECT_TRUE(arp->target_mac.IsZero());
  EXPECT_EQ(arp->target_ip.ToString(), "192.0.2.2");
}

TEST(Arp, EncodesExactlyTheLinuxBody) {
  auto arp = ParseArp(LinuxRequestBody());
  ASSERT_TRUE(arp.ok());
  core::Bytes out;
  core::ByteWriter w(&out);
  WriteArp(*arp, w);
  EXPECT_EQ(out, LinuxRequestBody());
}

TEST(Arp, ToleratesPadding) {
  // In a 60-byte frame the body is 46 bytes: 28 of ARP and 18 of padding
  // (ns-3 delivers exactly this). Padding need not be zero.
  core::Bytes body = LinuxRequestBody();
  body.resize(46, 0xa5);
  auto arp = ParseArp(body);
  ASSERT_TRUE(arp.ok());
  EXPECT_EQ(arp->target_ip.ToString(), "192.0.2.2");
}

struct Corruption {
  size_t offset;
  uint8_t value;
  L2Error expected;
};

TEST(Arp, RejectsEachMalformedClassWithItsReason) {
  const Corruption cases[] = {
      {1, 0x06, L2Error::kArpHardwareType},          // ar$hrd = 6 (IEEE 802)
      {2, 0x86, L2Error::kArpProtocolType},          // ar$pro = 0x8600
      {4, 0x08, L2Error::kArpHardwareLength},        // ar$hln = 8
      {5, 0x10, L2Error::kArpProtocolLength},        // ar$pln = 16
      {7, 0x08, L2Error::kUnsupportedArpOperation},  // InARP request (RFC 2390)
  };
  for (const auto& c : cases) {
    core::Bytes body = LinuxRequestBody();
    body[c.offset] = c.value;
    auto arp = ParseArp(body);
    ASSERT_FALSE(arp.ok()) << ToString(c.expected);
    EXPECT_EQ(arp.error(), c.expected);
  }
  EXPECT_FALSE(IsMalformed(L2Error::kUnsupportedArpOperation));
  EXPECT_TRUE(IsMalformed(L2Error::kArpProtocolType));
}

TEST(Arp, RejectsEveryTruncation) {
  const core::Bytes body = LinuxRequestBody();
  for (size_t n = 0; n < kArpSize; ++n) {
    auto arp = ParseArp(core::ByteSpan(body).first(n));
    ASSERT_FALSE(arp.ok());
    EXPECT_EQ(arp.error(), L2Error::kTruncatedArp);
  }
}

}  // namespace
}  // namespace vipcast::wire
