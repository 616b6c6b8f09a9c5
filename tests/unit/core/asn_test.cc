#include "engine/core/asn.h"

#include <gtest/gtest.h>

#include <string>
#include <vector>

namespace vipcast::core {
namespace {

TEST(AsnTest, ParsesAsplainAndAsdot) {
  struct Case {
    const char* text;
    uint32_t value;
  };
  for (const Case& c : std::vector<Case>{
           {"0", 0},
           {"64500", 64500},
           {"65535", 65535},
           {"65536", 65536},
           {"4294967295", 4294967295u},
           {"1.10", 65546},  // RFC 5396 asdot: 1 * 65536 + 10
           {"0.64500", 64500},
           {"65535.65535", 4294967295u},
       }) {
    auto parsed = Asn::Parse(c.text);
    ASSERT_TRUE(parsed.ok()) << c.text << ": " << parsed.error();
    EXPECT_EQ(parsed->value(), c.value) << c.text;
  }
  EXPECT_EQ(Asn::Parse("1.10")->ToString(), "65546") << "always printed asplain";
}

TEST(AsnTest, RejectsMalformedTextWithExactError) {
  struct Case {
    const char* text;
    const char* error;
  };
  for (const Case& c : std::vector<Case>{
           {"", "invalid AS number \"\": not a number"},
           {"-1", "invalid AS number \"-1\": not a number"},
           {"65a", "invalid AS number \"65a\": not a number"},
           {" 1", "invalid AS number \" 1\": not a number"},
           {"AS64500", "invalid AS number \"AS64500\": not a number"},
           {"4294967296", "invalid AS number \"4294967296\": out of range"},
           {"9999999999", "invalid AS number \"9999999999\": out of range"},
           {"12345678901", "invalid AS number \"12345678901\": not a number"},
           {"65536.0", "invalid AS number \"65536.0\" in asdot notation"},
           {"0.65536", "invalid AS number \"0.65536\" in asdot notation"},
           {"1.", "invalid AS number \"1.\" in asdot notation"},
           {".1", "invalid AS number \".1\" in asdot notation"},
           {"1.2.3", "invalid AS number \"1.2.3\" in asdot notation"},
       }) {
    auto parsed = Asn::Parse(c.text);
    ASSERT_FALSE(parsed.ok()) << c.text;
    EXPECT_EQ(parsed.error(), c.error);
  }
}

TEST(AsnTest, ClassifiesRanges) {
  EXPECT_EQ(Asn::Trans().value(), 23456u);
  EXPECT_TRUE(Asn(65535).Fits2Octets());
  EXPECT_FALSE(Asn(65536).Fits2Octets());
  EXPECT_FALSE(Asn(64511).IsPrivate());
  EXPECT_TRUE(Asn(64512).IsPrivate());
  EXPECT_TRUE(Asn(65534).IsPrivate());
  EXPECT_FALSE(Asn(65535).IsPrivate());
  EXPECT_FALSE(Asn(4199999999u).IsPrivate());
  EXPECT_TRUE(Asn(4200000000u).IsPrivate());
  EXPECT_TRUE(Asn(4294967294u).IsPrivate());
  EXPECT_FALSE(Asn(4294967295u).IsPrivate());
  EXPECT_LT(Asn(1), Asn(2));
  EXPECT_EQ(Asn(), Asn(0));
}

TEST(RouterIdTest, ParsesAndFormatsDottedQuad) {
  auto id = RouterId::Parse("192.0.2.1");
  ASSERT_TRUE(id.ok());
  EXPECT_EQ(id->value(), 0xc0000201u);
  EXPECT_EQ(id->ToString(), "192.0.2.1");
  EXPECT_EQ(RouterId(0).ToString(), "0.0.0.0");
  EXPECT_LT(RouterId(1), RouterId(2));
}

TEST(RouterIdTest, RejectsAnythingButADottedQuad) {
  for (const char* text : {"", "1", "3232235777", "::1", "192.0.2", "192.0.2.256"}) {
    auto id = RouterId::Parse(text);
    ASSERT_FALSE(id.ok()) << text;
    EXPECT_EQ(id.error(),
              "invalid router ID \"" + std::string(text) + "\": expected a dotted quad");
  }
}

}  // namespace
}  // namespace vipcast::core
