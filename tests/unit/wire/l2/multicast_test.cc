#include "engine/wire/l2/multicast.h"

#include <gtest/gtest.h>

namespace vipcast::wire {
namespace {

core::Ipv6Addr V6(std::string_view text) { return core::Ipv6Addr::Parse(text).value(); }

TEST(SolicitedNode, Rfc4291Example) {
  // RFC 4291 2.7.1: "the solicited-node multicast address corresponding to
  // the IPv6 address 4037::01:800:200E:8C6C is FF02::1:FF0E:8C6C".
  EXPECT_EQ(SolicitedNodeAddress(V6("4037::01:800:200E:8C6C")), V6("ff02::1:ff0e:8c6c"));
  EXPECT_EQ(SolicitedNodeAddress(V6("2001:db8::2")).ToString(), "ff02::1:ff00:2");
}

TEST(SolicitedNode, RecognisesOnlyTheGroupPrefix) {
  EXPECT_TRUE(IsSolicitedNodeAddress(V6("ff02::1:ff0e:8c6c")));
  EXPECT_TRUE(IsSolicitedNodeAddress(V6("ff02::1:ff00:0")));
  EXPECT_FALSE(IsSolicitedNodeAddress(V6("ff02::1")));
  EXPECT_FALSE(IsSolicitedNodeAddress(V6("ff02::1:fe0e:8c6c")));
  EXPECT_FALSE(IsSolicitedNodeAddress(V6("ff05::1:ff0e:8c6c")));
  EXPECT_FALSE(IsSolicitedNodeAddress(V6("2001:db8::1:ff0e:8c6c")));
}

TEST(MulticastMac, Rfc2464Mapping) {
  // RFC 2464 7: 33:33 followed by the last four bytes of the group.
  EXPECT_EQ(MulticastMac(V6("ff02::1:ff0e:8c6c")).ToString(), "33:33:ff:0e:8c:6c");
  EXPECT_EQ(MulticastMac(kAllNodes).ToString(), "33:33:00:00:00:01");
  EXPECT_EQ(kAllNodes.ToString(), "ff02::1");
  EXPECT_TRUE(MulticastMac(kAllNodes).IsMulticast());
}

}  // namespace
}  // namespace vipcast::wire
