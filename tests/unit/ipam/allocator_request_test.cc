// Allocator: basic assignment, which services are handled, requested IPs
// and requested pools.
#include <gtest/gtest.h>

#include "engine/ipam/allocator.h"
#include "tests/unit/ipam/test_builders.h"

namespace vipcast::ipam {
namespace {

using namespace testing;  // NOLINT: test builders

config::ClusterConfig OnePool() {
  return Config({PoolBuilder("first-pool", {"192.168.1.240-192.168.1.250"})});
}

TEST(AllocatorRequestTest, FirstServiceGetsLowestAddressAndPoolName) {
  Allocator a;
  a.SetConfig(OnePool());
  auto changes = a.Upsert(Svc("default/web"));
  EXPECT_EQ(IpsFor(a, "default/web"), "192.168.1.240");
  EXPECT_EQ(PoolFor(a, "default/web"), "first-pool");
  EXPECT_EQ(Log(changes),
            std::vector<std::string>{"assigned default/web 192.168.1.240 pool=first-pool"});
}

TEST(AllocatorRequestTest, NextServiceGetsNextAddress) {
  Allocator a;
  a.SetConfig(OnePool());
  a.Upsert(Svc("default/a"));
  a.Upsert(Svc("default/b"));
  EXPECT_EQ(IpsFor(a, "default/b"), "192.168.1.241");
}

TEST(AllocatorRequestTest, OnlyLoadBalancerServicesAreHandled) {
  Allocator a;
  a.SetConfig(OnePool());
  EXPECT_TRUE(a.Upsert(Svc("default/web").Type(config::ServiceType::kClusterIP)).empty());
  EXPECT_FALSE(a.Find("default/web").has_value());
}

TEST(AllocatorRequestTest, ServiceThatStopsBeingLoadBalancerIsReleased) {
  Allocator a;
  a.SetConfig(OnePool());
  a.Upsert(Svc("default/web"));
  auto changes = a.Upsert(Svc("default/web").Type(config::ServiceType::kNodePort));
  EXPECT_EQ(Log(changes),
            std::vector<std::string>{"released default/web 192.168.1.240 pool=first-pool"});
  EXPECT_TRUE(a.Assignments().empty());
}

TEST(AllocatorRequestTest, WithoutClassOptionServicesWithAnyClassAreIgnored) {
  Allocator a;
  a.SetConfig(OnePool());
  a.Upsert(Svc("default/other").Class("example.com/lb"));
  a.Upsert(Svc("default/mine"));
  EXPECT_FALSE(a.Find("default/other").has_value());
  EXPECT_EQ(IpsFor(a, "default/mine"), "192.168.1.240");
}

TEST(AllocatorRequestTest, WithClassOptionOnlyThatClassIsHandled) {
  Allocator a(AllocatorOptions{"vipcast.io/lb"});
  a.SetConfig(OnePool());
  a.Upsert(Svc("default/plain"));
  a.Upsert(Svc("default/other").Class("example.com/lb"));
  a.Upsert(Svc("default/mine").Class("vipcast.io/lb"));
  EXPECT_FALSE(a.Find("default/plain").has_value());
  EXPECT_FALSE(a.Find("default/other").has_value());
  EXPECT_EQ(IpsFor(a, "default/mine"), "192.168.1.240");
}

TEST(AllocatorRequestTest, RequestedIpByAnnotation) {
  Allocator a;
  a.SetConfig(OnePool());
  a.Upsert(Svc("default/web").RequestIps("192.168.1.245"));
  EXPECT_EQ(IpsFor(a, "default/web"), "192.168.1.245");
}

TEST(AllocatorRequestTest, RequestedIpBySpecField) {
  Allocator a;
  a.SetConfig(OnePool());
  a.Upsert(Svc("default/web").SpecIp("192.168.1.246"));
  EXPECT_EQ(IpsFor(a, "default/web"), "192.168.1.246");
}

TEST(AllocatorRequestTest, AnnotationAndSpecFieldTogetherArePending) {
  Allocator a;
  a.SetConfig(OnePool());
  a.Upsert(Svc("default/web").RequestIps("192.168.1.245").SpecIp("192.168.1.246"));
  EXPECT_EQ(IpsFor(a, "default/web"), "");
  EXPECT_EQ(ReasonFor(a, "default/web"),
            "service sets both metallb.io/loadBalancerIPs and spec.loadBalancerIP; use only one");
}

TEST(AllocatorRequestTest, RequestedIpOutsideAnyPoolIsPending) {
  Allocator a;
  a.SetConfig(OnePool());
  auto changes = a.Upsert(Svc("default/web").RequestIps("10.0.0.1"));
  EXPECT_EQ(ReasonFor(a, "default/web"), "requested IP 10.0.0.1 is not in any IPAddressPool");
  EXPECT_EQ(Log(changes),
            std::vector<std::string>{
                "pending default/web: requested IP 10.0.0.1 is not in any IPAddressPool"});
}

TEST(AllocatorRequestTest, RequestedIpHeldByIncompatibleServiceIsPending) {
  Allocator a;
  a.SetConfig(OnePool());
  a.Upsert(Svc("default/first"));
  a.Upsert(Svc("default/second").RequestIps("192.168.1.240"));
  EXPECT_EQ(IpsFor(a, "default/first"), "192.168.1.240");  // never evicted
  EXPECT_EQ(ReasonFor(a, "default/second"),
            "IP 192.168.1.240 is already used by default/first and this service does not set "
            "metallb.io/allow-shared-ip");
}

TEST(AllocatorRequestTest, RequestedIpFromPoolWithoutAutoAssign) {
  Allocator a;
  a.SetConfig(Config({PoolBuilder("reserved", {"10.0.0.0/30"}).AutoAssign(false)}));
  a.Upsert(Svc("default/web").RequestIps("10.0.0.2"));
  EXPECT_EQ(IpsFor(a, "default/web"), "10.0.0.2");
  EXPECT_EQ(PoolFor(a, "default/web"), "reserved");
}

TEST(AllocatorRequestTest, RequestedIpInPoolReservedForAnotherNamespaceIsPending) {
  Allocator a;
  a.SetConfig(Config({PoolBuilder("team-a", {"10.0.0.0/30"}).Namespaces({"team-a"})}));
  a.Upsert(Svc("team-b/web").RequestIps("10.0.0.1"));
  EXPECT_EQ(ReasonFor(a, "team-b/web"),
            "pool \"team-a\" does not allow this service (its serviceAllocation restricts "
            "namespaces or service labels)");
}

TEST(AllocatorRequestTest, RequestedIpMustBeInRequestedPool) {
  Allocator a;
  a.SetConfig(Config({PoolBuilder("a", {"10.0.0.0/30"}), PoolBuilder("b", {"10.0.1.0/30"})}));
  a.Upsert(Svc("default/web").RequestIps("10.0.0.1").FromPool("b"));
  EXPECT_EQ(ReasonFor(a, "default/web"),
            "requested IP(s) 10.0.0.1 are in pool \"a\", not in the requested pool \"b\"");
}

TEST(AllocatorRequestTest, RequestedIpOfWrongFamilyIsPending) {
  Allocator a;
  a.SetConfig(Config({PoolBuilder("dual", {"10.0.0.0/30", "2001:db8::/126"})}));
  a.Upsert(Svc("default/web").RequestIps("2001:db8::1"));
  EXPECT_EQ(ReasonFor(a, "default/web"),
            "requested IP(s) 2001:db8::1: the service's IP families are IPv4 only");
}

TEST(AllocatorRequestTest, RequestedIpsOneOfEachFamilyForDualStack) {
  Allocator a;
  a.SetConfig(Config({PoolBuilder("dual", {"10.0.0.0/30", "2001:db8::/126"})}));
  a.Upsert(Svc("default/web")
               .Policy(config::IpFamilyPolicy::kRequireDualStack)
               .RequestIps("2001:db8::2,10.0.0.3"));
  EXPECT_EQ(IpsFor(a, "default/web"), "10.0.0.3,2001:db8::2");
}

TEST(AllocatorRequestTest, RequestedIpsMustShareOnePool) {
  Allocator a;
  a.SetConfig(Config({PoolBuilder("v4", {"10.0.0.0/30"}), PoolBuilder("v6", {"2001:db8::/126"})}));
  a.Upsert(Svc("default/web")
               .Policy(config::IpFamilyPolicy::kRequireDualStack)
               .RequestIps("10.0.0.1,2001:db8::1"));
  EXPECT_EQ(ReasonFor(a, "default/web"),
            "requested IPs 10.0.0.1, 2001:db8::1 are in different pools (\"v4\", \"v6\"); a "
            "service's addresses must come from one pool");
}

TEST(AllocatorRequestTest, BatchGivesRequestedIpsBeforeAutoAssign) {
  // "a/auto" sorts first, but must not take the lowest address that
  // "b/wants" asked for.
  Allocator a;
  a.SetConfig(OnePool());
  a.ReplaceServices({Svc("a/auto"), Svc("b/wants").RequestIps("192.168.1.240")});
  EXPECT_EQ(IpsFor(a, "b/wants"), "192.168.1.240");
  EXPECT_EQ(IpsFor(a, "a/auto"), "192.168.1.241");
}

TEST(AllocatorRequestTest, ChangedRequestMovesTheService) {
  Allocator a;
  a.SetConfig(OnePool());
  a.Upsert(Svc("default/web"));
  auto changes = a.Upsert(Svc("default/web").RequestIps("192.168.1.249"));
  EXPECT_EQ(Log(changes), std::vector<std::string>{
                              "moved default/web 192.168.1.240 -> 192.168.1.249 pool=first-pool"});
}

TEST(AllocatorRequestTest, MalformedRequestKeepsHeldAddress) {
  // MetalLB only warns when the request of a service that has an IP turns
  // invalid; taking the address away over a typo would cut traffic.
  Allocator a;
  a.SetConfig(OnePool());
  a.Upsert(Svc("default/web"));
  EXPECT_TRUE(a.Upsert(Svc("default/web").RequestIps("192.168.1.x")).empty());
  EXPECT_EQ(IpsFor(a, "default/web"), "192.168.1.240");
}

TEST(AllocatorRequestTest, AddressPoolAnnotationPicksThatPool) {
  Allocator a;
  a.SetConfig(Config({PoolBuilder("a", {"10.0.0.0/30"}), PoolBuilder("b", {"10.0.1.0/30"})}));
  a.Upsert(Svc("default/web").FromPool("b"));
  EXPECT_EQ(IpsFor(a, "default/web"), "10.0.1.0");
  EXPECT_EQ(PoolFor(a, "default/web"), "b");
}

TEST(AllocatorRequestTest, AddressPoolAnnotationWorksWithoutAutoAssign) {
  Allocator a;
  a.SetConfig(Config({PoolBuilder("a", {"10.0.0.0/30"}),
                      PoolBuilder("manual", {"10.0.1.0/30"}).AutoAssign(false)}));
  a.Upsert(Svc("default/web").FromPool("manual"));
  EXPECT_EQ(IpsFor(a, "default/web"), "10.0.1.0");
}

TEST(AllocatorRequestTest, UnknownRequestedPoolIsPending) {
  Allocator a;
  a.SetConfig(OnePool());
  a.Upsert(Svc("default/web").FromPool("nope"));
  EXPECT_EQ(ReasonFor(a, "default/web"),
            "requested pool \"nope\" (metallb.io/address-pool) does not exist");
}

TEST(AllocatorRequestTest, ExhaustedRequestedPoolDoesNotFallBack) {
  Allocator a;
  a.SetConfig(
      Config({PoolBuilder("first-pool", {"10.0.0.1/32"}), PoolBuilder("z", {"10.0.1.0/30"})}));
  a.Upsert(Svc("default/a").FromPool("first-pool"));
  a.Upsert(Svc("default/b").FromPool("first-pool"));
  EXPECT_EQ(ReasonFor(a, "default/b"), "no available IPs in pool \"first-pool\" for IPv4");
}

TEST(AllocatorRequestTest, NoPoolsConfigured) {
  Allocator a;
  a.Upsert(Svc("default/web"));
  EXPECT_EQ(ReasonFor(a, "default/web"),
            "no pool can serve the service: no IPAddressPool is configured");
}

}  // namespace
}  // namespace vipcast::ipam
