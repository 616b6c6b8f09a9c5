// Allocator: per-pool counters for the metallb_allocator_* metrics.
#include <gtest/gtest.h>

#include "engine/ipam/allocator.h"
#include "engine/ipam/capacity.h"
#include "tests/unit/ipam/test_builders.h"

namespace vipcast::ipam {
namespace {

using namespace testing;  // NOLINT: test builders

TEST(AllocatorStatsTest, CountsCapacityAndUsePerFamily) {
  Allocator a;
  a.SetConfig(Config({PoolBuilder("dual", {"10.0.0.0/28", "2001:db8::/124"})}));
  a.Upsert(Svc("default/v4"));
  a.Upsert(Svc("default/both").Policy(config::IpFamilyPolicy::kRequireDualStack));
  auto stats = a.PoolStats();
  ASSERT_EQ(stats.size(), 1u);
  const PoolCounters& s = stats[0];
  EXPECT_EQ(s.pool, "dual");
  EXPECT_EQ(s.ipv4_addresses_total, 16u);
  EXPECT_EQ(s.ipv6_addresses_total, 16u);
  EXPECT_EQ(s.addresses_total, 32u);
  EXPECT_EQ(s.ipv4_addresses_in_use, 2u);
  EXPECT_EQ(s.ipv6_addresses_in_use, 1u);
  EXPECT_EQ(s.addresses_in_use, 3u);
  EXPECT_EQ(s.services, 2u);
}

TEST(AllocatorStatsTest, CapacityRespectsAvoidBuggyIps) {
  Allocator a;
  a.SetConfig(Config({PoolBuilder("p", {"10.0.0.0/24"}).AvoidBuggyIps()}));
  EXPECT_EQ(a.PoolStats()[0].ipv4_addresses_total, 254u);
}

TEST(AllocatorStatsTest, HugeIpv6CapacitySaturatesWithoutSwallowingIpv4) {
  Allocator a;
  a.SetConfig(Config({PoolBuilder("big", {"10.0.0.0/24", "2001:db8::/48"})}));
  const PoolCounters s = a.PoolStats()[0];
  EXPECT_EQ(s.ipv4_addresses_total, 256u);
  EXPECT_EQ(s.ipv6_addresses_total, kCountSaturation);
  EXPECT_EQ(s.addresses_total, kCountSaturation);
}

TEST(AllocatorStatsTest, ReleasedAddressesLeaveTheCount) {
  Allocator a;
  a.SetConfig(Config({PoolBuilder("p", {"10.0.0.0/30"})}));
  a.Upsert(Svc("default/a"));
  a.Delete("default/a");
  EXPECT_EQ(a.PoolStats()[0].addresses_in_use, 0u);
  EXPECT_EQ(a.PoolStats()[0].services, 0u);
}

TEST(AllocatorStatsTest, PoolsAreListedByNameAndRemovedPoolsDisappear) {
  Allocator a;
  a.SetConfig(Config({PoolBuilder("b", {"10.0.1.0/30"}), PoolBuilder("a", {"10.0.0.0/30"})}));
  auto stats = a.PoolStats();
  ASSERT_EQ(stats.size(), 2u);
  EXPECT_EQ(stats[0].pool, "a");
  a.SetConfig(Config({PoolBuilder("b", {"10.0.1.0/30"})}));
  ASSERT_EQ(a.PoolStats().size(), 1u);
  EXPECT_EQ(a.PoolStats()[0].pool, "b");
}

}  // namespace
}  // namespace vipcast::ipam
