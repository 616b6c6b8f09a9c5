#include "engine/core/mac.h"

#include <gtest/gtest.h>

#include <string>
#include <vector>

namespace vipcast::core {
namespace {

TEST(MacAddrTest, ParsesColonAndDashFormsInEitherCase) {
  const MacAddr expected({0x00, 0x1a, 0x2b, 0xcc, 0xdd, 0xef});
  for (const char* text :
       {"00:1a:2b:cc:dd:ef", "00-1a-2b-cc-dd-ef", "00:1A:2B:CC:DD:EF", "00-1A-2b-Cc-dD-eF"}) {
    auto parsed = MacAddr::Parse(text);
    ASSERT_TRUE(parsed.ok()) << text << ": " << parsed.error();
    EXPECT_EQ(*parsed, expected) << text;
    EXPECT_EQ(parsed->ToString(), "00:1a:2b:cc:dd:ef") << "lower-case, colon separated";
  }
}

TEST(MacAddrTest, RejectsMalformedTextWithExactError) {
  for (const char* text :
       {"", "00:1a:2b:cc:dd", "00:1a:2b:cc:dd:e", "00:1a:2b:cc:dd:eff",
        "00:1a:2b:cc:dd:ef:", "001a2bccddef", "001a.2bcc.ddef", "00:1a-2b:cc:dd:ef",
        "00-1a-2b-cc-dd:ef", "00.1a.2b.cc.dd.ef", "0g:1a:2b:cc:dd:ef", "00:1a:2b:cc:dd:e ",
        " 0:1a:2b:cc:dd:ef", "00:1a:2b:cc:dd:ef:00", "+0:1a:2b:cc:dd:ef"}) {
    auto parsed = MacAddr::Parse(text);
    ASSERT_FALSE(parsed.ok()) << text;
    EXPECT_EQ(parsed.error(), "invalid MAC address \"" + std::string(text) + "\"");
  }
}

TEST(MacAddrTest, ClassifiesBroadcastMulticastAndZero) {
  EXPECT_TRUE(MacAddr::Broadcast().IsBroadcast());
  EXPECT_TRUE(MacAddr::Broadcast().IsMulticast()) << "broadcast is a multicast address";
  EXPECT_EQ(MacAddr::Broadcast().ToString(), "ff:ff:ff:ff:ff:ff");
  EXPECT_TRUE(MacAddr::Parse("01:00:5e:00:00:01")->IsMulticast());
  EXPECT_TRUE(MacAddr::Parse("33:33:00:00:00:01")->IsMulticast());
  EXPECT_FALSE(MacAddr::Parse("02:00:5e:00:00:01")->IsMulticast());
  EXPECT_FALSE(MacAddr::Parse("01:00:5e:00:00:01")->IsBroadcast());
  EXPECT_TRUE(MacAddr().IsZero());
  EXPECT_EQ(MacAddr().ToString(), "00:00:00:00:00:00");
  EXPECT_FALSE(MacAddr::Parse("00:00:00:00:00:01")->IsZero());
}

TEST(MacAddrTest, OrdersBytewise) {
  EXPECT_LT(MacAddr::Parse("00:00:00:00:00:ff").value(),
            MacAddr::Parse("00:00:00:00:01:00").value());
  EXPECT_LT(MacAddr(), MacAddr::Broadcast());
  EXPECT_EQ(MacAddr::Parse("aa:bb:cc:dd:ee:ff")->bytes(),
            (std::array<uint8_t, 6>{0xaa, 0xbb, 0xcc, 0xdd, 0xee, 0xff}));
}

}  // namespace
}  // namespace vipcast::core
