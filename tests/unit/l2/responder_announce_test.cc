// Gratuitous announcements: what is sent, when, and that losing a VIP
// stops everything at once.
#include <gtest/gtest.h>

#include "tests/unit/l2/responder_fixture.h"

namespace vipcast::l2 {
namespace {

using testing::All;
using testing::Mac;
using testing::MustParse;
using testing::ResponderTest;
using testing::V4;
using testing::V6;

core::Duration Ms(int64_t ms) { return core::Duration::Milliseconds(ms); }

TEST_F(ResponderTest, GainSendsArpRequestAndReplyBothBroadcast) {
  responder_.Own(kT0, kVip4, {"eth0"}, "default/web", out_);
  const auto frames = All<core::SendFrame>(out_.Drain());
  ASSERT_EQ(frames.size(), 2u);
  const wire::ArpOperation ops[] = {wire::ArpOperation::kRequest, wire::ArpOperation::kReply};
  for (size_t i = 0; i < 2; ++i) {
    EXPECT_EQ(frames[i].interface, "eth0");
    EXPECT_EQ(frames[i].frame.size(), 60u);
    const auto f = MustParse(frames[i].frame);
    EXPECT_EQ(f.ethernet.dst, core::MacAddr::Broadcast());
    EXPECT_EQ(f.ethernet.src, kMac0);
    const auto& arp = std::get<wire::ArpPacket>(f.payload);
    EXPECT_EQ(arp.operation, ops[i]);
    EXPECT_EQ(arp.sender_mac, kMac0);
    EXPECT_EQ(arp.sender_ip, kVip4.v4());
    EXPECT_EQ(arp.target_ip, kVip4.v4());
  }
  EXPECT_EQ(responder_.CountersFor(kVip4).gratuitous_sent, 2u);
}

TEST_F(ResponderTest, GainOfIpv6VipSendsUnsolicitedAdvertisementToAllNodes) {
  responder_.Own(kT0, kVip6, {"eth0"}, "default/web", out_);
  const auto frames = All<core::SendFrame>(out_.Drain());
  ASSERT_EQ(frames.size(), 1u);
  const auto f = MustParse(frames[0].frame);
  EXPECT_EQ(f.ethernet.dst, Mac("33:33:00:00:00:01"));
  const auto& p = std::get<wire::NdpPacket>(f.payload);
  EXPECT_EQ(p.ip.dst, wire::kAllNodes);
  EXPECT_EQ(p.ip.src, kVip6.v6());
  const auto& na = std::get<wire::NeighborAdvertisement>(p.message);
  EXPECT_TRUE(na.override_flag);
  EXPECT_FALSE(na.solicited_flag);
  EXPECT_FALSE(na.router_flag);
  EXPECT_EQ(na.target, kVip6.v6());
  EXPECT_EQ(na.target_lla, kMac0);
  EXPECT_EQ(responder_.CountersFor(kVip6).gratuitous_sent, 1u);
}

TEST_F(ResponderTest, DefaultScheduleSendsAtZeroAndEvery1100MsFor5Seconds) {
  responder_.Own(kT0, kVip4, {"eth0"}, "default/web", out_);
  EXPECT_EQ(All<core::SendFrame>(out_.Drain()).size(), 2u);  // t = 0
  for (int64_t ms : {1100, 2200, 3300, 4400}) {
    ASSERT_EQ(responder_.NextDeadline(), kT0 + Ms(ms));
    EXPECT_TRUE(AdvanceTo(kT0 + Ms(ms) - core::Duration::Nanoseconds(1)).empty()) << ms;
    const auto actions = AdvanceTo(kT0 + Ms(ms));
    EXPECT_EQ(All<core::SendFrame>(actions).size(), 2u) << ms;
    const auto metrics = All<core::MetricChanged>(actions);
    ASSERT_EQ(metrics.size(), 1u);
    EXPECT_EQ(metrics[0].name, "metallb_layer2_gratuitous_sent");
  }
  EXPECT_EQ(responder_.NextDeadline(), core::TimePoint::Never());  // 5.5 s is past 5 s
  EXPECT_TRUE(AdvanceTo(kT0 + core::Duration::Seconds(60)).empty());
  EXPECT_EQ(responder_.CountersFor(kVip4).gratuitous_sent, 10u);
}

TEST_F(ResponderTest, LosingAVipStopsAnsweringAndCancelsAnnouncementsAtOnce) {
  responder_.Own(kT0, kVip4, {"eth0"}, "default/web", out_);
  out_.Drain();
  AdvanceTo(kT0 + Ms(1100));
  responder_.Disown(kT0 + Ms(1500), kVip4, out_);
  const auto withdrawn = All<core::VipWithdrawn>(out_.Drain());
  ASSERT_EQ(withdrawn.size(), 1u);
  EXPECT_EQ(withdrawn[0].vip, kVip4);
  EXPECT_EQ(withdrawn[0].service, "default/web");
  EXPECT_EQ(withdrawn[0].reason, "disowned");
  EXPECT_FALSE(responder_.Answers(kVip4, "eth0"));
  EXPECT_TRUE(Feed(ArpRequest(kVip4.v4())).empty());
  EXPECT_EQ(responder_.NextDeadline(), core::TimePoint::Never());
  EXPECT_TRUE(AdvanceTo(kT0 + Ms(2200)).empty());
  // Counters survive, as Prometheus counters do.
  EXPECT_EQ(responder_.CountersFor(kVip4).gratuitous_sent, 4u);
}

TEST_F(ResponderTest, GainEmitsVipAnnouncedPerInterface) {
  responder_.Own(kT0, kVip4, {}, "default/web", out_);
  const auto announced = All<core::VipAnnounced>(out_.Drain());
  ASSERT_EQ(announced.size(), 2u);
  EXPECT_EQ(announced[0].interface, "eth0");
  EXPECT_EQ(announced[1].interface, "eth1");
  EXPECT_EQ(announced[0].service, "default/web");
  EXPECT_EQ(announced[0].mode, core::AnnounceMode::kLayer2);
}

TEST_F(ResponderTest, OwningAgainIsIdempotentButNewInterfacesAreAnnounced) {
  OwnQuietly(kVip4, {"eth0"});
  responder_.Own(kT0 + Ms(10), kVip4, {"eth0"}, "default/web", out_);
  EXPECT_TRUE(out_.Drain().empty());
  responder_.Own(kT0 + Ms(20), kVip4, {"eth0", "eth1"}, "default/web", out_);
  const auto frames = All<core::SendFrame>(out_.Drain());
  ASSERT_EQ(frames.size(), 2u);
  EXPECT_EQ(frames[0].interface, "eth1");
  responder_.Own(kT0 + Ms(30), kVip4, {"eth1"}, "default/web", out_);
  const auto withdrawn = All<core::VipWithdrawn>(out_.Drain());
  ASSERT_EQ(withdrawn.size(), 1u);
  EXPECT_EQ(withdrawn[0].reason, "interface eth0 no longer selected");
}

TEST_F(ResponderTest, ReannounceStartsAFreshBurst) {
  OwnQuietly(kVip4);
  AdvanceTo(kT0 + core::Duration::Seconds(30));  // burst long over
  const core::TimePoint t = kT0 + core::Duration::Seconds(40);
  responder_.Reannounce(t, kVip4, out_);
  EXPECT_EQ(All<core::SendFrame>(out_.Drain()).size(), 2u);
  EXPECT_EQ(responder_.NextDeadline(), t + Ms(1100));
  // Not owned: nothing.
  responder_.Reannounce(t, V4("192.0.2.99"), out_);
  EXPECT_TRUE(out_.empty());
}

TEST_F(ResponderTest, InterfaceComingUpAnnouncesAndGoingDownWithdraws) {
  OwnQuietly(kVip4, {"eth0"});
  responder_.SetInterfaces(kT0 + Ms(100), Interfaces(/*eth0_up=*/false), out_);
  auto actions = out_.Drain();
  ASSERT_EQ(All<core::VipWithdrawn>(actions).size(), 1u);
  EXPECT_EQ(All<core::VipWithdrawn>(actions)[0].reason, "interface eth0 down");
  EXPECT_EQ(responder_.NextDeadline(), core::TimePoint::Never());
  responder_.SetInterfaces(kT0 + Ms(200), Interfaces(), out_);
  actions = out_.Drain();
  EXPECT_EQ(All<core::VipAnnounced>(actions).size(), 1u);
  EXPECT_EQ(All<core::SendFrame>(actions).size(), 2u);
  EXPECT_EQ(responder_.scheduler().NextDeadline(), kT0 + Ms(1300));
  responder_.SetInterfaces(kT0 + Ms(300), {{"eth1", kMac1, {}, true}}, out_);
  EXPECT_EQ(All<core::VipWithdrawn>(out_.Drain())[0].reason, "interface eth0 removed");
}

TEST_F(ResponderTest, MacChangeReannouncesWithTheNewMac) {
  OwnQuietly(kVip4, {"eth0"});
  const core::MacAddr fresh = Mac("02:00:00:00:00:ee");
  responder_.SetInterfaces(kT0 + Ms(50), {{"eth0", fresh, {}, true}, {"eth1", kMac1, {}, true}},
                           out_);
  const auto actions = out_.Drain();
  EXPECT_TRUE(All<core::VipAnnounced>(actions).empty());  // still the same pair
  const auto frames = All<core::SendFrame>(actions);
  ASSERT_EQ(frames.size(), 2u);
  EXPECT_EQ(std::get<wire::ArpPacket>(MustParse(frames[0].frame).payload).sender_mac, fresh);
  EXPECT_EQ(responder_.scheduler().NextDeadline(), kT0 + Ms(50 + 1100));
  // The folded gratuitous_sent report (changed again within 1 s) is due first.
  EXPECT_EQ(responder_.NextDeadline(), kT0 + Ms(1000));
}

TEST_F(ResponderTest, SameInputsGiveTheSameOutputsByteForByte) {
  auto run = [&](Responder& r) {
    core::Outbox out;
    std::string log;
    r.SetInterfaces(kT0, Interfaces(), out);
    for (int i = 0; i < 20; ++i) {
      r.Own(kT0 + Ms(i), V4("192.0.2." + std::to_string(10 + (i * 7) % 20)), {},
            "s/" + std::to_string(i), out);
      r.Own(kT0 + Ms(i), V6("2001:db8::" + std::to_string(100 + (i * 3) % 20)), {}, "s/x", out);
    }
    r.Disown(kT0 + Ms(500), V4("192.0.2.17"), out);
    for (int64_t ms = 0; ms < 8000; ms += 250) r.Advance(kT0 + Ms(ms), out);
    for (const auto& a : out.Drain()) {
      if (const auto* f = std::get_if<core::SendFrame>(&a))
        log += f->interface + core::ToHex(f->frame) + "\n";
      if (const auto* m = std::get_if<core::MetricChanged>(&a))
        log += m->name + m->labels[0].second + std::to_string(m->value) + "\n";
      if (const auto* j = std::get_if<core::JoinMulticast>(&a))
        log += "join " + j->group.ToString() + "\n";
    }
    return log;
  };
  Responder a;
  Responder b;
  const std::string first = run(a);
  EXPECT_FALSE(first.empty());
  EXPECT_EQ(first, run(b));
}

class RefreshingResponderTest : public ResponderTest {
 protected:
  static AnnounceSchedule WithRefresh() {
    AnnounceSchedule s = AnnounceSchedule::Default();
    s.refresh = core::Duration::Seconds(30);
    return s;
  }
  RefreshingResponderTest() : ResponderTest(WithRefresh()) {}
};

TEST_F(RefreshingResponderTest, RefreshesForeverAfterTheBurstWhileOwned) {
  OwnQuietly(kVip4);
  for (int64_t ms : {1100, 2200, 3300, 4400}) AdvanceTo(kT0 + Ms(ms));
  EXPECT_EQ(responder_.NextDeadline(), kT0 + Ms(4400 + 30000));
  EXPECT_EQ(All<core::SendFrame>(AdvanceTo(kT0 + Ms(34400))).size(), 2u);
  EXPECT_EQ(responder_.NextDeadline(), kT0 + Ms(64400));
  responder_.Disown(kT0 + Ms(40000), kVip4, out_);
  out_.Drain();
  EXPECT_EQ(responder_.NextDeadline(), core::TimePoint::Never());
}

class MetallbResponderTest : public ResponderTest {
 protected:
  MetallbResponderTest() : ResponderTest(AnnounceSchedule::MetalLb()) {}
};

TEST_F(MetallbResponderTest, AnnouncesAtOnceThenOnTheSharedTicker) {
  responder_.Own(kT0, kVip4, {"eth0"}, "a/a", out_);
  EXPECT_EQ(All<core::SendFrame>(out_.Drain()).size(), 2u);
  responder_.Own(kT0 + Ms(500), kVip6, {"eth0"}, "b/b", out_);
  EXPECT_EQ(All<core::SendFrame>(out_.Drain()).size(), 1u);  // at once
  // The second VIP rides the first one's ticker: 1.1, 2.2, ... from kT0.
  EXPECT_EQ(responder_.NextDeadline(), kT0 + Ms(1100));
  EXPECT_EQ(All<core::SendFrame>(AdvanceTo(kT0 + Ms(1100))).size(), 3u);
}

}  // namespace
}  // namespace vipcast::l2
