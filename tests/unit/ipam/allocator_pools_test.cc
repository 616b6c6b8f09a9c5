// Allocator: which pool an auto-assigned service gets (autoAssign,
// serviceAllocation, priority, order), exhaustion, and avoidBuggyIPs.
#include <gtest/gtest.h>

#include "engine/ipam/allocator.h"
#include "tests/unit/ipam/test_builders.h"

namespace vipcast::ipam {
namespace {

using namespace testing;  // NOLINT: test builders

TEST(AllocatorPoolsTest, PoolsWithoutAutoAssignAreNotUsedAutomatically) {
  Allocator a;
  a.SetConfig(Config({PoolBuilder("manual", {"10.0.0.0/30"}).AutoAssign(false)}));
  a.Upsert(Svc("default/web"));
  EXPECT_EQ(ReasonFor(a, "default/web"),
            "no pool can serve the service: no pool has autoAssign enabled (request one with "
            "metallb.io/address-pool or metallb.io/loadBalancerIPs)");
}

TEST(AllocatorPoolsTest, PlainPoolsAreTriedInNameOrder) {
  Allocator a;
  // Listed out of order on purpose: the config order must not matter.
  a.SetConfig(
      Config({PoolBuilder("zeta", {"10.0.2.0/30"}), PoolBuilder("alpha", {"10.0.1.0/30"})}));
  a.Upsert(Svc("default/web"));
  EXPECT_EQ(PoolFor(a, "default/web"), "alpha");
}

TEST(AllocatorPoolsTest, PinnedPoolComesBeforePlainPools) {
  Allocator a;
  a.SetConfig(Config({PoolBuilder("alpha", {"10.0.1.0/30"}),
                      PoolBuilder("team", {"10.0.2.0/30"}).Namespaces({"default"})}));
  a.Upsert(Svc("default/web"));
  EXPECT_EQ(PoolFor(a, "default/web"), "team");
}

TEST(AllocatorPoolsTest, LowerPriorityNumberWins) {
  Allocator a;
  a.SetConfig(Config({PoolBuilder("a", {"10.0.1.0/30"}).Namespaces({"default"}).Priority(20),
                      PoolBuilder("b", {"10.0.2.0/30"}).Namespaces({"default"}).Priority(10)}));
  a.Upsert(Svc("default/web"));
  EXPECT_EQ(PoolFor(a, "default/web"), "b");
}

TEST(AllocatorPoolsTest, UnsetPriorityComesAfterSetPriority) {
  Allocator a;
  a.SetConfig(Config({PoolBuilder("a", {"10.0.1.0/30"}).Namespaces({"default"}),
                      PoolBuilder("b", {"10.0.2.0/30"}).Namespaces({"default"}).Priority(50)}));
  a.Upsert(Svc("default/web"));
  EXPECT_EQ(PoolFor(a, "default/web"), "b");
}

TEST(AllocatorPoolsTest, ZeroPriorityMeansUnset) {
  Allocator a;
  a.SetConfig(Config({PoolBuilder("a", {"10.0.1.0/30"}).Namespaces({"default"}).Priority(0),
                      PoolBuilder("b", {"10.0.2.0/30"}).Namespaces({"default"}).Priority(5)}));
  a.Upsert(Svc("default/web"));
  EXPECT_EQ(PoolFor(a, "default/web"), "b");
}

TEST(AllocatorPoolsTest, EqualPriorityTieBrokenByName) {
  Allocator a;
  a.SetConfig(Config({PoolBuilder("b", {"10.0.2.0/30"}).Namespaces({"default"}).Priority(1),
                      PoolBuilder("a", {"10.0.1.0/30"}).Namespaces({"default"}).Priority(1)}));
  a.Upsert(Svc("default/web"));
  EXPECT_EQ(PoolFor(a, "default/web"), "a");
}

TEST(AllocatorPoolsTest, ServiceAllocationWithOnlyPriorityPinsForEveryone) {
  Allocator a;
  a.SetConfig(
      Config({PoolBuilder("a", {"10.0.1.0/30"}), PoolBuilder("z", {"10.0.2.0/30"}).Priority(3)}));
  a.Upsert(Svc("anything/web"));
  EXPECT_EQ(PoolFor(a, "anything/web"), "z");
}

TEST(AllocatorPoolsTest, NamespaceRestrictedPoolIsNotForOtherNamespaces) {
  Allocator a;
  a.SetConfig(Config({PoolBuilder("team-a", {"10.0.1.0/30"}).Namespaces({"team-a"})}));
  a.Upsert(Svc("team-b/web"));
  EXPECT_EQ(ReasonFor(a, "team-b/web"),
            "no pool can serve the service: no autoAssign pool's serviceAllocation allows "
            "namespace \"team-b\" and the service's labels");
  a.Upsert(Svc("team-a/web"));
  EXPECT_EQ(PoolFor(a, "team-a/web"), "team-a");
}

TEST(AllocatorPoolsTest, NamespaceSelectorMatchesNamespaceLabels) {
  Allocator a;
  a.SetConfig(Config({PoolBuilder("prod", {"10.0.1.0/30"}).NamespaceSelector({{"env", "prod"}}),
                      PoolBuilder("zz-general", {"10.0.9.0/30"})},
                     {Ns("shop", {{"env", "prod"}}), Ns("lab", {{"env", "dev"}})}));
  a.Upsert(Svc("shop/web"));
  a.Upsert(Svc("lab/web"));
  EXPECT_EQ(PoolFor(a, "shop/web"), "prod");
  EXPECT_EQ(PoolFor(a, "lab/web"), "zz-general");
}

TEST(AllocatorPoolsTest, NamespaceLabelChangeMovesServiceOutOfPool) {
  Allocator a;
  auto pools = std::vector<config::IPAddressPool>{
      PoolBuilder("prod", {"10.0.1.0/30"}).NamespaceSelector({{"env", "prod"}}),
      PoolBuilder("zz-general", {"10.0.9.0/30"})};
  a.SetConfig(Config(pools, {Ns("shop", {{"env", "prod"}})}));
  a.Upsert(Svc("shop/web"));
  auto changes = a.SetConfig(Config(pools, {Ns("shop", {{"env", "dev"}})}));
  EXPECT_EQ(Log(changes), std::vector<std::string>{
                              "moved shop/web 10.0.1.0 -> 10.0.9.0 pool=prod -> zz-general"});
}

TEST(AllocatorPoolsTest, NamespaceSelectorMatchingNothingRestrictsToNothing) {
  // Deviation from MetalLB, which opens such a pool to every namespace
  // through the annotation (ALLOCATOR.md 1.5 "surprising case").
  Allocator a;
  a.SetConfig(Config({PoolBuilder("p", {"10.0.1.0/30"}).NamespaceSelector({{"team", "x"}})},
                     {Ns("default")}));
  a.Upsert(Svc("default/web").FromPool("p"));
  EXPECT_EQ(IpsFor(a, "default/web"), "");
}

TEST(AllocatorPoolsTest, ServiceSelectorMatchesServiceLabels) {
  Allocator a;
  a.SetConfig(Config({PoolBuilder("web", {"10.0.1.0/30"}).ServiceSelector({{"tier", "web"}}),
                      PoolBuilder("zz", {"10.0.9.0/30"})}));
  a.Upsert(Svc("default/front").Labels({{"tier", "web"}}));
  a.Upsert(Svc("default/db").Labels({{"tier", "db"}}));
  EXPECT_EQ(PoolFor(a, "default/front"), "web");
  EXPECT_EQ(PoolFor(a, "default/db"), "zz");
}

TEST(AllocatorPoolsTest, NamespacesAndServiceSelectorsAreBothRequired) {
  Allocator a;
  a.SetConfig(Config(
      {PoolBuilder("p", {"10.0.1.0/30"}).Namespaces({"shop"}).ServiceSelector({{"tier", "web"}}),
       PoolBuilder("zz", {"10.0.9.0/30"})}));
  a.Upsert(Svc("shop/db").Labels({{"tier", "db"}}));
  a.Upsert(Svc("lab/front").Labels({{"tier", "web"}}));
  a.Upsert(Svc("shop/front").Labels({{"tier", "web"}}));
  EXPECT_EQ(PoolFor(a, "shop/db"), "zz");
  EXPECT_EQ(PoolFor(a, "lab/front"), "zz");
  EXPECT_EQ(PoolFor(a, "shop/front"), "p");
}

TEST(AllocatorPoolsTest, FullPoolFallsThroughToNextPool) {
  Allocator a;
  a.SetConfig(Config({PoolBuilder("a", {"10.0.1.1/32"}), PoolBuilder("b", {"10.0.2.0/30"})}));
  a.Upsert(Svc("default/one"));
  a.Upsert(Svc("default/two"));
  EXPECT_EQ(IpsFor(a, "default/two"), "10.0.2.0");
}

TEST(AllocatorPoolsTest, ExhaustionLeavesServicePendingWithReason) {
  Allocator a;
  a.SetConfig(Config({PoolBuilder("first-pool", {"192.168.1.240/31"})}));
  a.Upsert(Svc("default/a"));
  a.Upsert(Svc("default/b"));
  a.Upsert(Svc("default/c"));
  EXPECT_EQ(ReasonFor(a, "default/c"), "no available IPs in pool \"first-pool\" for IPv4");
  ASSERT_EQ(a.Pending().size(), 1u);
  EXPECT_EQ(a.Pending()[0].service, "default/c");
}

TEST(AllocatorPoolsTest, ExhaustionOfSeveralPoolsNamesEach) {
  Allocator a;
  a.SetConfig(Config({PoolBuilder("a", {"10.0.1.1/32"}), PoolBuilder("b", {"2001:db8::/126"})}));
  a.Upsert(Svc("default/one"));
  a.Upsert(Svc("default/two"));
  EXPECT_EQ(ReasonFor(a, "default/two"),
            "no available IPs in any candidate pool: pool \"a\" is full for IPv4; pool \"b\" has "
            "no IPv4 addresses");
}

TEST(AllocatorPoolsTest, RangesAreWalkedInTheOrderWritten) {
  Allocator a;
  a.SetConfig(Config({PoolBuilder("p", {"10.0.5.0/31", "10.0.1.0/31"})}));
  a.Upsert(Svc("default/web"));
  EXPECT_EQ(IpsFor(a, "default/web"), "10.0.5.0");
}

TEST(AllocatorPoolsTest, AvoidBuggyIpsSkipsDotZeroAndDot255) {
  Allocator a;
  a.SetConfig(Config({PoolBuilder("p", {"10.0.0.254-10.0.1.2"}).AvoidBuggyIps()}));
  a.Upsert(Svc("default/a"));
  a.Upsert(Svc("default/b"));
  a.Upsert(Svc("default/c"));
  EXPECT_EQ(IpsFor(a, "default/a"), "10.0.0.254");
  EXPECT_EQ(IpsFor(a, "default/b"), "10.0.1.1");
  EXPECT_EQ(IpsFor(a, "default/c"), "10.0.1.2");
}

TEST(AllocatorPoolsTest, WithoutAvoidBuggyIpsNetworkAndBroadcastAreUsed) {
  Allocator a;
  a.SetConfig(Config({PoolBuilder("p", {"10.0.0.0/31"})}));
  a.Upsert(Svc("default/a"));
  EXPECT_EQ(IpsFor(a, "default/a"), "10.0.0.0");
}

TEST(AllocatorPoolsTest, AvoidBuggyIpsDoesNotAffectIpv6) {
  Allocator a;
  a.SetConfig(Config({PoolBuilder("p", {"2001:db8::/127"}).AvoidBuggyIps()}));
  a.Upsert(Svc("default/a").Families({core::IpFamily::kV6}));
  EXPECT_EQ(IpsFor(a, "default/a"), "2001:db8::");
}

TEST(AllocatorPoolsTest, RequestedBuggyIpIsRefused) {
  Allocator a;
  a.SetConfig(Config({PoolBuilder("p", {"10.0.0.0/24"}).AvoidBuggyIps()}));
  a.Upsert(Svc("default/a").RequestIps("10.0.0.255"));
  EXPECT_EQ(ReasonFor(a, "default/a"),
            "requested IP 10.0.0.255 is not usable: pool \"p\" sets avoidBuggyIPs, which excludes "
            ".0 and .255 addresses");
}

TEST(AllocatorPoolsTest, OverlappingRangesAreIgnoredWithWarning) {
  Allocator a;
  a.SetConfig(Config({PoolBuilder("a", {"10.0.0.0/30"}), PoolBuilder("b", {"10.0.0.2/31"})}));
  ASSERT_EQ(a.config_warnings().size(), 1u);
  EXPECT_EQ(a.config_warnings()[0],
            "pool \"b\": ignoring range 10.0.0.2-10.0.0.3, which overlaps another pool's range");
}

}  // namespace
}  // namespace vipcast::ipam
