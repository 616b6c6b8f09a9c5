// sim/ns3's World with the scenario spec's example (spec_world.h): the
// engine runs unchanged in ns-3; these tests check what the client sees
// (probes answered, failover after a crash of the announcer, per timing
// profile and client ARP behaviour) and that a run is a pure function of its
// options.
#include "sim/ns3/world.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <cstdio>
#include <memory>
#include <set>
#include <string>
#include <vector>

#include "tests/sim/ns3/spec_world.h"

namespace vipcast::sim::testing {
namespace {

using core::Duration;
using core::TimePoint;
using Kind = TimelineEvent::Kind;

struct CrashRun {
  std::string profile = "default";
  ClientArp client_arp = ClientArp::kLinux;
  Duration client_arp_timeout = Duration::Seconds(60);
  uint64_t seed = 1;
  Duration crash_at = Duration::Seconds(10);
  Duration end = Duration::Seconds(30);
};

struct CrashResult {
  std::vector<TimelineEvent> timeline;
  std::string crashed;               // the announcer at crash_at
  std::set<std::string> announcers;  // at the end
  Duration outage;                   // longest silence from 1 s before the crash
  std::string answering;             // who answered the last probe
};

// Crashes the announcer of default/web at crash_at and runs to the end.
CrashResult RunCrash(const CrashRun& run) {
  CrashResult r;
  WorldOptions options = SpecOptions();
  options.topology.client_arp = run.client_arp;
  options.topology.client_arp_timeout = run.client_arp_timeout;
  options.seed = run.seed;
  options.profile = run.profile;
  std::unique_ptr<World> world = MakeSpecWorld(options);
  if (!world) return r;
  world->RunUntil(At(run.crash_at));
  const std::set<std::string> before = world->Announcers(kWeb);
  EXPECT_EQ(before.size(), 1u);
  if (before.empty()) return r;
  r.crashed = *before.begin();
  EXPECT_TRUE(world->Crash(r.crashed).ok());
  world->RunUntil(At(run.end));
  r.announcers = world->Announcers(kWeb);
  r.timeline = world->Timeline();
  r.outage = LongestSilence(r.timeline, At(run.crash_at - Duration::Seconds(1)), At(run.end));
  r.answering = LastAnswerer(r.timeline, At(run.end));
  return r;
}

TEST(Ns3WorldTest, OneAnnouncerAnswersTheClient) {
  std::unique_ptr<World> world = MakeSpecWorld(SpecOptions());
  ASSERT_NE(world, nullptr);
  EXPECT_EQ(world->Hosts(), (std::vector<std::string>{"node-0", "node-1", "node-2", "client-0"}));
  EXPECT_EQ(world->Assignment(kWeb), core::IpAddr::Parse("192.168.1.240").value());
  world->RunUntil(At(Duration::Seconds(5)));
  const std::set<std::string> announcers = world->Announcers(kWeb);
  ASSERT_EQ(announcers.size(), 1u);
  const std::string owner = *announcers.begin();

  // Every probe of the last second was answered, by the announcer.
  const auto& t = world->Timeline();
  const TimePoint from = At(Duration::Seconds(4));
  const size_t sent = Count(t, Kind::kProbeSent, from, At(Duration::Milliseconds(4995)));
  EXPECT_GE(sent, 99u);
  EXPECT_GE(Count(t, Kind::kProbeAnswered, from, At(Duration::Seconds(5))), sent);
  for (const TimelineEvent& e : t) {
    if (e.kind == Kind::kProbeAnswered && e.at >= from) EXPECT_EQ(e.host, owner);
  }
  // The controller's assignment and the announcement are on the timeline.
  EXPECT_TRUE(std::any_of(t.begin(), t.end(), [](const TimelineEvent& e) {
    return e.kind == Kind::kAssignment && e.service == kWeb && e.vip.has_value() &&
           e.at == TimePoint::Epoch();
  }));
  EXPECT_TRUE(std::any_of(t.begin(), t.end(), [&](const TimelineEvent& e) {
    return e.kind == Kind::kVipAnnounced && e.host == owner && e.service == kWeb &&
           e.detail == "eth0";
  }));
  EXPECT_TRUE(
      std::is_sorted(t.begin(), t.end(), [](const auto& a, const auto& b) { return a.at < b.at; }));
  // Faults on unknown hosts are errors, not crashes.
  EXPECT_FALSE(world->Crash("node-9").ok());
  EXPECT_FALSE(world->SpeakerStop("client-0").ok());
  EXPECT_FALSE(world->Recover("node-0").ok());  // not crashed, its speaker runs
}

TEST(Ns3WorldTest, AnnouncerCrashFailsOverWithinOneSecondWithTheDefaultProfile) {
  const CrashResult r = RunCrash({});
  ASSERT_FALSE(r.crashed.empty());
  ASSERT_EQ(r.announcers.size(), 1u);
  const std::string next = *r.announcers.begin();
  EXPECT_NE(next, r.crashed);
  EXPECT_EQ(r.answering, next);
  EXPECT_GT(r.outage, Duration::Milliseconds(50));  // the crash was felt
  EXPECT_LT(r.outage, Duration::Seconds(1));
  // The new owner announced within the outage, after the fault.
  const auto crash = std::find_if(r.timeline.begin(), r.timeline.end(),
                                  [](const auto& e) { return e.kind == Kind::kFault; });
  ASSERT_NE(crash, r.timeline.end());
  EXPECT_EQ(crash->at, At(Duration::Seconds(10)));
  EXPECT_EQ(crash->detail, "crash " + r.crashed);
  EXPECT_EQ(
      Count(r.timeline, Kind::kVipAnnounced, At(Duration::Seconds(10)), At(Duration::Seconds(11))),
      1u);
  std::printf("default profile: outage %s\n", r.outage.ToString().c_str());
}

TEST(Ns3WorldTest, MetallbProfileFailsOverMoreSlowly) {
  const CrashResult fast = RunCrash({});
  const CrashResult slow = RunCrash({.profile = "metallb", .end = Duration::Seconds(40)});
  ASSERT_EQ(slow.announcers.size(), 1u);
  EXPECT_NE(*slow.announcers.begin(), slow.crashed);
  EXPECT_EQ(slow.answering, *slow.announcers.begin());
  EXPECT_GT(slow.outage, fast.outage * 2);
  EXPECT_LT(slow.outage, Duration::Seconds(20));
  std::printf("outage default %s metallb %s\n", fast.outage.ToString().c_str(),
              slow.outage.ToString().c_str());
}

bool SameEvent(const TimelineEvent& x, const TimelineEvent& y) {
  return x.at == y.at && x.kind == y.kind && x.host == y.host && x.service == y.service &&
         x.vip == y.vip && x.seq == y.seq && x.detail == y.detail;
}

TEST(Ns3WorldTest, SameOptionsGiveTheSameTimeline) {
  const CrashResult a = RunCrash({.seed = 7});
  const CrashResult b = RunCrash({.seed = 7});
  ASSERT_GT(a.timeline.size(), 1000u);
  ASSERT_EQ(a.timeline.size(), b.timeline.size());
  for (size_t i = 0; i < a.timeline.size(); ++i) {
    ASSERT_TRUE(SameEvent(a.timeline[i], b.timeline[i]))
        << "event " << i << " differs: " << a.timeline[i].at.ToString() << " " << a.timeline[i].host
        << " " << a.timeline[i].detail << " vs " << b.timeline[i].at.ToString() << " "
        << b.timeline[i].host << " " << b.timeline[i].detail;
  }
}

TEST(Ns3WorldTest, ClientIgnoringGratuitousArpWaitsForItsCacheTimeout) {
  // The client resolves the VIP once, in the first seconds; its entry then
  // points at the crashed node until it expires, whatever the gratuitous
  // ARP says.
  const Duration timeout = Duration::Seconds(20);
  const CrashResult linux_client =
      RunCrash({.client_arp_timeout = timeout, .end = Duration::Seconds(40)});
  const CrashResult ignoring = RunCrash({.client_arp = ClientArp::kIgnoreGarp,
                                         .client_arp_timeout = timeout,
                                         .end = Duration::Seconds(40)});
  ASSERT_EQ(ignoring.announcers.size(), 1u);
  EXPECT_NE(*ignoring.announcers.begin(), ignoring.crashed);
  EXPECT_EQ(ignoring.answering, *ignoring.announcers.begin());
  EXPECT_LT(linux_client.outage, Duration::Seconds(1));
  // Bounded by the cache timeout plus failure detection (< 1 s) and one ARP
  // exchange, and much longer than failure detection alone: the entry was
  // made at most 5 s into the run and the crash came at 10 s.
  EXPECT_GT(ignoring.outage, timeout - Duration::Seconds(10));
  EXPECT_LE(ignoring.outage, timeout + Duration::Seconds(1) + Duration::Milliseconds(100));
  std::printf("outage linux %s ignore-garp %s (arp timeout %s)\n",
              linux_client.outage.ToString().c_str(), ignoring.outage.ToString().c_str(),
              timeout.ToString().c_str());
}

}  // namespace
}  // namespace vipcast::sim::testing
