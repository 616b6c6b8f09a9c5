// Announcement timing on its own: the default per-VIP burst, refresh, late
// callers, and MetalLB's shared ticker (internal/layer2/announcer.go).
#include "engine/l2/announce_scheduler.h"

#include <gtest/gtest.h>

#include <string>
#include <vector>

namespace vipcast::l2 {
namespace {

using core::Duration;
using core::TimePoint;

const TimePoint kT0 = TimePoint::Epoch() + Duration::Seconds(1000);
Duration Ms(int64_t ms) { return Duration::Milliseconds(ms); }

VipOnInterface Key(std::string_view vip, std::string iface = "eth0") {
  return {core::IpAddr::Parse(vip).value(), std::move(iface)};
}

// Steps through time 1 ms at a time and records (ms since kT0, vip) rounds.
std::vector<std::pair<int64_t, std::string>> RoundsBetween(AnnounceScheduler& s, int64_t from_ms,
                                                           int64_t to_ms) {
  std::vector<std::pair<int64_t, std::string>> rounds;
  for (int64_t ms = from_ms; ms <= to_ms; ++ms) {
    for (const auto& key : s.TakeDue(kT0 + Ms(ms))) rounds.emplace_back(ms, key.vip.ToString());
  }
  return rounds;
}

using Rounds = std::vector<std::pair<int64_t, std::string>>;

TEST(AnnounceSchedule, PresetsAndValidation) {
  EXPECT_EQ(AnnounceSchedule::Preset("default").value(), AnnounceSchedule::Default());
  EXPECT_EQ(AnnounceSchedule::Preset("metallb").value(), AnnounceSchedule::MetalLb());
  EXPECT_FALSE(AnnounceSchedule::Preset("fast").ok());
  EXPECT_EQ(AnnounceSchedule::MetalLb().interval, Ms(1100));
  EXPECT_EQ(AnnounceSchedule::MetalLb().duration, Duration::Seconds(5));
  EXPECT_EQ(AnnounceSchedule::MetalLb().clock, AnnounceClock::kSharedTicker);
  EXPECT_TRUE(AnnounceSchedule::Default().Validate().ok());
  AnnounceSchedule bad;
  bad.interval = Duration::Zero();
  EXPECT_FALSE(bad.Validate().ok());
  bad = {};
  bad.refresh = Duration::Zero() - Ms(1);
  EXPECT_FALSE(bad.Validate().ok());
}

// A storm of re-announce requests (a cluster forming) costs at most one
// round per interval, and the burst still runs for a full duration after the
// last request.
TEST(AnnounceScheduler, RenewCoalescesWithinOneInterval) {
  AnnounceScheduler s(AnnounceSchedule::Default());
  EXPECT_TRUE(s.Start(kT0, Key("10.0.0.1")));
  Rounds rounds;
  for (int64_t ms = 1; ms <= 20000; ++ms) {
    // Ninety-nine requests, one every 10 ms from 10 ms to 990 ms.
    if (ms % 10 == 0 && ms < 1000 && s.Renew(kT0 + Ms(ms), Key("10.0.0.1"))) {
      rounds.emplace_back(ms, "renew");
    }
    for (const auto& key : s.TakeDue(kT0 + Ms(ms))) rounds.emplace_back(ms, key.vip.ToString());
  }
  // No extra round at all: every request came within 1.1 s of the start
  // round, so the schedule is the plain burst's.
  EXPECT_EQ(rounds, (Rounds{{1100, "10.0.0.1"},
                            {2200, "10.0.0.1"},
                            {3300, "10.0.0.1"},
                            {4400, "10.0.0.1"}}));
}

TEST(AnnounceScheduler, RenewAfterAnIntervalSendsAtOnceAndRestartsTheBurst) {
  AnnounceScheduler s(AnnounceSchedule::Default());
  EXPECT_TRUE(s.Start(kT0, Key("10.0.0.1")));
  EXPECT_EQ(RoundsBetween(s, 1, 1100), (Rounds{{1100, "10.0.0.1"}}));
  // 600 ms after the 1100 ms round, within one interval of it: coalesced,
  // the burst restarts from 1100 ms and runs to 1100 + 4 * 1100.
  EXPECT_FALSE(s.Renew(kT0 + Ms(1700), Key("10.0.0.1")));
  EXPECT_EQ(RoundsBetween(s, 1701, 20000), (Rounds{{2200, "10.0.0.1"},
                                                   {3300, "10.0.0.1"},
                                                   {4400, "10.0.0.1"},
                                                   {5500, "10.0.0.1"}}));
  // Long after the burst ended: a renewal is a fresh burst with a round now.
  EXPECT_TRUE(s.Renew(kT0 + Ms(30000), Key("10.0.0.1")));
  EXPECT_EQ(RoundsBetween(s, 30001, 40000), (Rounds{{31100, "10.0.0.1"},
                                                    {32200, "10.0.0.1"},
                                                    {33300, "10.0.0.1"},
                                                    {34400, "10.0.0.1"}}));
}

TEST(AnnounceScheduler, DefaultBurstIsFiveRoundsExactly) {
  AnnounceScheduler s(AnnounceSchedule::Default());
  EXPECT_TRUE(s.Start(kT0, Key("10.0.0.1")));
  EXPECT_EQ(
      RoundsBetween(s, 0, 20000),
      (Rounds{{1100, "10.0.0.1"}, {2200, "10.0.0.1"}, {3300, "10.0.0.1"}, {4400, "10.0.0.1"}}));
  EXPECT_FALSE(s.IsScheduled(Key("10.0.0.1")));
  EXPECT_EQ(s.NextDeadline(), TimePoint::Never());
}

TEST(AnnounceScheduler, DurationIsExclusive) {
  AnnounceSchedule sched;
  sched.interval = Ms(1000);
  sched.duration = Ms(3000);  // rounds at 0, 1, 2 s; 3 s is not < 3 s
  AnnounceScheduler s(sched);
  s.Start(kT0, Key("10.0.0.1"));
  EXPECT_EQ(RoundsBetween(s, 0, 10000), (Rounds{{1000, "10.0.0.1"}, {2000, "10.0.0.1"}}));
}

TEST(AnnounceScheduler, ZeroDurationMeansOnlyTheImmediateRound) {
  AnnounceSchedule sched;
  sched.duration = Duration::Zero();
  AnnounceScheduler s(sched);
  EXPECT_TRUE(s.Start(kT0, Key("10.0.0.1")));
  EXPECT_EQ(s.NextDeadline(), TimePoint::Never());
}

TEST(AnnounceScheduler, LateCallerGetsOneRoundAndTheScheduleKeepsItsSlots) {
  AnnounceScheduler s(AnnounceSchedule::Default());
  s.Start(kT0, Key("10.0.0.1"));
  auto due = s.TakeDue(kT0 + Ms(3500));  // slots 1.1, 2.2 and 3.3 all passed
  EXPECT_EQ(due.size(), 1u);
  EXPECT_EQ(s.NextDeadline(), kT0 + Ms(4400));
}

TEST(AnnounceScheduler, RestartReplacesTheBurst) {
  AnnounceScheduler s(AnnounceSchedule::Default());
  s.Start(kT0, Key("10.0.0.1"));
  s.TakeDue(kT0 + Ms(1100));
  EXPECT_TRUE(s.Start(kT0 + Ms(1500), Key("10.0.0.1")));
  EXPECT_EQ(s.NextDeadline(), kT0 + Ms(2600));
}

TEST(AnnounceScheduler, CancelRemovesEverything) {
  AnnounceScheduler s(AnnounceSchedule::Default());
  s.Start(kT0, Key("10.0.0.1"));
  s.Start(kT0, Key("10.0.0.1", "eth1"));
  s.Cancel(Key("10.0.0.1"));
  EXPECT_FALSE(s.IsScheduled(Key("10.0.0.1")));
  EXPECT_TRUE(s.IsScheduled(Key("10.0.0.1", "eth1")));
  const auto due = s.TakeDue(kT0 + Ms(1100));
  ASSERT_EQ(due.size(), 1u);
  EXPECT_EQ(due[0].interface, "eth1");
  s.Cancel(Key("10.0.0.9"));  // unknown: no-op
}

TEST(AnnounceScheduler, RefreshFollowsTheLastBurstRound) {
  AnnounceSchedule sched = AnnounceSchedule::Default();
  sched.refresh = Duration::Seconds(10);
  AnnounceScheduler s(sched);
  s.Start(kT0, Key("10.0.0.1"));
  const Rounds rounds = RoundsBetween(s, 0, 35000);
  EXPECT_EQ(rounds, (Rounds{{1100, "10.0.0.1"},
                            {2200, "10.0.0.1"},
                            {3300, "10.0.0.1"},
                            {4400, "10.0.0.1"},
                            {14400, "10.0.0.1"},
                            {24400, "10.0.0.1"},
                            {34400, "10.0.0.1"}}));
  EXPECT_TRUE(s.IsScheduled(Key("10.0.0.1")));
}

TEST(AnnounceScheduler, DueRoundsAreOrderedByTimeThenKey) {
  AnnounceScheduler s(AnnounceSchedule::Default());
  s.Start(kT0 + Ms(10), Key("10.0.0.2"));
  s.Start(kT0 + Ms(10), Key("10.0.0.1"));
  s.Start(kT0, Key("10.0.0.3"));
  const auto due = s.TakeDue(kT0 + Ms(1200));
  ASSERT_EQ(due.size(), 3u);
  EXPECT_EQ(due[0].vip.ToString(), "10.0.0.3");
  EXPECT_EQ(due[1].vip.ToString(), "10.0.0.1");
  EXPECT_EQ(due[2].vip.ToString(), "10.0.0.2");
}

// ---- MetalLB's shared ticker

TEST(MetallbSchedule, SingleIpGetsFiveRounds) {
  AnnounceScheduler s(AnnounceSchedule::MetalLb());
  EXPECT_TRUE(s.Start(kT0, Key("10.0.0.1")));  // immediate round
  // Ticks at 1.1 .. 4.4 send; the tick at 5.5 is past the 5 s stop time,
  // drops the IP and stops the ticker.
  EXPECT_EQ(
      RoundsBetween(s, 0, 20000),
      (Rounds{{1100, "10.0.0.1"}, {2200, "10.0.0.1"}, {3300, "10.0.0.1"}, {4400, "10.0.0.1"}}));
  EXPECT_EQ(s.NextDeadline(), TimePoint::Never());
}

TEST(MetallbSchedule, LaterIpsInheritTheTickerPhase) {
  AnnounceScheduler s(AnnounceSchedule::MetalLb());
  s.Start(kT0, Key("10.0.0.1"));
  EXPECT_TRUE(s.Start(kT0 + Ms(500), Key("10.0.0.2")));
  // 10.0.0.2 stops at 5.5 s; Go's `now.After(until)` is strict, so the
  // tick at exactly 5.5 s still sends: it gets 1 + 5 ticks.
  EXPECT_EQ(RoundsBetween(s, 0, 20000), (Rounds{{1100, "10.0.0.1"},
                                                {1100, "10.0.0.2"},
                                                {2200, "10.0.0.1"},
                                                {2200, "10.0.0.2"},
                                                {3300, "10.0.0.1"},
                                                {3300, "10.0.0.2"},
                                                {4400, "10.0.0.1"},
                                                {4400, "10.0.0.2"},
                                                {5500, "10.0.0.2"}}));
}

TEST(MetallbSchedule, TickerRestartsFromTheNextGainOnceIdle) {
  AnnounceScheduler s(AnnounceSchedule::MetalLb());
  s.Start(kT0, Key("10.0.0.1"));
  RoundsBetween(s, 0, 10000);
  EXPECT_EQ(s.NextDeadline(), TimePoint::Never());
  s.Start(kT0 + Ms(10300), Key("10.0.0.2"));
  EXPECT_EQ(s.NextDeadline(), kT0 + Ms(11400));
}

TEST(MetallbSchedule, QuickRegainExtendsWithoutAnImmediateRound) {
  AnnounceScheduler s(AnnounceSchedule::MetalLb());
  s.Start(kT0, Key("10.0.0.1"));
  s.Cancel(Key("10.0.0.1"));  // lost: silent, but still in MetalLB's map
  EXPECT_FALSE(s.IsScheduled(Key("10.0.0.1")));
  EXPECT_TRUE(RoundsBetween(s, 0, 1500).empty());
  EXPECT_FALSE(s.Start(kT0 + Ms(2000), Key("10.0.0.1")));  // no immediate round
  // Ticks resume until 2.0 + 5 = 7.0 s.
  EXPECT_EQ(RoundsBetween(s, 1501, 20000), (Rounds{{2200, "10.0.0.1"},
                                                   {3300, "10.0.0.1"},
                                                   {4400, "10.0.0.1"},
                                                   {5500, "10.0.0.1"},
                                                   {6600, "10.0.0.1"}}));
}

TEST(MetallbSchedule, RegainAfterExpiryStartsAgainWithAnImmediateRound) {
  AnnounceScheduler s(AnnounceSchedule::MetalLb());
  s.Start(kT0, Key("10.0.0.1"));
  s.Cancel(Key("10.0.0.1"));
  RoundsBetween(s, 0, 6000);  // expired at the 5.5 s tick
  EXPECT_TRUE(s.Start(kT0 + Ms(6000), Key("10.0.0.1")));
}

}  // namespace
}  // namespace vipcast::l2
