#include "engine/ipam/capacity.h"

#include <gtest/gtest.h>

namespace vipcast::ipam {
namespace {

core::IpRange Range(const char* text) { return *core::IpRange::Parse(text); }

TEST(CapacityTest, CountsEveryAddressWithoutAvoidBuggyIps) {
  EXPECT_EQ(UsableAddresses(Range("192.168.1.0/24"), false), core::Uint128{256});
}

TEST(CapacityTest, AvoidBuggyIpsRemovesDotZeroAndDot255) {
  EXPECT_EQ(UsableAddresses(Range("192.168.1.0/24"), true), core::Uint128{254});
  EXPECT_EQ(UsableAddresses(Range("10.0.0.0/16"), true), core::Uint128{65536 - 512});
  // Range not aligned to octets: .250-.5 of the next /24 loses .255 and .0.
  EXPECT_EQ(UsableAddresses(Range("10.0.0.250-10.0.1.5"), true), core::Uint128{10});
  // Unlike MetalLB (which counts -1), a lone .0 is simply zero addresses.
  EXPECT_EQ(UsableAddresses(Range("10.0.0.0/32"), true), core::Uint128{0});
}

TEST(CapacityTest, AvoidBuggyIpsDoesNotApplyToIpv6) {
  EXPECT_EQ(UsableAddresses(Range("2001:db8::/120"), true), core::Uint128{256});
}

TEST(CapacityTest, SaturatesHugeCounts) {
  EXPECT_EQ(SaturatedCount(UsableAddresses(Range("2001:db8::/64"), false)), kCountSaturation);
  EXPECT_EQ(SaturatedCount(core::Uint128{1} << 62), uint64_t{1} << 62);
  EXPECT_EQ(SaturatingAdd(~core::Uint128{0}, 5), ~core::Uint128{0});
}

TEST(CapacityTest, BuggyIpDetection) {
  EXPECT_TRUE(IsBuggyIp(*core::IpAddr::Parse("10.1.2.0")));
  EXPECT_TRUE(IsBuggyIp(*core::IpAddr::Parse("10.1.2.255")));
  EXPECT_FALSE(IsBuggyIp(*core::IpAddr::Parse("10.1.2.1")));
  EXPECT_FALSE(IsBuggyIp(*core::IpAddr::Parse("2001:db8::ff")));
}

}  // namespace
}  // namespace vipcast::ipam
