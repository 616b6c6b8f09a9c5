// Failover at the membership level on ClusterSim (see failover.h).
#include <set>
#include <string>

#include "tests/measure/failover.h"
#include "tests/measure/vip_layout.h"
#include "tests/unit/membership/cluster_sim.h"

namespace vipcast::measure {

using core::Duration;
using core::TimePoint;
using membership::testing::ClusterSim;
using membership::testing::SimOptions;

std::string ToString(Level level) { return level == Level::kMembership ? "membership" : "speaker"; }

FailoverSample MeasureFailoverMembership(const FailoverCase& c) {
  SimOptions so;
  so.seed = c.seed;
  so.profile = c.profile;
  ClusterSim sim(so);
  sim.AddNodes(c.nodes);
  FailoverSample s;
  const Duration form_limit = Duration::Seconds(30) + c.profile.push_pull_interval * 2;
  s.formed = sim.RunUntil([&] { return sim.Converged(); }, sim.now() + form_limit,
                          Duration::Milliseconds(10));
  if (!s.formed) return s;

  // One VIP per node; the measured VIP is VIP 0. Every next-in-line watches
  // the owners it backs up, as the speaker would tell its membership engine.
  const VipLayout layout = VipLayout::Random(c.nodes, c.nodes, c.seed);
  for (const auto& [backup, owners] : layout.Watches()) {
    std::set<std::string> names;
    for (size_t o : owners) names.insert(sim.name(o).str());
    sim.SetWatched(backup, names);
  }
  const size_t owner = layout.owner(0);
  const size_t backup = layout.next_in_line(0);

  core::Rng phase = core::Rng(c.seed).Fork(0xc4a5);
  const Duration window =
      c.crash_window > Duration::Zero() ? c.crash_window : c.profile.probe_interval * 2;
  sim.RunFor(c.settle + Duration::Nanoseconds(phase.UniformInRange(0, window.nanoseconds() - 1)));
  sim.ClearChanges();
  const TimePoint crash = sim.now();
  sim.Crash(owner);
  const Duration limit = membership::UnwatchedDetectionBound(c.profile, c.nodes) * 2;
  sim.RunUntil([&] { return sim.FirstChange(backup, owner, "dead", crash).has_value(); },
               crash + limit, Duration::Milliseconds(1));
  if (auto at = sim.FirstChange(backup, owner, "dead", crash)) s.takeover = *at - crash;
  if (auto at = sim.FirstChange(backup, owner, "suspect", crash)) s.suspected = *at - crash;
  // The rest of the cluster, for context: when did the last survivor agree?
  // (Scans only the changes recorded since the previous check.)
  std::set<size_t> agreed;
  size_t scanned = 0;
  Duration last = Duration::Infinite();
  sim.RunUntil(
      [&] {
        const auto& changes = sim.changes();
        for (; scanned < changes.size(); ++scanned) {
          const auto& ch = changes[scanned];
          if (ch.to == "dead" && ch.peer == sim.name(owner).str() &&
              agreed.insert(ch.node).second && agreed.size() + 1 == c.nodes) {
            last = ch.at - crash;
          }
        }
        return agreed.size() + 1 == c.nodes;
      },
      crash + limit, Duration::Milliseconds(10));
  s.everyone = last;
  return s;
}

}  // namespace vipcast::measure
