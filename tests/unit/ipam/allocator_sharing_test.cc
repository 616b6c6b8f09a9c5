// Allocator: IP sharing with metallb.io/allow-shared-ip.
#include <gtest/gtest.h>

#include "engine/ipam/allocator.h"
#include "tests/unit/ipam/test_builders.h"

namespace vipcast::ipam {
namespace {

using namespace testing;  // NOLINT: test builders

class AllocatorSharingTest : public ::testing::Test {
 protected:
  void SetUp() override { a_.SetConfig(Config({PoolBuilder("p", {"10.0.0.10-10.0.0.20"})})); }
  Allocator a_;
};

TEST_F(AllocatorSharingTest, SameKeyAndDisjointPortsShare) {
  a_.Upsert(Svc("default/http").Share("k").RequestIps("10.0.0.10").Ports({{"TCP", 80}}));
  a_.Upsert(Svc("default/https").Share("k").RequestIps("10.0.0.10").Ports({{"TCP", 443}}));
  EXPECT_EQ(IpsFor(a_, "default/https"), "10.0.0.10");
}

TEST_F(AllocatorSharingTest, SameKeyAndOverlappingPortsAreRefused) {
  a_.Upsert(Svc("default/a").Share("k").RequestIps("10.0.0.10").Ports({{"TCP", 80}}));
  a_.Upsert(Svc("default/b").Share("k").RequestIps("10.0.0.10").Ports({{"TCP", 80}, {"TCP", 81}}));
  EXPECT_EQ(ReasonFor(a_, "default/b"), "port TCP/80 is already in use on 10.0.0.10 by default/a");
}

TEST_F(AllocatorSharingTest, TcpAndUdpOnTheSamePortShare) {
  a_.Upsert(Svc("kube-system/dns-tcp").Share("dns").RequestIps("10.0.0.10").Ports({{"TCP", 53}}));
  a_.Upsert(Svc("kube-system/dns-udp").Share("dns").RequestIps("10.0.0.10").Ports({{"UDP", 53}}));
  EXPECT_EQ(IpsFor(a_, "kube-system/dns-udp"), "10.0.0.10");
}

TEST_F(AllocatorSharingTest, DifferentKeysAreRefused) {
  a_.Upsert(Svc("default/a").Share("k1").RequestIps("10.0.0.10").Ports({{"TCP", 80}}));
  a_.Upsert(Svc("default/b").Share("k2").RequestIps("10.0.0.10").Ports({{"TCP", 443}}));
  EXPECT_EQ(ReasonFor(a_, "default/b"),
            "IP 10.0.0.10 is used by default/a with sharing key \"k1\", not \"k2\"");
}

TEST_F(AllocatorSharingTest, HolderWithoutKeyRefusesSharing) {
  a_.Upsert(Svc("default/a").RequestIps("10.0.0.10").Ports({{"TCP", 80}}));
  a_.Upsert(Svc("default/b").Share("k").RequestIps("10.0.0.10").Ports({{"TCP", 443}}));
  EXPECT_EQ(ReasonFor(a_, "default/b"),
            "IP 10.0.0.10 is already used by default/a, which does not allow sharing");
}

TEST_F(AllocatorSharingTest, LocalPolicyWithDifferentSelectorsIsRefused) {
  a_.Upsert(Svc("default/a")
                .Share("k")
                .RequestIps("10.0.0.10")
                .Ports({{"TCP", 80}})
                .Local({{"app", "a"}}));
  a_.Upsert(Svc("default/b")
                .Share("k")
                .RequestIps("10.0.0.10")
                .Ports({{"TCP", 81}})
                .Local({{"app", "b"}}));
  EXPECT_EQ(ReasonFor(a_, "default/b"),
            "IP 10.0.0.10 is shared by default/a with a different backend (externalTrafficPolicy "
            "Local needs the same selector on every service of a shared IP: \"app=a\" vs "
            "\"app=b\")");
}

TEST_F(AllocatorSharingTest, LocalPolicyWithSameSelectorShares) {
  a_.Upsert(Svc("default/a")
                .Share("k")
                .RequestIps("10.0.0.10")
                .Ports({{"TCP", 80}})
                .Local({{"app", "x"}}));
  a_.Upsert(Svc("default/b")
                .Share("k")
                .RequestIps("10.0.0.10")
                .Ports({{"TCP", 81}})
                .Local({{"app", "x"}}));
  EXPECT_EQ(IpsFor(a_, "default/b"), "10.0.0.10");
}

TEST_F(AllocatorSharingTest, LocalAndClusterPolicyCannotShareWithASelector) {
  a_.Upsert(Svc("default/a")
                .Share("k")
                .RequestIps("10.0.0.10")
                .Ports({{"TCP", 80}})
                .Local({{"app", "x"}}));
  a_.Upsert(Svc("default/b")
                .Share("k")
                .RequestIps("10.0.0.10")
                .Ports({{"TCP", 81}})
                .Selector({{"app", "x"}}));
  EXPECT_EQ(IpsFor(a_, "default/b"), "");
}

TEST_F(AllocatorSharingTest, AutoAssignedServicePacksOntoSharedAddress) {
  a_.Upsert(Svc("default/first").Share("k").Ports({{"TCP", 80}}));
  a_.Upsert(Svc("default/other"));
  a_.Upsert(Svc("default/second").Share("k").Ports({{"TCP", 443}}));
  EXPECT_EQ(IpsFor(a_, "default/first"), "10.0.0.10");
  EXPECT_EQ(IpsFor(a_, "default/other"), "10.0.0.11");
  EXPECT_EQ(IpsFor(a_, "default/second"), "10.0.0.10");
}

TEST_F(AllocatorSharingTest, AutoAssignedServiceWithClashingPortsTakesAFreshAddress) {
  a_.Upsert(Svc("default/first").Share("k").Ports({{"TCP", 80}}));
  a_.Upsert(Svc("default/second").Share("k").Ports({{"TCP", 80}}));
  EXPECT_EQ(IpsFor(a_, "default/second"), "10.0.0.11");
}

TEST_F(AllocatorSharingTest, LowerFreeAddressBeatsLaterSharedOne) {
  a_.Upsert(Svc("default/x"));                                      // .10
  a_.Upsert(Svc("default/first").Share("k").Ports({{"TCP", 80}}));  // .11
  a_.Delete("default/x");                                           // .10 free again
  a_.Upsert(Svc("default/second").Share("k").Ports({{"TCP", 443}}));
  EXPECT_EQ(IpsFor(a_, "default/second"), "10.0.0.10");
}

TEST_F(AllocatorSharingTest, DeletingOneSharerKeepsTheAddressForTheOther) {
  a_.Upsert(Svc("default/a").Share("k").Ports({{"TCP", 80}}));
  a_.Upsert(Svc("default/b").Share("k").Ports({{"TCP", 443}}));
  a_.Delete("default/a");
  EXPECT_EQ(IpsFor(a_, "default/b"), "10.0.0.10");
  a_.Upsert(Svc("default/c"));
  EXPECT_EQ(IpsFor(a_, "default/c"), "10.0.0.11");  // .10 is still taken
}

TEST_F(AllocatorSharingTest, ChangingTheKeyMovesTheServiceAwayFromItsSharer) {
  a_.Upsert(Svc("default/a").Share("k").Ports({{"TCP", 80}}));
  a_.Upsert(Svc("default/b").Share("k").Ports({{"TCP", 443}}));
  auto changes = a_.Upsert(Svc("default/b").Share("other").Ports({{"TCP", 443}}));
  EXPECT_EQ(Log(changes),
            std::vector<std::string>{"moved default/b 10.0.0.10 -> 10.0.0.11 pool=p"});
}

TEST_F(AllocatorSharingTest, SoleHolderMayChangeItsKeyInPlace) {
  a_.Upsert(Svc("default/a").Share("k").Ports({{"TCP", 80}}));
  EXPECT_TRUE(a_.Upsert(Svc("default/a").Share("k2").Ports({{"TCP", 80}})).empty());
  // And the new key is the one others now need.
  a_.Upsert(Svc("default/b").Share("k2").Ports({{"TCP", 443}}));
  EXPECT_EQ(IpsFor(a_, "default/b"), "10.0.0.10");
}

TEST_F(AllocatorSharingTest, SharedAddressCountsOnceInStats) {
  a_.Upsert(Svc("default/a").Share("k").Ports({{"TCP", 80}}));
  a_.Upsert(Svc("default/b").Share("k").Ports({{"TCP", 443}}));
  auto stats = a_.PoolStats();
  ASSERT_EQ(stats.size(), 1u);
  EXPECT_EQ(stats[0].addresses_in_use, 1u);
  EXPECT_EQ(stats[0].services, 2u);
}

}  // namespace
}  // namespace vipcast::ipam
