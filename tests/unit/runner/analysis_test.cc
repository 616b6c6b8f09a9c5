// The runner's measurements on synthetic timelines: probe outages and loss,
// announcer history with crashes, failovers explained or spurious, each
// expectation's verdict, sweep percentiles, and the command line.
#include "sim/runner/analysis.h"

#include <gtest/gtest.h>

#include "sim/runner/cli.h"
#include "sim/runner/expectations.h"
#include "sim/runner/report.h"

namespace vipcast::sim {
namespace {

using core::Duration;
using Kind = TimelineEvent::Kind;

core::TimePoint T(int64_t ms) { return core::TimePoint::Epoch() + Duration::Milliseconds(ms); }
Duration Ms(int64_t ms) { return Duration::Milliseconds(ms); }

// A probe every 10 ms from 0 to `end_ms`, answered 1 ms later by `who(ms)`
// unless it returns "".
template <typename Who>
std::vector<TimelineEvent> ProbeTimeline(int64_t end_ms, Who who) {
  std::vector<TimelineEvent> t;
  uint64_t seq = 0;
  for (int64_t ms = 0; ms < end_ms; ms += 10, ++seq) {
    t.push_back({T(ms), Kind::kProbeSent, "client-0", "", std::nullopt, seq, "probe"});
    const std::string host = who(ms);
    if (!host.empty()) {
      t.push_back({T(ms + 1), Kind::kProbeAnswered, host, "", std::nullopt, seq, "probe"});
    }
  }
  return t;
}

TEST(AnalyzeProbe, OutageRunsFromTheFirstLossToTheNextAnswer) {
  const auto t = ProbeTimeline(1000, [](int64_t ms) {
    if (ms >= 300 && ms < 500) return std::string();
    return std::string(ms < 300 ? "node-0" : "node-1");
  });
  const ProbeStats s = AnalyzeProbe(t, "probe", Ms(1000));
  EXPECT_EQ(s.sent, 100u);
  EXPECT_EQ(s.answered, 80u);
  EXPECT_DOUBLE_EQ(s.loss, 0.2);
  EXPECT_EQ(s.max_outage, Ms(200));
  ASSERT_TRUE(s.max_outage_from.has_value());
  EXPECT_EQ(*s.max_outage_from, Ms(300));
  EXPECT_EQ(s.answered_by, (std::vector<std::string>{"node-0", "node-1"}));
  // Another probe's events are not counted.
  EXPECT_EQ(AnalyzeProbe(t, "other", Ms(1000)).sent, 0u);
}

TEST(AnalyzeProbe, AnOutageThatNeverEndsLastsToTheEndAndInFlightSendsAreLeftOut) {
  auto t = ProbeTimeline(1000, [](int64_t ms) { return ms < 600 ? "node-0" : ""; });
  ProbeStats s = AnalyzeProbe(t, "probe", Ms(1000));
  EXPECT_EQ(s.max_outage, Ms(400));
  // Everything answered, but the last send's answer had not arrived: no loss.
  t = ProbeTimeline(1000, [](int64_t) { return "node-0"; });
  t.pop_back();  // the answer to the send at 990 ms
  s = AnalyzeProbe(t, "probe", Ms(1000));
  EXPECT_EQ(s.sent, 99u);
  EXPECT_EQ(s.loss, 0.0);
  EXPECT_EQ(s.max_outage, Duration::Zero());
}

TEST(AnalyzeProbe, StartupBeforeTheFirstAnswerIsNotAnOutage) {
  auto t = ProbeTimeline(1000, [](int64_t ms) { return ms < 300 ? "" : "node-0"; });
  ProbeStats s = AnalyzeProbe(t, "probe", Ms(1000));
  EXPECT_EQ(s.before_first_answer, 30u);
  EXPECT_EQ(s.sent, 70u);
  EXPECT_EQ(s.max_outage, Duration::Zero());
  EXPECT_EQ(s.first_answered, Ms(300));
  // Never answered: every send counts, the outage is the whole run.
  t = ProbeTimeline(1000, [](int64_t) { return ""; });
  s = AnalyzeProbe(t, "probe", Ms(1000));
  EXPECT_FALSE(s.first_answered.has_value());
  EXPECT_EQ(s.loss, 1.0);
  EXPECT_EQ(s.max_outage, Ms(1000));
}

TEST(AnalyzeProbe, AnAnswerAfterTheTimeoutIsALoss) {
  std::vector<TimelineEvent> t;
  for (uint64_t seq = 0; seq < 3; ++seq) {
    t.push_back({T(10 * static_cast<int64_t>(seq)), Kind::kProbeSent, "client-0", "", std::nullopt,
                 seq, "probe"});
  }
  t.push_back({T(5), Kind::kProbeAnswered, "node-0", "", std::nullopt, 0, "probe"});
  t.push_back(
      {T(10) + kProbeTimeout, Kind::kProbeAnswered, "node-0", "", std::nullopt, 1, "probe"});
  t.push_back(
      {T(21) + kProbeTimeout, Kind::kProbeAnswered, "node-0", "", std::nullopt, 2, "probe"});
  const ProbeStats s = AnalyzeProbe(t, "probe", Ms(2000));
  EXPECT_EQ(s.sent, 3u);
  EXPECT_EQ(s.answered, 2u);  // seq 2 answered 501 ms after it was sent
}

TimelineEvent Announce(int64_t ms, const std::string& host) {
  return {T(ms),
          Kind::kVipAnnounced,
          host,
          "default/web",
          core::IpAddr::Parse("192.168.1.240").value(),
          0,
          "eth0"};
}
TimelineEvent Withdraw(int64_t ms, const std::string& host) {
  return {
      T(ms), Kind::kVipWithdrawn, host, "default/web", core::IpAddr::Parse("192.168.1.240").value(),
      0,     "shutdown"};
}

FiredFault Fired(int64_t ms, const std::string& kind, const std::string& host) {
  FiredFault f;
  f.at = Ms(ms);
  f.kind = kind;
  f.text = kind + ": " + host;
  f.host = host;
  f.justifies_failover = kind != "loss" && kind != "delay";
  return f;
}

TEST(AnnouncerHistory, ACrashEndsTheCrashedNodesAnnouncements) {
  const std::vector<TimelineEvent> t{Announce(1000, "node-0"), Announce(10400, "node-1")};
  const std::vector<FiredFault> faults{Fired(10000, "crash", "node-0")};
  const auto h = AnnouncerHistory(t, faults);
  ASSERT_EQ(h.size(), 3u);
  EXPECT_EQ(h[0].announcers, (std::set<std::string>{"node-0"}));
  EXPECT_EQ(h[1].at, Ms(10000));
  EXPECT_TRUE(h[1].announcers.empty());
  EXPECT_EQ(h[2].announcers, (std::set<std::string>{"node-1"}));
  EXPECT_EQ(AnnouncersAt(h, "default/web", Ms(10200)), std::set<std::string>{});
  EXPECT_EQ(AnnouncersAt(h, "default/web", Ms(20000)), std::set<std::string>{"node-1"});

  const auto f = Failovers(h, faults);
  ASSERT_EQ(f.size(), 1u);
  EXPECT_EQ(f[0].from, "node-0");
  EXPECT_EQ(f[0].to, "node-1");
  EXPECT_FALSE(f[0].spurious);
}

TEST(Failovers, AMoveUnderLossAloneOrLongAfterTheLastFaultIsSpurious) {
  const std::vector<TimelineEvent> t{Announce(1000, "node-0"), Withdraw(50000, "node-0"),
                                     Announce(50100, "node-2")};
  std::vector<FiredFault> faults{Fired(0, "loss", "node-0")};
  auto f = Failovers(AnnouncerHistory(t, faults), faults);
  ASSERT_EQ(f.size(), 1u);
  EXPECT_TRUE(f[0].spurious);
  faults.push_back(Fired(49000, "speaker_stop", "node-0"));
  f = Failovers(AnnouncerHistory(t, faults), faults);
  EXPECT_FALSE(f.at(0).spurious);
  faults.back().at = Ms(50100) - kFailoverExplainWindow - Ms(1);
  f = Failovers(AnnouncerHistory(t, faults), faults);
  EXPECT_TRUE(f.at(0).spurious);
}

TimelineEvent Member(int64_t ms, const std::string& host, const std::string& peer,
                     const std::string& change) {
  return {T(ms), Kind::kSession, host, "", std::nullopt, 0,
          "membership " + peer + " " + change + " joined"};
}

TEST(ClusterFormedAt, IsWhenTheLastNodeHasHeardOfEveryOtherAlive) {
  const std::vector<TimelineEvent> t{
      Member(10, "node-1", "node-0", "none->alive"), Member(20, "node-0", "node-1", "none->alive"),
      Member(30, "node-2", "node-0", "none->alive"), Member(40, "node-2", "node-1", "none->alive"),
      Member(50, "node-0", "node-2", "none->alive"), Member(60, "node-1", "node-2", "alive->suspect"),
      Member(70, "node-1", "node-2", "suspect->alive")};
  EXPECT_EQ(ClusterFormedAt(t), Ms(70));
  // node-1 never hears of node-2: the cluster never formed.
  EXPECT_EQ(ClusterFormedAt({t.begin(), t.end() - 1}), std::nullopt);
  EXPECT_EQ(ClusterFormedAt({}), std::nullopt);
}

TEST(Failovers, AMoveWhileTheClusterIsFormingIsConvergenceNotSpurious) {
  // node-0 announced before it knew of node-2; once node-2 was known the
  // VIP moved to it (at 300 ms, before the last node heard of everyone at
  // 400 ms). A later move with no fault stays spurious.
  const std::vector<TimelineEvent> t{Announce(100, "node-0"), Withdraw(300, "node-0"),
                                     Announce(300, "node-2"), Withdraw(5000, "node-2"),
                                     Announce(5000, "node-1")};
  const auto f = Failovers(AnnouncerHistory(t, {}), {}, Ms(400));
  ASSERT_EQ(f.size(), 2u);
  EXPECT_TRUE(f[0].initial);
  EXPECT_FALSE(f[0].spurious);
  EXPECT_FALSE(f[1].initial);
  EXPECT_TRUE(f[1].spurious);
  EXPECT_TRUE(Failovers(AnnouncerHistory(t, {}), {}).at(0).spurious);
}

// The spec's example run: crash at 10 s, takeover 400 ms later.
struct ExampleRun {
  Scenario scenario;
  RunResult run;
  ExampleRun() {
    scenario.name = "example";
    scenario.duration = Duration::Seconds(30);
    auto t = ProbeTimeline(30000, [](int64_t ms) {
      if (ms < 10000) return "node-0";
      return ms < 10400 ? "" : "node-1";
    });
    t.push_back(Announce(1000, "node-0"));
    t.push_back(Announce(10400, "node-1"));
    run.faults = {Fired(10000, "crash", "node-0")};
    run.probes.push_back(AnalyzeProbe(t, "probe", scenario.duration));
    run.announcers = AnnouncerHistory(t, run.faults);
    run.failovers = Failovers(run.announcers, run.faults);
    run.assignments["default/web"] = core::IpAddr::Parse("192.168.1.240").value();
  }
  CheckResult Check(ExpectationKind kind) {
    scenario.expect.push_back({kind, "check", 1});
    return Evaluate(scenario.expect.back(), {scenario, run, scenario.duration});
  }
};

TEST(Expectations, EachReportsItsMeasuredValueAndVerdict) {
  ExampleRun e;
  CheckResult r = e.Check(MaxOutage{"probe", Duration::Seconds(1)});
  EXPECT_TRUE(r.pass);
  EXPECT_EQ(r.measured, "400 ms from 10.00 s");
  EXPECT_DOUBLE_EQ(*r.value, 0.4);
  EXPECT_FALSE(e.Check(MaxOutage{"probe", Ms(399)}).pass);

  r = e.Check(Announcers{"default/web", 1, std::nullopt, Duration::Seconds(15)});
  EXPECT_TRUE(r.pass) << r.measured;
  EXPECT_EQ(r.measured, "1 throughout");
  r = e.Check(Announcers{"default/web", 1, std::nullopt, Duration::Seconds(5)});
  EXPECT_FALSE(r.pass);
  EXPECT_EQ(r.measured, "between 0 and 1");
  EXPECT_TRUE(e.Check(Announcers{"default/web", std::nullopt, 1, Duration::Zero()}).pass);

  r = e.Check(NoSpuriousFailover{});
  EXPECT_TRUE(r.pass);
  EXPECT_EQ(r.measured, "0 spurious of 1 failovers");

  r = e.Check(ConvergedWithin{Duration::Seconds(1)});
  EXPECT_TRUE(r.pass) << r.measured;
  EXPECT_EQ(r.measured, "400 ms (slowest of 1 fault)");
  EXPECT_FALSE(e.Check(ConvergedWithin{Ms(300)}).pass);

  r = e.Check(MaxLoss{"probe", 0.02});
  EXPECT_TRUE(r.pass) << r.measured;
  EXPECT_EQ(r.measured, "1.33% (40 of 3000)");

  Assignments a;
  a.expected["default/web"] = core::IpAddr::Parse("192.168.1.240").value();
  EXPECT_TRUE(e.Check(a).pass);
  a.expected["default/web"] = std::nullopt;
  r = e.Check(a);
  EXPECT_FALSE(r.pass);
  EXPECT_EQ(r.measured, "default/web=192.168.1.240");
}

TEST(SweepStatistics, NearestRankPercentilesAndPassCounts) {
  Scenario s;
  s.expect.push_back({MaxOutage{"probe", Duration::Seconds(1)}, "max_outage", 1});
  std::vector<RunResult> runs;
  for (int i = 1; i <= 100; ++i) {
    RunResult r;
    r.seed = static_cast<uint64_t>(i);
    r.checks.push_back({"max_outage", 1, i <= 97, "", i / 100.0, "s"});
    runs.push_back(r);
  }
  const auto stats = SweepStatistics(s, runs);
  ASSERT_EQ(stats.size(), 1u);
  EXPECT_DOUBLE_EQ(*stats[0].p50, 0.50);
  EXPECT_DOUBLE_EQ(*stats[0].p99, 0.99);
  EXPECT_DOUBLE_EQ(*stats[0].max, 1.00);
  EXPECT_EQ(stats[0].passed, 97u);
  EXPECT_EQ(stats[0].runs, 100u);
}

TEST(Cli, ParsesTheSpecsFormAndNamesTheBadArgument) {
  auto o = ParseCli({"run", "a.yaml", "b.yaml", "--seeds", "1-100", "--out", "r", "--pcap"});
  ASSERT_TRUE(o.ok()) << o.error();
  EXPECT_EQ(o->files, (std::vector<std::string>{"a.yaml", "b.yaml"}));
  EXPECT_EQ(o->first_seed, 1u);
  EXPECT_EQ(o->last_seed, 100u);
  EXPECT_TRUE(o->pcap);
  EXPECT_EQ(o->out, "r");
  EXPECT_EQ(ParseCli({"run", "a.yaml", "--seeds", "9-1"}).error(),
            "--seeds 9-1: range ends before it starts");
  EXPECT_EQ(ParseCli({"run", "a.yaml", "--seed", "x"}).error(),
            "--seed x: not a non-negative integer");
  EXPECT_EQ(ParseCli({"run", "a.yaml", "--seed", "1", "--seeds", "1-2"}).error(),
            "--seed and --seeds given more than once");
  EXPECT_EQ(ParseCli({"run", "a.yaml", "--frobnicate"}).error(), "unknown option --frobnicate");
  EXPECT_EQ(ParseCli({"run"}).error(), "no scenario file given");
  EXPECT_EQ(ParseCli({"simulate", "a.yaml"}).error(),
            "unknown command 'simulate' (expected run or validate)");
  EXPECT_EQ(ParseCli({"run", "a.yaml", "--out"}).error(), "--out needs a value");
}

// Router histories from the World's events, and the BGP expectations.
TimelineEvent RouterSession(int64_t ms, const std::string& peer, const std::string& transition) {
  return {T(ms),
          Kind::kSession,
          "router-0",
          "",
          std::nullopt,
          0,
          "bgp " + peer + " " + transition + " some reason"};
}
TimelineEvent Route(int64_t ms, const std::string& hops) {
  return {T(ms), Kind::kRoute, "router-0", "192.168.1.240/32", std::nullopt, 0, hops};
}

TEST(RouterHistories, CountEstablishedSessionsAndFollowNextHops) {
  const std::vector<TimelineEvent> t = {
      RouterSession(10, "node-0", "OpenConfirm->Established"),
      RouterSession(11, "node-1", "OpenConfirm->Established"),
      Route(12, "node-0,node-1"),
      // A node's own session events are not the router's count.
      {T(13), Kind::kSession, "node-0", "", std::nullopt, 0, "bgp router-0 Idle->Established x"},
      RouterSession(5000, "node-1", "Established->Idle hold timer expired"),
      RouterSession(5000, "node-1", "Idle->Active retry"),  // no change in the count
      Route(5000, "node-0"),
      Route(9000, ""),
  };
  auto with_spine = t;
  with_spine.push_back({T(6000), Kind::kSession, "spine-0", "", std::nullopt, 0,
                        "bgp leaf-0 OpenConfirm->Established x"});
  const auto fabric = RouterSessionHistory(with_spine);
  ASSERT_EQ(fabric.size(), 4u);
  EXPECT_EQ(fabric[3].router, "spine-0");
  EXPECT_EQ(fabric[3].established, 1u);

  const auto sessions = RouterSessionHistory(t);
  ASSERT_EQ(sessions.size(), 3u);
  EXPECT_EQ(sessions[0].established, 1u);
  EXPECT_EQ(sessions[1].established, 2u);
  EXPECT_EQ(sessions[2].established, 1u);
  EXPECT_EQ(sessions[2].at, Ms(5000));
  const auto routes = RouteHistory(t);
  ASSERT_EQ(routes.size(), 3u);
  EXPECT_EQ(routes[0].nexthops, (std::vector<std::string>{"node-0", "node-1"}));
  EXPECT_TRUE(routes[2].nexthops.empty());

  ExampleRun e;
  e.run.bgp_sessions = sessions;
  e.run.routes = routes;
  CheckResult r = e.Check(BgpSessions{"router-0", 1, Duration::Seconds(6)});
  EXPECT_TRUE(r.pass) << r.measured;
  EXPECT_EQ(r.measured, "1 throughout");
  r = e.Check(BgpSessions{"router-0", 2, Duration::Seconds(1)});
  EXPECT_FALSE(r.pass);
  EXPECT_EQ(r.measured, "between 1 and 2; 1 at 5000 ms");
  EXPECT_FALSE(e.Check(BgpSessions{"router-1", 1, Duration::Seconds(6)}).pass);  // none

  const core::Prefix vip = core::Prefix::Parse("192.168.1.240/32").value();
  r = e.Check(Routes{"router-0", vip, {"node-1", "node-0"}, Duration::Seconds(1)});
  EXPECT_FALSE(r.pass);
  EXPECT_EQ(r.measured, "node-0,node-1; node-0 at 5000 ms");
  r = e.Check(Routes{"router-0", vip, {"node-0"}, Duration::Seconds(6)});
  EXPECT_FALSE(r.pass);  // withdrawn at 9 s
  EXPECT_EQ(r.measured, "node-0; none at 9000 ms");
  r = e.Check(Routes{"router-0", vip, {}, Duration::Seconds(10)});
  EXPECT_TRUE(r.pass) << r.measured;
  EXPECT_EQ(r.measured, "none throughout");
}

// BGP advertisements are not failovers: every eligible node announces.
TEST(Failovers, LayerTwoOnlyLeavesBgpAdvertisementsOut) {
  std::vector<TimelineEvent> t;
  for (const char* node : {"node-0", "node-1", "node-2"}) {
    t.push_back({T(5), Kind::kVipAnnounced, node, "default/web",
                 core::IpAddr::Parse("192.168.1.240").value(), 0, "bgp"});
  }
  EXPECT_EQ(Failovers(AnnouncerHistory(t, {}), {}).size(), 2u);
  EXPECT_TRUE(Failovers(AnnouncerHistory(t, {}, /*layer2_only=*/true), {}).empty());
}

}  // namespace
}  // namespace vipcast::sim
