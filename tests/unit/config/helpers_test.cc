// The small building blocks: YAML scalar typing, base64, communities, edit
// distance, name rules.
#include <gtest/gtest.h>

#include "engine/config/base64.h"
#include "engine/config/community.h"
#include "engine/config/levenshtein.h"
#include "engine/config/names.h"
#include "engine/config/scalar.h"

namespace vipcast::config {
namespace {

using detail::ScalarType;

TEST(Scalar, Yaml12CoreSchema) {
  EXPECT_EQ(detail::ResolvePlainScalar(""), ScalarType::kNull);
  EXPECT_EQ(detail::ResolvePlainScalar("~"), ScalarType::kNull);
  EXPECT_EQ(detail::ResolvePlainScalar("True"), ScalarType::kBool);
  EXPECT_EQ(detail::ResolvePlainScalar("yes"), ScalarType::kString);  // YAML 1.1 only
  EXPECT_EQ(detail::ResolvePlainScalar("-12"), ScalarType::kInt);
  EXPECT_EQ(detail::ResolvePlainScalar("0x1F"), ScalarType::kInt);
  EXPECT_EQ(detail::ResolvePlainScalar("0o17"), ScalarType::kInt);
  EXPECT_EQ(detail::ResolvePlainScalar("1.5"), ScalarType::kFloat);
  EXPECT_EQ(detail::ResolvePlainScalar("1e5"), ScalarType::kFloat);
  EXPECT_EQ(detail::ResolvePlainScalar(".inf"), ScalarType::kFloat);
  EXPECT_EQ(detail::ResolvePlainScalar("1234:1"), ScalarType::kString);
  EXPECT_EQ(detail::ResolvePlainScalar("10.0.0.1"), ScalarType::kString);
  EXPECT_EQ(detail::ResolvePlainScalar("1.2.3"), ScalarType::kString);
  EXPECT_EQ(detail::ResolvePlainScalar("."), ScalarType::kString);
}

TEST(Scalar, IntegersWithOverflow) {
  EXPECT_EQ(detail::ParseYamlInt("4294967295"), 4294967295LL);
  EXPECT_EQ(detail::ParseYamlInt("-9223372036854775808"), INT64_MIN);
  EXPECT_EQ(detail::ParseYamlInt("9223372036854775807"), INT64_MAX);
  EXPECT_EQ(detail::ParseYamlInt("9223372036854775808"), std::nullopt);
  EXPECT_EQ(detail::ParseYamlInt("0x10"), 16);
  EXPECT_EQ(detail::ParseYamlInt("0o10"), 8);
}

TEST(Base64, RoundTripAndErrors) {
  for (std::string s : {std::string(""), std::string("a"), std::string("ab"), std::string("abc"),
                        std::string("\x00\xff\x10", 3), std::string(1000, '\x7f')}) {
    auto decoded = Base64Decode(Base64Encode(s));
    ASSERT_TRUE(decoded.ok());
    EXPECT_EQ(*decoded, s);
  }
  EXPECT_EQ(Base64Encode("admin"), "YWRtaW4=");
  EXPECT_EQ(*Base64Decode("YWRt\naW4="), "admin");  // line breaks are skipped, as in Go
  EXPECT_FALSE(Base64Decode("YWRtaW4").ok());
  EXPECT_FALSE(Base64Decode("YW=taW4=").ok());
  EXPECT_FALSE(Base64Decode("YWRta*4=").ok());
}

TEST(Community, StandardAndLarge) {
  auto c = ParseCommunity("65535:65282");
  ASSERT_TRUE(c.ok());
  EXPECT_EQ(c->kind, CommunityValue::Kind::kStandard);
  EXPECT_EQ(c->global, 65535u);
  EXPECT_EQ(c->local1, 65282u);
  auto l = ParseCommunity("large:4294967295:0:7");
  ASSERT_TRUE(l.ok());
  EXPECT_EQ(l->ToString(), "large:4294967295:0:7");
  EXPECT_EQ(ParseCommunity("vpn-only").error().kind, CommunityError::Kind::kFormat);
  EXPECT_EQ(ParseCommunity("1:2:3").error().kind, CommunityError::Kind::kFormat);
  EXPECT_EQ(ParseCommunity("65536:0").error().kind, CommunityError::Kind::kValue);
  EXPECT_EQ(ParseCommunity(":1").error().kind, CommunityError::Kind::kValue);
  EXPECT_EQ(ParseCommunity("LARGE:1:2:3").error().kind, CommunityError::Kind::kValue);
  EXPECT_EQ(ParseCommunity("-1:2").error().kind, CommunityError::Kind::kValue);
}

TEST(Levenshtein, DistanceAndSuggestions) {
  EXPECT_EQ(detail::EditDistance("", "abc"), 3u);
  EXPECT_EQ(detail::EditDistance("kitten", "sitting"), 3u);
  const std::vector<std::string> fields = {"addresses", "autoAssign", "avoidBuggyIPs",
                                           "serviceAllocation"};
  EXPECT_EQ(detail::ClosestMatch("adresses", fields), "addresses");
  EXPECT_EQ(detail::ClosestMatch("AUTOASSIGN", fields), "autoAssign");
  EXPECT_EQ(detail::ClosestMatch("serviceAlocation", fields), "serviceAllocation");
  EXPECT_EQ(detail::ClosestMatch("colour", fields), std::nullopt);
  EXPECT_EQ(detail::ClosestMatch("vfr", {"vrf"}), std::nullopt);  // short names need 1 edit
  EXPECT_EQ(detail::ClosestMatch("vrff", {"vrf"}), "vrf");
}

TEST(Names, Rules) {
  using detail::CheckName;
  using detail::NameRule;
  EXPECT_TRUE(CheckName("PoolA", NameRule::kPathSegment).ok());  // custom resources
  EXPECT_FALSE(CheckName("..", NameRule::kPathSegment).ok());
  EXPECT_FALSE(CheckName("a%b", NameRule::kPathSegment).ok());
  EXPECT_FALSE(CheckName("PoolA", NameRule::kDns1123Subdomain).ok());
  EXPECT_TRUE(CheckName("a.b-c", NameRule::kDns1123Subdomain).ok());
  EXPECT_FALSE(CheckName("a.b", NameRule::kDns1123Label).ok());
  EXPECT_FALSE(CheckName("1web", NameRule::kDns1035Label).ok());  // Services start with a letter
  EXPECT_TRUE(CheckName("web-1", NameRule::kDns1035Label).ok());
  EXPECT_TRUE(detail::CheckLabelKey("kubernetes.io/hostname").ok());
  EXPECT_TRUE(detail::CheckLabelKey("App_Name.v2").ok());
  EXPECT_FALSE(detail::CheckLabelKey("/x").ok());
  EXPECT_FALSE(detail::CheckLabelKey("a/b/c").ok());
  EXPECT_FALSE(detail::CheckLabelKey(std::string(64, 'a')).ok());
  EXPECT_TRUE(detail::CheckLabelValue("").ok());
  EXPECT_FALSE(detail::CheckLabelValue("a b").ok());
}

}  // namespace
}  // namespace vipcast::config
