#include "engine/ipam/service_request.h"

#include <gtest/gtest.h>

#include "tests/unit/ipam/test_builders.h"

namespace vipcast::ipam {
namespace {

using config::IpFamilyPolicy;
using core::IpFamily;
using testing::Ip;
using testing::Svc;

TEST(ServiceRequestTest, DefaultIsIpv4SingleStack) {
  auto r = DescribeRequest(Svc("default/web"));
  EXPECT_EQ(r.families, (std::vector{IpFamily::kV4}));
  EXPECT_EQ(r.mode, StackMode::kSingle);
}

TEST(ServiceRequestTest, IpFamiliesWinOverClusterIps) {
  auto r = DescribeRequest(Svc("default/web")
                               .Families({IpFamily::kV6, IpFamily::kV4})
                               .Policy(IpFamilyPolicy::kPreferDualStack)
                               .ClusterIps({"10.96.0.1"}));
  EXPECT_EQ(r.families, (std::vector{IpFamily::kV6, IpFamily::kV4}));
  EXPECT_EQ(r.mode, StackMode::kPreferDual);
}

TEST(ServiceRequestTest, ClusterIpsGiveFamiliesWhenIpFamiliesEmpty) {
  auto r = DescribeRequest(Svc("default/web")
                               .Policy(IpFamilyPolicy::kPreferDualStack)
                               .ClusterIps({"fd00::1", "10.96.0.1"}));
  EXPECT_EQ(r.families, (std::vector{IpFamily::kV6, IpFamily::kV4}));
}

TEST(ServiceRequestTest, PreferDualStackWithOneListedFamilyIsSingle) {
  auto r = DescribeRequest(
      Svc("default/web").Families({IpFamily::kV4}).Policy(IpFamilyPolicy::kPreferDualStack));
  EXPECT_EQ(r.families, (std::vector{IpFamily::kV4}));
  EXPECT_EQ(r.mode, StackMode::kSingle);
}

TEST(ServiceRequestTest, RequireDualStackAddsTheOtherFamily) {
  auto r = DescribeRequest(
      Svc("default/web").Families({IpFamily::kV6}).Policy(IpFamilyPolicy::kRequireDualStack));
  EXPECT_EQ(r.families, (std::vector{IpFamily::kV6, IpFamily::kV4}));
  EXPECT_EQ(r.mode, StackMode::kRequireDual);
}

TEST(ServiceRequestTest, ParsesAnnotationWithSpacesAndOrdersPrimaryFirst) {
  auto r = DescribeRequest(Svc("default/web")
                               .Policy(IpFamilyPolicy::kRequireDualStack)
                               .RequestIps(" 2001:db8::5 , 192.168.1.5"));
  ASSERT_TRUE(r.error.empty()) << r.error;
  EXPECT_EQ(r.requested_ips, (std::vector{Ip("192.168.1.5"), Ip("2001:db8::5")}));
}

TEST(ServiceRequestTest, DeprecatedAnnotationIsHonoured) {
  auto r = DescribeRequest(
      Svc("default/web").Annotate("metallb.universe.tf/loadBalancerIPs", "192.168.1.5"));
  EXPECT_EQ(r.requested_ips, (std::vector{Ip("192.168.1.5")}));
}

TEST(ServiceRequestTest, MalformedRequestsAreErrors) {
  EXPECT_EQ(DescribeRequest(Svc("d/a").RequestIps("192.168.1.500")).error,
            "invalid metallb.io/loadBalancerIPs: \"192.168.1.500\"");
  EXPECT_EQ(DescribeRequest(Svc("d/a").SpecIp("nope")).error,
            "invalid spec.loadBalancerIP \"nope\"");
  EXPECT_NE(DescribeRequest(Svc("d/a").RequestIps("10.0.0.1,10.0.0.2"))
                .error.find("one IPv4 and one IPv6"),
            std::string::npos);
  EXPECT_NE(
      DescribeRequest(Svc("d/a").RequestIps("10.0.0.1,fd00::1,10.0.0.3")).error.find("at most two"),
      std::string::npos);
}

TEST(ServiceRequestTest, SharingIdentityUsesSelectorOnlyForLocalPolicy) {
  auto local = DescribeRequest(Svc("d/a").Share("k").Local({{"b", "2"}, {"a", "1"}}));
  EXPECT_EQ(local.sharing.sharing_key, "k");
  EXPECT_EQ(local.sharing.backend_key, "a=1,b=2");
  auto cluster = DescribeRequest(Svc("d/a").Share("k").Selector({{"a", "1"}}));
  EXPECT_EQ(cluster.sharing.backend_key, "");
}

TEST(ServiceRequestTest, ClassFiltering) {
  AllocatorOptions none;
  AllocatorOptions mine{"vipcast.io/lb"};
  EXPECT_TRUE(IsManaged(Svc("d/a"), none));
  EXPECT_FALSE(IsManaged(Svc("d/a").Class("other"), none));
  EXPECT_TRUE(IsManaged(Svc("d/a").Class("vipcast.io/lb"), mine));
  EXPECT_FALSE(IsManaged(Svc("d/a").Class("other"), mine));
  EXPECT_FALSE(IsManaged(Svc("d/a"), mine));
  EXPECT_FALSE(IsManaged(Svc("d/a").Type(config::ServiceType::kNodePort), none));
}

}  // namespace
}  // namespace vipcast::ipam
