// Whole clusters of Membership engines on the deterministic ClusterSim:
// convergence, crash detection against the profile's bounds (simulated time
// only), refutation, graceful leave, partitions and healing, restarts.
#include <gtest/gtest.h>

#include <algorithm>
#include <cstdio>
#include <string>
#include <vector>

#include "engine/membership/profile.h"
#include "engine/wire/membership/envelope.h"
#include "tests/unit/membership/cluster_sim.h"

namespace vipcast::membership::testing {
namespace {

using core::Duration;
using core::TimePoint;

SimOptions Options(uint64_t seed, TimingProfile profile = DefaultProfile()) {
  SimOptions o;
  o.seed = seed;
  o.profile = std::move(profile);
  return o;
}

// Forms a cluster of n nodes and waits until every node sees every other
// alive; fails the test if that takes longer than `limit`.
void Form(ClusterSim& sim, size_t n, Duration limit = Duration::Seconds(10)) {
  sim.AddNodes(n);
  ASSERT_TRUE(sim.RunUntil([&] { return sim.Converged(); }, sim.now() + limit))
      << "cluster of " << n << " did not converge";
}

TEST(MembershipCluster, FiveNodesConverge) {
  ClusterSim sim(Options(1));
  Form(sim, 5, Duration::Seconds(3));
  for (size_t i = 0; i < 5; ++i) {
    const auto members = sim.engine(i).Members();
    ASSERT_EQ(members.size(), 5u);
    for (const MemberView& m : members) EXPECT_EQ(m.state, MemberState::kAlive);
  }
  // Every node reported the other four joining.
  for (size_t i = 0; i < 5; ++i) {
    size_t joined = 0;
    for (const MemberChange& c : sim.engine(i).DrainChanges()) {
      if (!c.from && c.to == MemberState::kAlive) ++joined;
    }
    EXPECT_EQ(joined, 4u) << i;
  }
}

struct Detection {
  Duration watcher;   // the watcher's verdict
  Duration everyone;  // the last node's verdict
};

// Crashes `victim` after a random phase and measures how long until `watcher`
// (which watches it, if watch is set) and then every node declare it dead.
Detection MeasureCrash(uint64_t seed, const TimingProfile& profile, size_t n, bool watch) {
  ClusterSim sim(Options(seed, profile));
  sim.AddNodes(n);
  EXPECT_TRUE(sim.RunUntil([&] { return sim.Converged(); }, sim.now() + Duration::Seconds(30)));
  const size_t victim = n - 1;
  const size_t watcher = n - 2;
  if (watch) sim.SetWatched(watcher, {sim.name(victim).str()});
  // A random phase relative to the probe schedule.
  core::Rng phase(seed);
  sim.RunFor(Duration::Seconds(2) +
             Duration::Nanoseconds(phase.UniformInRange(0, profile.probe_interval.nanoseconds())));
  sim.ClearChanges();
  const TimePoint crash = sim.now();
  sim.Crash(victim);
  const Duration limit = UnwatchedDetectionBound(profile, n) * 2;
  sim.RunUntil([&] { return sim.Converged(); }, crash + limit);
  Detection d{Duration::Infinite(), Duration::Zero()};
  for (size_t i = 0; i + 1 < n; ++i) {
    auto at = sim.FirstChange(i, victim, "dead", crash);
    if (!at) return Detection{Duration::Infinite(), Duration::Infinite()};
    d.everyone = std::max(d.everyone, *at - crash);
    if (i == watcher) d.watcher = *at - crash;
  }
  return d;
}

TEST(MembershipCluster, WatchedCrashDetectedWithinBoundDefault) {
  const TimingProfile p = DefaultProfile();
  const Duration bound = WatchedDetectionBound(p, 5);
  ASSERT_LT(bound, Duration::Milliseconds(500));
  Duration worst = Duration::Zero();
  Duration sum = Duration::Zero();
  const int runs = 20;
  for (uint64_t seed = 1; seed <= runs; ++seed) {
    const Detection d = MeasureCrash(seed, p, 5, /*watch=*/true);
    EXPECT_LE(d.watcher, bound) << "seed " << seed;
    EXPECT_LE(d.everyone, UnwatchedDetectionBound(p, 5)) << "seed " << seed;
    worst = std::max(worst, d.watcher);
    sum += d.watcher;
  }
  std::printf("default profile, 5 nodes, watched crash: mean %s, worst %s, bound %s\n",
              (sum / runs).ToString().c_str(), worst.ToString().c_str(), bound.ToString().c_str());
}

TEST(MembershipCluster, UnwatchedCrashDetectedWithinBoundDefault) {
  const TimingProfile p = DefaultProfile();
  for (size_t n : {5u, 12u}) {
    Duration worst = Duration::Zero();
    for (uint64_t seed = 1; seed <= 10; ++seed) {
      const Detection d = MeasureCrash(seed, p, n, /*watch=*/false);
      EXPECT_LE(d.everyone, UnwatchedDetectionBound(p, n)) << "n " << n << " seed " << seed;
      worst = std::max(worst, d.everyone);
    }
    std::printf("default profile, %zu nodes, unwatched crash, all nodes: worst %s, bound %s\n", n,
                worst.ToString().c_str(), UnwatchedDetectionBound(p, n).ToString().c_str());
  }
}

TEST(MembershipCluster, CrashDetectedWithinBoundMetallb) {
  const TimingProfile p = MetallbProfile();
  Duration worst_watched = Duration::Zero();
  Duration worst_all = Duration::Zero();
  for (uint64_t seed = 1; seed <= 5; ++seed) {
    const Detection d = MeasureCrash(seed, p, 5, /*watch=*/true);
    EXPECT_LE(d.watcher, WatchedDetectionBound(p, 5)) << "seed " << seed;
    EXPECT_LE(d.everyone, UnwatchedDetectionBound(p, 5)) << "seed " << seed;
    worst_watched = std::max(worst_watched, d.watcher);
    worst_all = std::max(worst_all, d.everyone);
  }
  std::printf("metallb profile, 5 nodes: watcher worst %s (bound %s), all worst %s (bound %s)\n",
              worst_watched.ToString().c_str(), WatchedDetectionBound(p, 5).ToString().c_str(),
              worst_all.ToString().c_str(), UnwatchedDetectionBound(p, 5).ToString().c_str());
}

TEST(MembershipCluster, FalselySuspectedNodeRefutes) {
  // A false rumour: node 1 hears (authenticated, naming node 0) that node 2 is
  // suspect. Under 10% loss, node 2 must hear of it through gossip, refute
  // with a higher incarnation, and nobody may declare it dead.
  namespace wm = wire::membership;
  for (uint64_t seed = 1; seed <= 10; ++seed) {
    ClusterSim sim(Options(seed));
    Form(sim, 5);
    sim.SetLoss(0.10);
    sim.RunFor(Duration::Seconds(1));
    sim.ClearChanges();
    const uint32_t before = sim.engine(2).incarnation();
    const wm::MacKey key(ClusterSim::DefaultKey());
    // From a sender that says it has left, so that it is not taken for a
    // member itself.
    const wm::Message rumour{wm::Gossip{},
                             {wm::MemberUpdate{sim.name(2), wm::MemberStatus::kSuspect, before,
                                               sim.endpoint(2), sim.name(0)}},
                             wm::SenderState{wm::MemberStatus::kLeft, 0, sim.endpoint(0)}};
    sim.InjectDatagram(
        1, sim.endpoint(0),
        wm::Seal(wm::EnvelopeHeader{1000, 1, core::NodeName::Parse("rumour").value()},
                 wm::EncodeMessage(rumour), key));
    ASSERT_EQ(sim.StateOf(1, 2), MemberState::kSuspect) << "seed " << seed;
    sim.RunFor(Duration::Seconds(2));
    EXPECT_GT(sim.engine(2).incarnation(), before) << "seed " << seed;
    for (const ObservedChange& c : sim.changes()) {
      if (c.peer == sim.name(2).str()) {
        EXPECT_NE(c.to, "dead") << "seed " << seed << " node " << c.node << " at "
                                << c.at.ToString();
      }
    }
    sim.SetLoss(0);
    EXPECT_TRUE(sim.RunUntil([&] { return sim.Converged(); }, sim.now() + Duration::Seconds(10)));
  }
}

TEST(MembershipCluster, BrieflyUnreachableNodeRefutes) {
  // Node 2 is cut off for one probe period plus the probe timeout, so that
  // its watcher's probe round (direct and indirect) fails and it becomes
  // suspect; the buddy-system re-probe and gossip must let it refute before
  // the suspicion times out. Only node 0 watches it, so confirmations (which
  // would shorten the timeout) come only from chance round-robin probes.
  for (const TimingProfile& p : {DefaultProfile(), MetallbProfile()}) {
    int suspected_runs = 0;
    for (uint64_t seed = 1; seed <= 10; ++seed) {
      ClusterSim sim(Options(seed, p));
      Form(sim, 5, Duration::Seconds(30));
      sim.SetWatched(0, {sim.name(2).str()});
      sim.RunFor(p.probe_interval * 3);
      sim.ClearChanges();
      const uint32_t before = sim.engine(2).incarnation();
      sim.Partition({{2}});
      sim.RunFor(p.probe_interval + p.probe_timeout);
      sim.Heal();
      sim.RunFor(SuspicionMax(p, 5) * 2);
      bool suspected = false;
      for (const ObservedChange& c : sim.changes()) {
        if (c.peer != sim.name(2).str()) continue;
        suspected = suspected || c.to == "suspect";
        EXPECT_NE(c.to, "dead") << p.name << " seed " << seed << " node " << c.node;
      }
      if (suspected) {
        ++suspected_runs;
        EXPECT_GT(sim.engine(2).incarnation(), before) << p.name << " seed " << seed;
      }
      EXPECT_TRUE(sim.Converged()) << p.name << " seed " << seed;
    }
    std::printf("%s profile: node suspected in %d of 10 brief outages, refuted every time\n",
                p.name.c_str(), suspected_runs);
    EXPECT_GT(suspected_runs, 5) << p.name;
  }
}

TEST(MembershipCluster, RefutationsOutnumberFalseDeathsUnderLoss) {
  ClusterSim sim(Options(7));
  Form(sim, 8);
  sim.SetLoss(0.10);
  sim.RunFor(Duration::Seconds(30));
  size_t refuted = 0;
  size_t died = 0;
  for (const ObservedChange& c : sim.changes()) {
    if (c.from == "suspect" && c.to == "alive") ++refuted;
    if (c.to == "dead") ++died;
  }
  std::printf("8 nodes, 10%% loss, 30 s: %zu suspicions refuted, %zu false deaths\n", refuted,
              died);
  EXPECT_GT(refuted, 0u);
  EXPECT_GT(refuted, died * 3);
  sim.SetLoss(0);
  EXPECT_TRUE(sim.RunUntil([&] { return sim.Converged(); }, sim.now() + Duration::Seconds(30)));
}

TEST(MembershipCluster, GracefulLeaveIsNotAFailure) {
  for (const TimingProfile& p : {DefaultProfile(), MetallbProfile()}) {
    ClusterSim sim(Options(3, p));
    Form(sim, 5, Duration::Seconds(30));
    sim.ClearChanges();
    sim.Leave(4);
    EXPECT_TRUE(sim.engine(4).leaving());
    ASSERT_TRUE(sim.RunUntil(
        [&] {
          for (size_t i = 0; i < 4; ++i) {
            if (sim.StateOf(i, 4) != MemberState::kLeft) return false;
          }
          return true;
        },
        sim.now() + p.gossip_interval * 20))
        << p.name;
    sim.Crash(4);  // the runtime stops the process after leaving
    sim.RunFor(UnwatchedDetectionBound(p, 5) * 2);
    for (const ObservedChange& c : sim.changes()) {
      if (c.peer == sim.name(4).str() && c.node != 4) {
        EXPECT_EQ(c.to, "left") << p.name << " node " << c.node;
      }
    }
    for (size_t i = 0; i < 4; ++i) EXPECT_EQ(sim.StateOf(i, 4), MemberState::kLeft);
  }
}

TEST(MembershipCluster, PartitionThenHeal) {
  for (const TimingProfile& p : {DefaultProfile(), MetallbProfile()}) {
    ClusterSim sim(Options(11, p));
    Form(sim, 6, Duration::Seconds(30));
    const std::vector<size_t> left{0, 1, 2};
    const std::vector<size_t> right{3, 4, 5};
    sim.Partition({left, right});
    const TimePoint split = sim.now();
    auto sides_apart = [&] {
      for (size_t a : left) {
        for (size_t b : right) {
          if (sim.StateOf(a, b) != MemberState::kDead) return false;
          if (sim.StateOf(b, a) != MemberState::kDead) return false;
        }
      }
      return true;
    };
    ASSERT_TRUE(sim.RunUntil(sides_apart, split + DegradedDetectionBound(p, 6)))
        << p.name << ": each side should declare the other dead";
    std::printf("%s profile: 6 nodes split 3/3, both sides declared the other dead after %s\n",
                p.name.c_str(), (sim.now() - split).ToString().c_str());
    // Still apart a while later: no flapping across the partition.
    sim.RunFor(p.push_pull_interval * 2);
    EXPECT_TRUE(sides_apart()) << p.name;
    sim.Heal();
    const TimePoint heal = sim.now();
    ASSERT_TRUE(sim.RunUntil([&] { return sim.Converged(); }, heal + p.push_pull_interval * 6))
        << p.name << ": push-pull should reunite the sides";
    std::printf("%s profile: 6 nodes reunited %s after the partition healed\n", p.name.c_str(),
                (sim.now() - heal).ToString().c_str());
    // Those who were declared dead came back with a higher incarnation.
    for (size_t i = 0; i < 6; ++i) EXPECT_GT(sim.engine(i).incarnation(), 0u) << i;
  }
}

TEST(MembershipCluster, RestartedNodeRejoinsWithHigherIncarnation) {
  ClusterSim sim(Options(5));
  Form(sim, 5);
  sim.Crash(3);
  ASSERT_TRUE(sim.RunUntil([&] { return sim.Converged(); },
                           sim.now() + UnwatchedDetectionBound(DefaultProfile(), 5)));
  const uint32_t dead_incarnation = sim.engine(0).Member(sim.name(3))->incarnation;
  sim.Restart(3);
  EXPECT_EQ(sim.engine(3).incarnation(), 0u);
  ASSERT_TRUE(sim.RunUntil([&] { return sim.Converged(); }, sim.now() + Duration::Seconds(5)));
  EXPECT_GT(sim.engine(0).Member(sim.name(3))->incarnation, dead_incarnation);
}

TEST(MembershipCluster, JoinsThroughTheSecondSeedWhenTheFirstIsDown) {
  ClusterSim sim(Options(9));
  const size_t a = sim.AddNode("node-a", {});
  const size_t down = sim.AddNode("node-down", {}, /*start=*/false);
  const size_t b = sim.AddNode("node-b", {down, a});
  ASSERT_TRUE(sim.RunUntil(
      [&] {
        return sim.StateOf(b, a) == MemberState::kAlive && sim.StateOf(a, b) == MemberState::kAlive;
      },
      sim.now() + Duration::Seconds(3)));
}

TEST(MembershipCluster, SameSeedSameRun) {
  auto run = [](uint64_t seed) {
    ClusterSim sim(Options(seed));
    sim.SetLoss(0.05);
    sim.AddNodes(6);
    sim.RunFor(Duration::Seconds(3));
    sim.Crash(2);
    sim.RunFor(Duration::Seconds(3));
    std::string out;
    for (const ObservedChange& c : sim.changes()) {
      out += c.at.ToString() + " " + std::to_string(c.node) + " " + c.peer + " " + c.from + ">" +
             c.to + "\n";
    }
    return out;
  };
  EXPECT_EQ(run(21), run(21));
  EXPECT_NE(run(21), run(22));
}

TEST(MembershipCluster, DatagramsStayWithinTheSizeLimit) {
  // The longest legal names (253 characters) make every update and page as
  // big as it gets; a 40-node join makes the gossip queues long.
  ClusterSim sim(Options(13));
  size_t largest = 0;
  sim.SetSendObserver(
      [&](size_t, const core::SendDatagram& d) { largest = std::max(largest, d.payload.size()); });
  const std::string prefix = std::string(63, 'a') + "." + std::string(63, 'b') + "." +
                             std::string(63, 'c') + "." + std::string(253 - 192 - 4, 'd');
  for (size_t i = 0; i < 40; ++i) {
    char suffix[8];
    std::snprintf(suffix, sizeof suffix, "%04zu", i);
    sim.AddNode(prefix + suffix, i == 0 ? std::vector<size_t>{} : std::vector<size_t>{0});
  }
  ASSERT_EQ(sim.name(0).str().size(), 253u);
  EXPECT_TRUE(sim.RunUntil([&] { return sim.Converged(); }, sim.now() + Duration::Seconds(20),
                           Duration::Milliseconds(10)));
  EXPECT_LE(largest, wire::membership::kMaxDatagramSize);
  EXPECT_GT(largest, wire::membership::kMaxDatagramSize - 600);  // pages are filled
}

TEST(MembershipCluster, MemberTableIsBounded) {
  SimOptions o = Options(17);
  o.limits.max_members = 4;
  ClusterSim sim(o);
  sim.AddNodes(6);
  sim.RunFor(Duration::Seconds(3));
  for (size_t i = 0; i < 6; ++i) {
    EXPECT_LE(sim.engine(i).Members().size(), 4u);
  }
  EXPECT_GT(sim.engine(0).metrics().dropped("member_table_full"), 0u);
}

}  // namespace
}  // namespace vipcast::membership::testing
