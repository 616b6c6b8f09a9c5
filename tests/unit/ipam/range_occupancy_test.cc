#include "engine/ipam/range_occupancy.h"

#include <gtest/gtest.h>

namespace vipcast::ipam {
namespace {

using core::IpFamily;
using core::Uint128;

TEST(RangeOccupancyTest, LowestFreeIsFirstAddressWhenEmpty) {
  RangeOccupancy r(IpFamily::kV4, 100, 110, false);
  EXPECT_EQ(r.LowestFree(), Uint128{100});
}

TEST(RangeOccupancyTest, TakesAddressesInOrderAndMergesIntervals) {
  RangeOccupancy r(IpFamily::kV4, 100, 110, false);
  for (Uint128 v = 100; v < 105; ++v) {
    ASSERT_EQ(r.LowestFree(), v);
    r.MarkUsed(v);
  }
  EXPECT_EQ(r.interval_count(), 1u);
  EXPECT_EQ(r.used_count(), 5u);
}

TEST(RangeOccupancyTest, FreedHoleIsReusedFirst) {
  RangeOccupancy r(IpFamily::kV4, 0, 9, false);
  for (Uint128 v = 0; v < 10; ++v) r.MarkUsed(v);
  EXPECT_EQ(r.LowestFree(), std::nullopt);
  r.MarkFree(6);
  r.MarkFree(3);
  EXPECT_EQ(r.interval_count(), 3u);
  EXPECT_EQ(r.LowestFree(), Uint128{3});
  r.MarkUsed(3);
  EXPECT_EQ(r.LowestFree(), Uint128{6});
  r.MarkUsed(6);
  EXPECT_EQ(r.interval_count(), 1u);
  EXPECT_EQ(r.LowestFree(), std::nullopt);
}

TEST(RangeOccupancyTest, UsedOutOfOrderJoinsBothNeighbours) {
  RangeOccupancy r(IpFamily::kV4, 0, 9, false);
  r.MarkUsed(2);
  r.MarkUsed(4);
  r.MarkUsed(3);
  EXPECT_EQ(r.interval_count(), 1u);
  EXPECT_TRUE(r.IsUsed(3));
  EXPECT_FALSE(r.IsUsed(5));
  EXPECT_EQ(r.LowestFree(), Uint128{0});
}

TEST(RangeOccupancyTest, SkipsBuggyAddressesOnlyWhenAsked) {
  // 10.0.0.254 .. 10.0.1.1: .255 and .0 are excluded with avoidBuggyIPs.
  const Uint128 first = (Uint128{10} << 24) | 254;
  RangeOccupancy avoid(IpFamily::kV4, first, first + 3, true);
  avoid.MarkUsed(first);
  EXPECT_EQ(avoid.LowestFree(), first + 3);
  RangeOccupancy plain(IpFamily::kV4, first, first + 3, false);
  plain.MarkUsed(first);
  EXPECT_EQ(plain.LowestFree(), first + 1);
}

TEST(RangeOccupancyTest, BuggyRuleIgnoredForIpv6) {
  RangeOccupancy r(IpFamily::kV6, 0x100, 0x1ff, true);
  EXPECT_EQ(r.LowestFree(), Uint128{0x100});
}

TEST(RangeOccupancyTest, WholeIpv6SpaceDoesNotOverflow) {
  const Uint128 max = ~Uint128{0};
  RangeOccupancy r(IpFamily::kV6, max - 1, max, false);
  r.MarkUsed(max - 1);
  r.MarkUsed(max);
  EXPECT_EQ(r.LowestFree(), std::nullopt);
  r.MarkFree(max);
  EXPECT_EQ(r.LowestFree(), max);
}

}  // namespace
}  // namespace vipcast::ipam
