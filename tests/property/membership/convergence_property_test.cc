// After any mix of packet loss (up to 20%) and crashes stops, every live node
// agrees on the live set (sees exactly the live nodes alive, at their current
// incarnation, and every crashed node dead) within a bound derived from the
// timing profile, in simulated time, and stays in agreement. N in 3..20, at
// least two nodes survive.
#include <gtest/gtest.h>
#include <rapidcheck.h>
#include <rapidcheck/gtest.h>

#include <algorithm>
#include <numeric>
#include <string>
#include <vector>

#include "engine/membership/profile.h"
#include "tests/unit/membership/cluster_sim.h"

namespace vipcast::membership::testing {
namespace {

using core::Duration;
using core::TimePoint;

// The time after the faults stop within which the live set must agree:
//  - Lifeguard awareness may have stretched a node's periods up to
//    awareness_max times; each successful probe shrinks it one step, so
//    recovery takes at most sum_{s=1}^{max-1} (s+1) periods;
//  - a crashed node is then reached by every prober's round-robin within
//    UnwatchedDetectionBound (which includes the longest suspicion);
//  - a live node some member still holds dead learns it from that member's
//    ack when it next probes it (also within the round-robin bound) and
//    refutes, or answers with its newer incarnation if the verdict is stale;
//    when both hold each other dead, push-pull pages with third parties
//    (memberlist's mergeState) reconcile them. Push-pull partners are
//    random, so this part is probabilistic: we allow six intervals.
Duration AgreementBound(const TimingProfile& p, size_t n) {
  const int s = p.awareness_max;
  const Duration recovery = p.probe_interval * (s * (s + 1) / 2 - 1);
  return recovery + UnwatchedDetectionBound(p, n) + p.push_pull_interval * 6;
}

RC_GTEST_PROP(MembershipProperty, LiveNodesAgreeOnTheLiveSetAfterFaults, ()) {
  const size_t n = *rc::gen::inRange<size_t>(3, 21);
  const double loss = *rc::gen::inRange(0, 21) / 100.0;
  const uint64_t seed = *rc::gen::arbitrary<uint64_t>();
  const size_t crashes = *rc::gen::inRange<size_t>(0, n - 1);  // keep >= 2 alive
  const auto crash_times =
      *rc::gen::container<std::vector<int>>(crashes, rc::gen::inRange(0, 5000));

  SimOptions o;
  o.seed = seed;
  o.record_changes = false;
  ClusterSim sim(o);
  sim.AddNodes(n);
  RC_ASSERT(sim.RunUntil([&] { return sim.Converged(); }, sim.now() + Duration::Seconds(10),
                         Duration::Milliseconds(10)));

  // Faults: loss for 5 s and crashes of distinct random nodes at random times
  // inside that window.
  std::vector<size_t> order(n);
  std::iota(order.begin(), order.end(), 0);
  core::Rng pick(seed ^ 0xC7A5);
  for (size_t i = n; i > 1; --i) std::swap(order[i - 1], order[pick.Uniform(i)]);
  std::vector<std::pair<int, size_t>> schedule;
  for (size_t i = 0; i < crashes; ++i) schedule.emplace_back(crash_times[i], order[i]);
  std::sort(schedule.begin(), schedule.end());

  const TimePoint start = sim.now();
  sim.SetLoss(loss);
  for (const auto& [ms, node] : schedule) {
    sim.RunUntil(start + Duration::Milliseconds(ms));
    sim.Crash(node);
  }
  sim.RunUntil(start + Duration::Seconds(5));
  sim.SetLoss(0);

  const TimePoint faults_end = sim.now();
  const TimingProfile& p = sim.engine(order[n - 1]).profile();
  const Duration bound = AgreementBound(p, n);
  // Let the probe rounds that started under loss (periods possibly stretched
  // awareness_max times) and the suspicions they raise run out first:
  // agreement reached before that could still be undone by one of them.
  sim.RunFor(p.probe_interval * (p.awareness_max + 1) + SuspicionMax(p, n));
  // Checked every 10 ms of simulated time: Converged() is O(N^2).
  const bool agreed =
      sim.RunUntil([&] { return sim.Converged(); }, faults_end + bound, Duration::Milliseconds(10));
  RC_LOG() << "n=" << n << " loss=" << loss << " crashes=" << crashes << " seed=" << seed
           << " agreed after " << (sim.now() - faults_end).ToString() << " (bound "
           << bound.ToString() << ")";
  RC_ASSERT(agreed);
  // And it stays agreed: no flapping once the network is quiet.
  sim.RunFor(Duration::Seconds(2));
  RC_ASSERT(sim.Converged());
}

}  // namespace
}  // namespace vipcast::membership::testing
