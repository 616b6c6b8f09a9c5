// Allocator: restarts, config changes, deletions, retries and the change log.
#include <gtest/gtest.h>

#include "engine/ipam/allocate_all.h"
#include "engine/ipam/allocator.h"
#include "tests/unit/ipam/test_builders.h"

namespace vipcast::ipam {
namespace {

using namespace testing;  // NOLINT: test builders

config::ClusterConfig SmallPool() {
  return Config({PoolBuilder("first-pool", {"192.168.1.240/30"})});
}

TEST(AllocatorLifecycleTest, RestartKeepsStatusAddresses) {
  Allocator a;
  a.SetConfig(SmallPool());
  a.ReplaceServices({Svc("default/web").Ingress({"192.168.1.242"})});
  EXPECT_EQ(IpsFor(a, "default/web"), "192.168.1.242");
}

TEST(AllocatorLifecycleTest, RestartReclaimsBeforeAllocatingNewServices) {
  // "a/new" sorts first and would take .240 if claims did not come first.
  Allocator a;
  a.SetConfig(SmallPool());
  a.ReplaceServices({Svc("a/new"), Svc("b/old").Ingress({"192.168.1.240"})});
  EXPECT_EQ(IpsFor(a, "b/old"), "192.168.1.240");
  EXPECT_EQ(IpsFor(a, "a/new"), "192.168.1.241");
}

TEST(AllocatorLifecycleTest, StatusAddressNoLongerAllowedIsReplaced) {
  Allocator a;
  a.SetConfig(SmallPool());
  a.ReplaceServices({Svc("default/web").Ingress({"10.9.9.9"})});
  EXPECT_EQ(IpsFor(a, "default/web"), "192.168.1.240");
}

TEST(AllocatorLifecycleTest, StatusAddressInConflictGoesToFirstClaimer) {
  Allocator a;
  a.SetConfig(SmallPool());
  a.ReplaceServices(
      {Svc("default/a").Ingress({"192.168.1.241"}), Svc("default/b").Ingress({"192.168.1.241"})});
  EXPECT_EQ(IpsFor(a, "default/a"), "192.168.1.241");
  EXPECT_EQ(IpsFor(a, "default/b"), "192.168.1.240");
}

TEST(AllocatorLifecycleTest, SingleUpsertReclaimsItsStatusAddress) {
  Allocator a;
  a.SetConfig(SmallPool());
  a.Upsert(Svc("default/web").Ingress({"192.168.1.243"}));
  EXPECT_EQ(IpsFor(a, "default/web"), "192.168.1.243");
}

TEST(AllocatorLifecycleTest, ConfigChangeRemovingAnAddressMovesItsService) {
  Allocator a;
  a.SetConfig(SmallPool());
  a.Upsert(Svc("default/a"));
  a.Upsert(Svc("default/b"));
  auto changes = a.SetConfig(Config({PoolBuilder("first-pool", {"192.168.1.241-192.168.1.243"})}));
  EXPECT_EQ(Log(changes), std::vector<std::string>{
                              "moved default/a 192.168.1.240 -> 192.168.1.242 pool=first-pool"});
  EXPECT_EQ(IpsFor(a, "default/b"), "192.168.1.241");
}

TEST(AllocatorLifecycleTest, ConfigChangeKeepingAddressesChangesNothing) {
  Allocator a;
  a.SetConfig(SmallPool());
  a.Upsert(Svc("default/a"));
  // A better-priority pool appears: the service stays where it is.
  auto changes = a.SetConfig(Config({PoolBuilder("first-pool", {"192.168.1.240/30"}),
                                     PoolBuilder("better", {"10.0.0.0/30"}).Priority(1)}));
  EXPECT_TRUE(changes.empty());
}

TEST(AllocatorLifecycleTest, RenamedPoolKeepsAddressesAndReportsNewPool) {
  Allocator a;
  a.SetConfig(SmallPool());
  a.Upsert(Svc("default/a"));
  auto changes = a.SetConfig(Config({PoolBuilder("renamed", {"192.168.1.240/30"})}));
  EXPECT_EQ(Log(changes),
            std::vector<std::string>{
                "assigned default/a 192.168.1.240 -> 192.168.1.240 pool=first-pool -> renamed"});
}

TEST(AllocatorLifecycleTest, TurningOnAvoidBuggyIpsEvictsDotZero) {
  Allocator a;
  a.SetConfig(Config({PoolBuilder("p", {"10.0.0.0/30"})}));
  a.Upsert(Svc("default/a"));
  a.SetConfig(Config({PoolBuilder("p", {"10.0.0.0/30"}).AvoidBuggyIps()}));
  EXPECT_EQ(IpsFor(a, "default/a"), "10.0.0.1");
}

TEST(AllocatorLifecycleTest, RemovingAllPoolsLeavesServicesPending) {
  Allocator a;
  a.SetConfig(SmallPool());
  a.Upsert(Svc("default/a"));
  auto changes = a.SetConfig(Config({}));
  EXPECT_EQ(Log(changes), std::vector<std::string>{
                              "pending default/a: no pool can serve the service: no IPAddressPool "
                              "is configured (released 192.168.1.240)"});
}

TEST(AllocatorLifecycleTest, AddingAPoolServesPendingServices) {
  Allocator a;
  a.SetConfig(Config({}));
  a.Upsert(Svc("default/a"));
  auto changes = a.SetConfig(SmallPool());
  EXPECT_EQ(Log(changes),
            std::vector<std::string>{"assigned default/a 192.168.1.240 pool=first-pool"});
}

TEST(AllocatorLifecycleTest, DeletionFreesAddressAndRetriesPendingInOrder) {
  Allocator a;
  a.SetConfig(Config({PoolBuilder("p", {"10.0.0.1/32"})}));
  a.Upsert(Svc("default/holder"));
  a.Upsert(Svc("zz/late"));
  a.Upsert(Svc("aa/early"));
  ASSERT_EQ(a.Pending().size(), 2u);
  auto changes = a.Delete("default/holder");
  EXPECT_EQ(Log(changes), (std::vector<std::string>{"assigned aa/early 10.0.0.1 pool=p",
                                                    "released default/holder 10.0.0.1 pool=p"}));
  EXPECT_EQ(ReasonFor(a, "zz/late"), "no available IPs in pool \"p\" for IPv4");
}

TEST(AllocatorLifecycleTest, PendingRetryGivesRequestedAddressToItsRequester) {
  Allocator a;
  a.SetConfig(Config({PoolBuilder("p", {"10.0.0.1/32"})}));
  a.Upsert(Svc("default/holder"));
  a.Upsert(Svc("aa/auto"));
  a.Upsert(Svc("zz/wants").RequestIps("10.0.0.1"));
  a.Delete("default/holder");
  EXPECT_EQ(IpsFor(a, "zz/wants"), "10.0.0.1");
  EXPECT_EQ(IpsFor(a, "aa/auto"), "");
}

TEST(AllocatorLifecycleTest, DeletingUnknownServiceIsANoOp) {
  Allocator a;
  a.SetConfig(SmallPool());
  EXPECT_TRUE(a.Delete("default/ghost").empty());
}

TEST(AllocatorLifecycleTest, UnchangedUpsertReportsNothing) {
  Allocator a;
  a.SetConfig(SmallPool());
  a.Upsert(Svc("default/a"));
  EXPECT_TRUE(a.Upsert(Svc("default/a")).empty());
}

TEST(AllocatorLifecycleTest, StatusOnlyUpdateOfAnAssignedServiceReportsNothing) {
  // The controller writes the status; the update it then receives must not
  // move anything, even if the status it carries is stale.
  Allocator a;
  a.SetConfig(SmallPool());
  a.Upsert(Svc("default/a"));
  EXPECT_TRUE(a.Upsert(Svc("default/a").Ingress({"192.168.1.240"})).empty());
  EXPECT_TRUE(a.Upsert(Svc("default/a").Ingress({"192.168.1.243"})).empty());
  EXPECT_EQ(IpsFor(a, "default/a"), "192.168.1.240");
}

TEST(AllocatorLifecycleTest, ReplaceServicesReleasesServicesThatAreGone) {
  Allocator a;
  a.SetConfig(SmallPool());
  a.ReplaceServices({Svc("default/a"), Svc("default/b")});
  auto changes = a.ReplaceServices({Svc("default/b")});
  EXPECT_EQ(Log(changes),
            std::vector<std::string>{"released default/a 192.168.1.240 pool=first-pool"});
}

TEST(AllocatorLifecycleTest, AllocateAllIsDeterministic) {
  config::Resources resources;
  resources.config = Config({PoolBuilder("p", {"10.0.0.0/29"}), PoolBuilder("q", {"10.0.1.0/29"})});
  for (const char* key : {"b/x", "a/y", "c/z", "a/a"}) {
    resources.services.services.push_back(Svc(key));
  }
  auto first = AllocateAll(resources, {});
  std::reverse(resources.services.services.begin(), resources.services.services.end());
  auto second = AllocateAll(resources, {});
  EXPECT_EQ(first.services, second.services);
  ASSERT_EQ(first.services.size(), 4u);
  EXPECT_EQ(first.services[0].service, "a/a");
  EXPECT_EQ(IpsOf(first.services[0]), "10.0.0.0");
}

}  // namespace
}  // namespace vipcast::ipam
