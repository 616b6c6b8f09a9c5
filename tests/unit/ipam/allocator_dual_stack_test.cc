// Allocator: IP families and ipFamilyPolicy.
#include <gtest/gtest.h>

#include "engine/ipam/allocator.h"
#include "tests/unit/ipam/test_builders.h"

namespace vipcast::ipam {
namespace {

using namespace testing;  // NOLINT: test builders
using config::IpFamilyPolicy;
using core::IpFamily;

TEST(AllocatorDualStackTest, RequireDualStackGetsOneAddressPerFamilyFromOnePool) {
  Allocator a;
  a.SetConfig(Config({PoolBuilder("dual", {"10.0.0.0/30", "2001:db8::/126"})}));
  a.Upsert(Svc("default/web")
               .Families({IpFamily::kV4, IpFamily::kV6})
               .Policy(IpFamilyPolicy::kRequireDualStack));
  EXPECT_EQ(IpsFor(a, "default/web"), "10.0.0.0,2001:db8::");
}

TEST(AllocatorDualStackTest, RequireDualStackIsPendingWhenThePoolLacksAFamily) {
  Allocator a;
  a.SetConfig(Config({PoolBuilder("v4only", {"10.0.0.0/30"})}));
  a.Upsert(Svc("default/web").Policy(IpFamilyPolicy::kRequireDualStack));
  EXPECT_EQ(ReasonFor(a, "default/web"),
            "pool \"v4only\" has no IPv6 addresses (RequireDualStack needs IPv4 and IPv6 from one "
            "pool)");
}

TEST(AllocatorDualStackTest, RequireDualStackDoesNotCombineTwoPools) {
  Allocator a;
  a.SetConfig(Config({PoolBuilder("v4", {"10.0.0.0/30"}), PoolBuilder("v6", {"2001:db8::/126"})}));
  a.Upsert(Svc("default/web").Policy(IpFamilyPolicy::kRequireDualStack));
  EXPECT_EQ(IpsFor(a, "default/web"), "");
}

TEST(AllocatorDualStackTest, PreferDualStackFallsBackToPrimaryFamily) {
  Allocator a;
  a.SetConfig(Config({PoolBuilder("v6", {"2001:db8::/126"}), PoolBuilder("v4", {"10.0.0.0/30"})}));
  a.Upsert(Svc("default/web")
               .Families({IpFamily::kV4, IpFamily::kV6})
               .Policy(IpFamilyPolicy::kPreferDualStack));
  // "v4" sorts after "v6" but offers the primary family.
  EXPECT_EQ(IpsFor(a, "default/web"), "10.0.0.0");
}

TEST(AllocatorDualStackTest, PreferDualStackTakesBothWhenAPoolHasBoth) {
  Allocator a;
  a.SetConfig(Config({PoolBuilder("a-v4", {"10.0.1.0/30"}),
                      PoolBuilder("b-dual", {"10.0.0.0/30", "2001:db8::/126"})}));
  a.Upsert(Svc("default/web")
               .Families({IpFamily::kV4, IpFamily::kV6})
               .Policy(IpFamilyPolicy::kPreferDualStack));
  EXPECT_EQ(IpsFor(a, "default/web"), "10.0.0.0,2001:db8::");
}

TEST(AllocatorDualStackTest, PreferDualStackOnSingleStackClusterGetsOneAddress) {
  Allocator a;
  a.SetConfig(Config({PoolBuilder("dual", {"10.0.0.0/30", "2001:db8::/126"})}));
  a.Upsert(Svc("default/web").Families({IpFamily::kV4}).Policy(IpFamilyPolicy::kPreferDualStack));
  EXPECT_EQ(IpsFor(a, "default/web"), "10.0.0.0");
}

TEST(AllocatorDualStackTest, PrimaryFamilyFromIpFamiliesComesFirst) {
  Allocator a;
  a.SetConfig(Config({PoolBuilder("dual", {"10.0.0.0/30", "2001:db8::/126"})}));
  a.Upsert(Svc("default/web")
               .Families({IpFamily::kV6, IpFamily::kV4})
               .Policy(IpFamilyPolicy::kRequireDualStack));
  EXPECT_EQ(IpsFor(a, "default/web"), "2001:db8::,10.0.0.0");
}

TEST(AllocatorDualStackTest, SingleStackIpv6) {
  Allocator a;
  a.SetConfig(Config({PoolBuilder("dual", {"10.0.0.0/30", "2001:db8::/126"})}));
  a.Upsert(Svc("default/web").Families({IpFamily::kV6}));
  EXPECT_EQ(IpsFor(a, "default/web"), "2001:db8::");
}

TEST(AllocatorDualStackTest, ClusterIpsDecideWhenIpFamiliesAreEmpty) {
  Allocator a;
  a.SetConfig(Config({PoolBuilder("dual", {"10.0.0.0/30", "2001:db8::/126"})}));
  a.Upsert(Svc("default/web").ClusterIps({"fd00::10"}));
  EXPECT_EQ(IpsFor(a, "default/web"), "2001:db8::");
}

TEST(AllocatorDualStackTest, SingleStackServiceIgnoresPoolsWithoutItsFamily) {
  Allocator a;
  a.SetConfig(
      Config({PoolBuilder("a-v6", {"2001:db8::/126"}), PoolBuilder("b-v4", {"10.0.0.0/30"})}));
  a.Upsert(Svc("default/web"));
  EXPECT_EQ(PoolFor(a, "default/web"), "b-v4");
}

TEST(AllocatorDualStackTest, PreferDualStackGainsSecondFamilyWhenFreed) {
  Allocator a;
  a.SetConfig(Config({PoolBuilder("dual", {"10.0.0.0/30", "2001:db8::/128"})}));
  a.Upsert(Svc("default/v6").Families({IpFamily::kV6}));
  a.Upsert(Svc("default/web").Policy(IpFamilyPolicy::kPreferDualStack));
  EXPECT_EQ(IpsFor(a, "default/web"), "10.0.0.0");
  auto changes = a.Delete("default/v6");
  EXPECT_EQ(IpsFor(a, "default/web"), "10.0.0.0,2001:db8::");
  EXPECT_EQ(Log(changes), (std::vector<std::string>{
                              "released default/v6 2001:db8:: pool=dual",
                              "assigned default/web 10.0.0.0 -> 10.0.0.0, 2001:db8:: pool=dual"}));
}

TEST(AllocatorDualStackTest, PreferDualStackWithOneRequestedIpGetsExactlyThatIp) {
  // MetalLB refuses a single requested IP for a dual-stack service; "prefer"
  // allows one family, so vipcast honours the request, and never adds a
  // second address the user did not name.
  Allocator a;
  a.SetConfig(Config({PoolBuilder("dual", {"10.0.0.0/30", "2001:db8::/126"})}));
  a.Upsert(Svc("default/web").Policy(IpFamilyPolicy::kPreferDualStack).RequestIps("2001:db8::1"));
  EXPECT_EQ(IpsFor(a, "default/web"), "2001:db8::1");
  a.Upsert(Svc("default/other"));
  a.Delete("default/other");  // a release retries degraded services
  EXPECT_EQ(IpsFor(a, "default/web"), "2001:db8::1");
}

}  // namespace
}  // namespace vipcast::ipam
