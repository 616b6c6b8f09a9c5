// Neighbor Discovery answering rules (RFC 4861 7.2.3, 7.2.4) and the
// solicited-node group memberships they depend on (RFC 4861 7.2.1).
#include <gtest/gtest.h>

#include "tests/unit/l2/responder_fixture.h"

namespace vipcast::l2 {
namespace {

using testing::All;
using testing::Mac;
using testing::MustParse;
using testing::ResponderTest;
using testing::V6;
using wire::testing::Hex;

const wire::NeighborAdvertisement& Na(const wire::L2Frame& f) {
  return std::get<wire::NeighborAdvertisement>(std::get<wire::NdpPacket>(f.payload).message);
}

TEST_F(ResponderTest, AnswersLinuxSolicitationExactlyAsLinuxDoes) {
  OwnQuietly(kVip6);
  const auto frames = All<core::SendFrame>(Feed(Hex(wire::testing::kLinuxNeighborSolicitation)));
  ASSERT_EQ(frames.size(), 1u);
  // S=1, O=1, R=0, from the VIP to the solicitor, TLLA = our MAC: the very
  // bytes Linux sent, checksum included.
  EXPECT_EQ(core::ToHex(frames[0].frame),
            core::ToHex(Hex(wire::testing::kLinuxNeighborAdvertisement)));
  const VipCounters c = responder_.CountersFor(kVip6);
  EXPECT_EQ(c.requests_received, 1u);
  EXPECT_EQ(c.responses_sent, 1u);
}

TEST_F(ResponderTest, AnswersDadProbeToAllNodesWithoutSolicitedFlag) {
  OwnQuietly(kVip6);
  const auto frames = All<core::SendFrame>(
      Feed(Solicitation(kVip6.v6(), core::Ipv6Addr(), std::nullopt, std::nullopt, std::nullopt)));
  ASSERT_EQ(frames.size(), 1u);
  const auto f = MustParse(frames[0].frame);
  EXPECT_EQ(f.ethernet.dst.ToString(), "33:33:00:00:00:01");
  EXPECT_EQ(std::get<wire::NdpPacket>(f.payload).ip.dst.ToString(), "ff02::1");
  EXPECT_FALSE(Na(f).solicited_flag);  // RFC 4861 7.2.4
  EXPECT_TRUE(Na(f).override_flag);
  EXPECT_EQ(Na(f).target_lla, kMac0);
}

TEST_F(ResponderTest, AnswersUnicastNudWithoutSourceLinkLayerToEthernetSource) {
  OwnQuietly(kVip6);
  const auto frames = All<core::SendFrame>(
      Feed(Solicitation(kVip6.v6(), V6("fe80::1"), kVip6.v6(), kMac0, std::nullopt)));
  ASSERT_EQ(frames.size(), 1u);
  const auto f = MustParse(frames[0].frame);
  EXPECT_EQ(f.ethernet.dst, kClient);
  EXPECT_EQ(std::get<wire::NdpPacket>(f.payload).ip.dst.ToString(), "fe80::1");
  EXPECT_TRUE(Na(f).solicited_flag);
  EXPECT_TRUE(Na(f).override_flag);
  EXPECT_FALSE(Na(f).router_flag);
}

TEST_F(ResponderTest, SolicitationMustBeAddressedToTheTargetOrItsGroup) {
  OwnQuietly(kVip6);
  // To all-nodes instead of the solicited-node group.
  EXPECT_TRUE(Feed(Solicitation(kVip6.v6(), V6("2001:db8::1"), wire::kAllNodes)).empty());
  EXPECT_EQ(Dropped(DropReason::kIpDestination), 1u);
  // Right group, Ethernet destination of another group.
  EXPECT_TRUE(
      Feed(Solicitation(kVip6.v6(), V6("2001:db8::1"), std::nullopt, Mac("33:33:ff:00:00:09")))
          .empty());
  EXPECT_EQ(Dropped(DropReason::kEthernetDestination), 1u);
  // Unicast to the target but at another station's MAC.
  EXPECT_TRUE(Feed(Solicitation(kVip6.v6(), V6("2001:db8::1"), kVip6.v6(), kMac1)).empty());
  EXPECT_EQ(Dropped(DropReason::kEthernetDestination), 2u);
}

TEST_F(ResponderTest, AnswersOnlyOwnedIpv6VipsOnTheirInterfaces) {
  OwnQuietly(kVip6, {"eth1"});
  EXPECT_TRUE(Feed(Solicitation(V6("2001:db8::99"))).empty());
  EXPECT_EQ(Dropped(DropReason::kNotOwned), 1u);
  EXPECT_TRUE(Feed(Solicitation(kVip6.v6()), "eth0").empty());
  EXPECT_EQ(Dropped(DropReason::kNotOnInterface), 1u);
}

TEST_F(ResponderTest, IgnoresAdvertisementsAndFlagsConflictingOnes) {
  OwnQuietly(kVip6);
  // Linux's NA for 2001:db8::2 at 02:00:00:00:00:0b, i.e. our own MAC:
  // arriving from another port it is not a conflict, just not a request.
  core::Bytes na = Hex(wire::testing::kLinuxNeighborAdvertisement);
  na[6 + 5] = 0x0d;  // Ethernet source: some switch port, not us
  EXPECT_TRUE(Feed(na).empty());
  EXPECT_EQ(Dropped(DropReason::kNotRequest), 1u);
  // The same NA advertising another MAC for our VIP is a conflict.
  core::Bytes conflict = Hex(wire::testing::kLinuxNeighborAdvertisement);
  conflict[6 + 5] = 0x0d;
  conflict[conflict.size() - 1] = 0x0d;  // TLLA 02:00:00:00:00:0d
  wire::testing::FixIcmpv6Checksum(conflict);
  const auto actions = Feed(conflict);
  EXPECT_EQ(All<core::Log>(actions).size(), 1u);
  EXPECT_EQ(responder_.CountersFor(kVip6).conflicts_seen, 1u);
}

TEST_F(ResponderTest, JoinsSolicitedNodeGroupOncePerInterfaceAndLeavesAfterLastVip) {
  // 2001:db8::2 and 2001:db8:1::2 share ff02::1:ff00:2.
  responder_.Own(kT0, kVip6, {"eth0"}, "a/a", out_);
  auto joins = All<core::JoinMulticast>(out_.Drain());
  ASSERT_EQ(joins.size(), 1u);
  EXPECT_EQ(joins[0].interface, "eth0");
  EXPECT_EQ(joins[0].group, core::IpAddr(V6("ff02::1:ff00:2")));

  responder_.Own(kT0, V6("2001:db8:1::2"), {"eth0"}, "b/b", out_);
  EXPECT_TRUE(All<core::JoinMulticast>(out_.Drain()).empty());

  responder_.Disown(kT0, kVip6, out_);
  EXPECT_TRUE(All<core::LeaveMulticast>(out_.Drain()).empty());
  responder_.Disown(kT0, V6("2001:db8:1::2"), out_);
  auto leaves = All<core::LeaveMulticast>(out_.Drain());
  ASSERT_EQ(leaves.size(), 1u);
  EXPECT_EQ(leaves[0].interface, "eth0");
  EXPECT_EQ(leaves[0].group, core::IpAddr(V6("ff02::1:ff00:2")));
}

TEST_F(ResponderTest, GroupMembershipFollowsInterfaceState) {
  OwnQuietly(kVip6, {});
  responder_.SetInterfaces(kT0, Interfaces(/*eth0_up=*/false), out_);
  auto leaves = All<core::LeaveMulticast>(out_.Drain());
  ASSERT_EQ(leaves.size(), 1u);
  EXPECT_EQ(leaves[0].interface, "eth0");
  responder_.SetInterfaces(kT0, Interfaces(), out_);
  auto joins = All<core::JoinMulticast>(out_.Drain());
  ASSERT_EQ(joins.size(), 1u);
  EXPECT_EQ(joins[0].interface, "eth0");
}

TEST_F(ResponderTest, Ipv4VipsJoinNoGroups) {
  responder_.Own(kT0, kVip4, {}, "a/a", out_);
  EXPECT_TRUE(All<core::JoinMulticast>(out_.Drain()).empty());
}

}  // namespace
}  // namespace vipcast::l2
