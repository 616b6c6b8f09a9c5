// Spurious failovers at the membership level on ClusterSim (see spurious.h).
#include <map>
#include <string>
#include <vector>

#include "tests/measure/spurious.h"
#include "tests/measure/vip_layout.h"
#include "tests/unit/membership/cluster_sim.h"

namespace vipcast::measure {

using core::Duration;
using core::TimePoint;
using membership::testing::ClusterSim;
using membership::testing::ObservedChange;
using membership::testing::SimOptions;

SpuriousResult MeasureSpuriousMembership(const SpuriousCase& c) {
  SimOptions so;
  so.seed = c.seed;
  so.profile = c.profile;
  ClusterSim sim(so);
  sim.AddNodes(c.nodes);
  SpuriousResult r;
  const Duration form_limit = Duration::Seconds(30) + c.profile.push_pull_interval * 2;
  r.formed = sim.RunUntil([&] { return sim.Converged(); }, sim.now() + form_limit,
                          Duration::Milliseconds(10));
  if (!r.formed) return r;

  const size_t n = c.nodes;
  const VipLayout layout = VipLayout::Random(n, n, c.seed);
  for (const auto& [backup, owners] : layout.Watches()) {
    std::set<std::string> names;
    for (size_t o : owners) names.insert(sim.name(o).str());
    sim.SetWatched(backup, names);
  }
  // Let the join gossip drain, then start clean.
  sim.RunFor(Duration::Seconds(10));
  sim.ClearChanges();
  sim.ResetTraffic();
  uint64_t refutations0 = 0, failures0 = 0;
  for (size_t i = 0; i < n; ++i) {
    refutations0 += sim.engine(i).metrics().refutations();
    failures0 += sim.engine(i).metrics().probe_failures();
  }
  const TimePoint start = sim.now();
  sim.SetLoss(c.loss);

  // Replay the recorded changes in order, in chunks so memory stays bounded.
  // view[observer][peer]: the state the observer holds (everyone starts alive).
  std::vector<std::vector<std::string>> view(n, std::vector<std::string>(n, "alive"));
  std::vector<size_t> suspected_by(n, 0), dead_by(n, 0);
  // (vip, node) -> since when it announces a VIP it does not own.
  std::map<std::pair<size_t, size_t>, TimePoint> announcing;
  auto active = [&](size_t observer, size_t peer) {
    return view[observer][peer] == "alive" || view[observer][peer] == "suspect";
  };
  auto replay = [&](const ObservedChange& ch) {
    auto peer_index = sim.IndexOf(ch.peer);
    if (!peer_index) return;
    const size_t p = *peer_index;
    std::string& held = view[ch.node][p];
    if (held == ch.to) return;
    if (held == "suspect") --suspected_by[p];
    if (held == "dead") --dead_by[p];
    if (ch.to == "suspect") {
      ++r.suspect_transitions;
      if (suspected_by[p]++ == 0) ++r.suspicion_episodes;
    }
    if (ch.to == "dead") {
      ++r.dead_transitions;
      if (dead_by[p]++ == 0) ++r.dead_episodes;
    }
    held = ch.to;
    for (size_t vip : layout.BackedUpBy(ch.node)) {
      const bool now_announces = layout.Announces(vip, ch.node, active);
      auto key = std::make_pair(vip, ch.node);
      auto it = announcing.find(key);
      if (now_announces && it == announcing.end()) {
        ++r.failovers;
        announcing.emplace(key, ch.at);
      } else if (!now_announces && it != announcing.end()) {
        const Duration d = ch.at - it->second;
        r.failover_time += d;
        if (d > r.longest_failover) r.longest_failover = d;
        announcing.erase(it);
      }
    }
  };
  const TimePoint end = start + c.duration;
  while (sim.now() < end) {
    TimePoint step = sim.now() + Duration::Seconds(10);
    sim.RunUntil(step < end ? step : end);
    for (const ObservedChange& ch : sim.changes()) replay(ch);
    sim.ClearChanges();
  }
  const double seconds = (sim.now() - start).ToSecondsDouble();
  uint64_t sent = 0;
  for (size_t i = 0; i < n; ++i) sent += sim.traffic(i).sent;
  r.datagrams_per_node_per_s = static_cast<double>(sent) / static_cast<double>(n) / seconds;

  // Heal and check that everyone agrees again; close open announcements.
  sim.SetLoss(0);
  r.converged_after = sim.RunUntil([&] { return sim.Converged(); },
                                   sim.now() + Duration::Seconds(30), Duration::Milliseconds(10));
  for (const ObservedChange& ch : sim.changes()) replay(ch);
  for (const auto& [key, since] : announcing) {
    const Duration d = sim.now() - since;
    r.failover_time += d;
    if (d > r.longest_failover) r.longest_failover = d;
  }
  for (size_t i = 0; i < n; ++i) {
    r.refutations += sim.engine(i).metrics().refutations();
    r.probe_failures += sim.engine(i).metrics().probe_failures();
  }
  r.refutations -= refutations0;
  r.probe_failures -= failures0;
  return r;
}

}  // namespace vipcast::measure
