// ARP answering rules (RFC 826, RFC 5227, MetalLB's arp.go).
#include <gtest/gtest.h>

#include "tests/unit/l2/responder_fixture.h"

namespace vipcast::l2 {
namespace {

using testing::All;
using testing::Mac;
using testing::MustParse;
using testing::ResponderTest;
using testing::V4;
using wire::testing::Hex;

TEST_F(ResponderTest, AnswersLinuxRequestExactlyAsLinuxDoes) {
  OwnQuietly(kVip4);
  const auto actions = Feed(Hex(wire::testing::kLinuxArpRequest));
  const auto frames = All<core::SendFrame>(actions);
  ASSERT_EQ(frames.size(), 1u);
  EXPECT_EQ(frames[0].interface, "eth0");
  // The Linux reply from the capture, plus the padding to 60 bytes that
  // the veth capture lacks.
  core::Bytes expected = Hex(wire::testing::kLinuxArpReply);
  expected.resize(60, 0);
  EXPECT_EQ(core::ToHex(frames[0].frame), core::ToHex(expected));
}

TEST_F(ResponderTest, AnswersBroadcastAndUnicastToOurMacOnly) {
  OwnQuietly(kVip4);
  EXPECT_EQ(All<core::SendFrame>(Feed(ArpRequest(kVip4.v4(), kMac0))).size(), 1u);
  // Unicast to another station (a switch flooding an unknown unicast).
  EXPECT_TRUE(All<core::SendFrame>(Feed(ArpRequest(kVip4.v4(), kMac1))).empty());
  EXPECT_EQ(Dropped(DropReason::kEthernetDestination), 1u);
  // Multicast that is not broadcast is not "broadcast or to us" either.
  EXPECT_TRUE(All<core::SendFrame>(Feed(ArpRequest(kVip4.v4(), Mac("01:00:5e:00:00:01")))).empty());
  EXPECT_EQ(Dropped(DropReason::kEthernetDestination), 2u);
}

TEST_F(ResponderTest, AnswersOnlyOwnedVips) {
  OwnQuietly(kVip4);
  EXPECT_TRUE(Feed(ArpRequest(V4("192.0.2.3"))).empty());
  EXPECT_EQ(Dropped(DropReason::kNotOwned), 1u);
  EXPECT_EQ(responder_.CountersFor(V4("192.0.2.3")), VipCounters{});
}

TEST_F(ResponderTest, AnswersOnlyOnTheVipsInterfaces) {
  OwnQuietly(kVip4, {"eth1"});
  EXPECT_TRUE(Feed(ArpRequest(kVip4.v4()), "eth0").empty());
  EXPECT_EQ(Dropped(DropReason::kNotOnInterface), 1u);
  const auto frames = All<core::SendFrame>(Feed(ArpRequest(kVip4.v4()), "eth1"));
  ASSERT_EQ(frames.size(), 1u);
  EXPECT_EQ(frames[0].interface, "eth1");
  EXPECT_EQ(MustParse(frames[0].frame).ethernet.src, kMac1);
}

TEST_F(ResponderTest, EmptyInterfaceSetMeansEveryInterface) {
  OwnQuietly(kVip4, {});
  EXPECT_EQ(All<core::SendFrame>(Feed(ArpRequest(kVip4.v4()), "eth0")).size(), 1u);
  EXPECT_EQ(All<core::SendFrame>(Feed(ArpRequest(kVip4.v4()), "eth1")).size(), 1u);
}

TEST_F(ResponderTest, IgnoresArpReplies) {
  OwnQuietly(kVip4);
  auto reply = ArpRequest(kVip4.v4(), core::MacAddr::Broadcast(), V4("192.0.2.1"), std::nullopt,
                          wire::ArpOperation::kReply);
  EXPECT_TRUE(Feed(reply).empty());
  EXPECT_EQ(Dropped(DropReason::kNotRequest), 1u);
}

TEST_F(ResponderTest, AnswersRfc5227ProbeToTheProbersMac) {
  OwnQuietly(kVip4);
  const core::MacAddr prober = Mac("02:00:00:00:00:99");
  const auto frames = All<core::SendFrame>(
      Feed(ArpRequest(kVip4.v4(), core::MacAddr::Broadcast(), core::Ipv4Addr(), prober)));
  ASSERT_EQ(frames.size(), 1u);
  const auto reply = MustParse(frames[0].frame);
  EXPECT_EQ(reply.ethernet.dst, prober);
  const auto& arp = std::get<wire::ArpPacket>(reply.payload);
  EXPECT_EQ(arp.operation, wire::ArpOperation::kReply);
  EXPECT_EQ(arp.sender_mac, kMac0);
  EXPECT_EQ(arp.sender_ip, kVip4.v4());
  EXPECT_EQ(arp.target_mac, prober);
  EXPECT_EQ(arp.target_ip, core::Ipv4Addr());
}

TEST_F(ResponderTest, ReplyKeepsTheRequestsVlanTag) {
  OwnQuietly(kVip4);
  auto request = MustParse(ArpRequest(kVip4.v4()));
  request.ethernet.vlan_tci = 0x2064;
  const auto frames = All<core::SendFrame>(Feed(wire::EncodeFrame(request)));
  ASSERT_EQ(frames.size(), 1u);
  EXPECT_EQ(MustParse(frames[0].frame).ethernet.vlan_tci, 0x2064);
}

TEST_F(ResponderTest, RefusesToReplyToMulticastSender) {
  OwnQuietly(kVip4);
  EXPECT_TRUE(Feed(ArpRequest(kVip4.v4(), core::MacAddr::Broadcast(), V4("192.0.2.1"),
                              Mac("01:00:5e:00:00:01")))
                  .empty());
  EXPECT_EQ(Dropped(DropReason::kInvalidSender), 1u);
}

TEST_F(ResponderTest, AnotherStationClaimingOurVipIsAConflictNotARequest) {
  OwnQuietly(kVip4);
  const core::MacAddr other = Mac("02:00:00:00:00:77");
  // Its gratuitous ARP request: sender IP = target IP = our VIP.
  const auto actions = Feed(ArpRequest(kVip4.v4(), core::MacAddr::Broadcast(), kVip4.v4(), other));
  EXPECT_TRUE(All<core::SendFrame>(actions).empty());
  const auto logs = All<core::Log>(actions);
  ASSERT_EQ(logs.size(), 1u);
  EXPECT_EQ(logs[0].level, core::LogLevel::kWarning);
  EXPECT_EQ(responder_.CountersFor(kVip4).conflicts_seen, 1u);
  EXPECT_EQ(responder_.CountersFor(kVip4).requests_received, 0u);
  EXPECT_EQ(Dropped(DropReason::kConflict), 1u);
}

TEST_F(ResponderTest, IgnoresItsOwnLoopedBackAnnouncements) {
  responder_.Own(kT0, kVip4, {"eth0"}, "default/web", out_);
  const auto sent = All<core::SendFrame>(out_.Drain());
  ASSERT_EQ(sent.size(), 2u);
  for (const auto& f : sent) EXPECT_TRUE(Feed(f.frame).empty());
  EXPECT_EQ(Dropped(DropReason::kOwnFrame), 2u);
  EXPECT_EQ(responder_.CountersFor(kVip4).conflicts_seen, 0u);
}

TEST_F(ResponderTest, CountsRequestsAndResponsesWithMetallbMetrics) {
  OwnQuietly(kVip4);
  for (int64_t ms = 0; ms <= 10000; ms += 100) {  // the whole announcement burst
    AdvanceTo(kT0 + core::Duration::Milliseconds(ms));
  }
  EXPECT_EQ(responder_.CountersFor(kVip4).gratuitous_sent, 10u);
  const core::TimePoint t = kT0 + core::Duration::Seconds(20);
  now_ = t;
  auto metrics = All<core::MetricChanged>(Feed(ArpRequest(kVip4.v4())));
  ASSERT_EQ(metrics.size(), 2u);
  EXPECT_EQ(metrics[0].name, "metallb_layer2_requests_received");
  EXPECT_EQ(metrics[0].labels, (core::Labels{{"ip", "192.0.2.2"}}));
  EXPECT_EQ(metrics[0].value, 1);
  EXPECT_EQ(metrics[1].name, "metallb_layer2_responses_sent");
  EXPECT_EQ(metrics[1].value, 1);

  // Within a second of that report, further changes are folded into one
  // report when the second is up, carrying the latest values.
  now_ = t + core::Duration::Milliseconds(500);
  EXPECT_TRUE(All<core::MetricChanged>(Feed(ArpRequest(kVip4.v4()))).empty());
  EXPECT_TRUE(All<core::MetricChanged>(Feed(ArpRequest(kVip4.v4()))).empty());
  EXPECT_EQ(responder_.NextDeadline(), t + core::Duration::Seconds(1));
  metrics = All<core::MetricChanged>(AdvanceTo(t + core::Duration::Seconds(1)));
  ASSERT_EQ(metrics.size(), 2u);
  EXPECT_EQ(metrics[0].value, 3);
  EXPECT_EQ(metrics[1].value, 3);
  EXPECT_EQ(responder_.NextDeadline(), core::TimePoint::Never());

  const VipCounters c = responder_.CountersFor(kVip4);
  EXPECT_EQ(c.requests_received, 3u);
  EXPECT_EQ(c.responses_sent, 3u);
  // Unanswered requests do not count, as in MetalLB.
  Feed(ArpRequest(kVip4.v4(), kMac1));
  EXPECT_EQ(responder_.CountersFor(kVip4).requests_received, 3u);
}

class UnthrottledResponderTest : public ResponderTest {
 protected:
  UnthrottledResponderTest()
      : ResponderTest(ResponderOptions{AnnounceSchedule::Default(), core::Duration::Zero()}) {}
};

TEST_F(UnthrottledResponderTest, ZeroIntervalReportsEveryChange) {
  OwnQuietly(kVip4);
  for (int i = 1; i <= 3; ++i) {
    const auto metrics = All<core::MetricChanged>(Feed(ArpRequest(kVip4.v4())));
    ASSERT_EQ(metrics.size(), 2u);
    EXPECT_EQ(metrics[0].value, i);
    EXPECT_EQ(metrics[1].value, i);
  }
  EXPECT_EQ(responder_.NextDeadline(), kT0 + core::Duration::Milliseconds(1100));
}

TEST_F(ResponderTest, FramesOnUnknownOrDownInterfacesAreDropped) {
  OwnQuietly(kVip4, {});
  EXPECT_TRUE(Feed(ArpRequest(kVip4.v4()), "eth9").empty());
  EXPECT_EQ(Dropped(DropReason::kUnknownInterface), 1u);
  responder_.SetInterfaces(kT0, Interfaces(/*eth0_up=*/false), out_);
  out_.Drain();
  EXPECT_TRUE(Feed(ArpRequest(kVip4.v4()), "eth0").empty());
  EXPECT_EQ(Dropped(DropReason::kInterfaceDown), 1u);
}

TEST_F(ResponderTest, MalformedFramesAreCountedByReasonWithAMetric) {
  OwnQuietly(kVip4);
  core::Bytes bad = ArpRequest(kVip4.v4());
  bad[15] = 0x06;  // ar$hrd = 6
  const auto actions = Feed(bad);
  EXPECT_TRUE(All<core::SendFrame>(actions).empty());
  const auto metrics = All<core::MetricChanged>(actions);
  ASSERT_EQ(metrics.size(), 1u);
  EXPECT_EQ(metrics[0].name, "vipcast_layer2_malformed_frames");
  EXPECT_EQ(metrics[0].labels, (core::Labels{{"reason", "arp_hardware_type"}}));
  EXPECT_EQ(responder_.malformed().at(wire::L2Error::kArpHardwareType), 1u);
  Feed(core::Bytes(5, 0));
  EXPECT_EQ(responder_.malformed().at(wire::L2Error::kTruncatedEthernet), 1u);
  // Traffic that is simply not ARP/NDP is not malformed.
  core::Bytes ipv4 = ArpRequest(kVip4.v4());
  ipv4[12] = 0x08;
  ipv4[13] = 0x00;
  EXPECT_TRUE(Feed(ipv4).empty());
  EXPECT_EQ(Dropped(DropReason::kNotAddressResolution), 1u);
  EXPECT_EQ(responder_.malformed().size(), 2u);
}

TEST_F(ResponderTest, RepeatedInterfaceNamesKeepTheFirstEntry) {
  OwnQuietly(kVip4);
  responder_.SetInterfaces(kT0, {{"eth0", kMac0, {}, true}, {"eth0", kMac1, {}, false}}, out_);
  EXPECT_TRUE(out_.Drain().empty());  // nothing changed for eth0
  const auto frames = All<core::SendFrame>(Feed(ArpRequest(kVip4.v4())));
  ASSERT_EQ(frames.size(), 1u);
  EXPECT_EQ(MustParse(frames[0].frame).ethernet.src, kMac0);
}

TEST_F(ResponderTest, HandleDispatchesFramesAndInterfaceChanges) {
  responder_.Handle(kT0, core::InterfacesChanged{{{"eth7", kMac1, {}, true}}}, out_);
  responder_.Own(kT0, kVip4, {}, "default/web", out_);
  out_.Drain();
  EXPECT_TRUE(responder_.Answers(kVip4, "eth7"));
  EXPECT_FALSE(responder_.Answers(kVip4, "eth0"));          // gone with the new interface list
  responder_.Handle(kT0, core::ShutdownRequested{}, out_);  // not ours: ignored
  EXPECT_TRUE(out_.empty());
}

}  // namespace
}  // namespace vipcast::l2
