#include "tests/unit/membership/message_rates.h"

#include <algorithm>
#include <cstdio>
#include <map>
#include <set>
#include <vector>

#include "tests/unit/membership/cluster_sim.h"

namespace vipcast::membership::testing {

using core::Duration;

std::string RateResult::ToString() const {
  char buf[256];
  std::snprintf(buf, sizeof buf,
                "%5zu nodes: sent %.1f/s per node (max %.1f), received %.1f/s, %.0f B/s; "
                "watches <= %.0f, watchers <= %.0f; formed in %s",
                nodes, sent_per_node_per_s, max_sent_per_node_per_s, received_per_node_per_s,
                bytes_per_node_per_s, max_watched, max_watchers,
                converged_after.ToString().c_str());
  return buf;
}

RateResult MeasureMessageRates(const RateOptions& o) {
  SimOptions so;
  so.seed = o.seed;
  so.profile = o.profile;
  so.record_changes = false;
  ClusterSim sim(so);
  // Join in waves of 50 every 200 ms, as nodes of a real cluster come up
  // over time, rather than all at one instant.
  for (size_t i = 0; i < o.nodes; ++i) {
    if (i > 0 && i % 50 == 0) sim.RunFor(Duration::Milliseconds(200));
    sim.AddNode("node-" + std::to_string(i),
                i == 0 ? std::vector<size_t>{} : std::vector<size_t>{0});
  }
  RateResult r;
  r.nodes = o.nodes;
  const Duration form_limit = Duration::Seconds(30) + o.profile.push_pull_interval * 2;
  r.converged = sim.RunUntil([&] { return sim.Converged(); }, sim.now() + form_limit,
                             Duration::Milliseconds(50));
  r.converged_after = sim.now() - core::TimePoint::Epoch();

  // VIP placement as an election would do it: an owner and a distinct
  // next-in-line backup per VIP, uniformly at random; the backup watches.
  std::map<size_t, std::set<std::string>> watches;
  std::map<size_t, std::set<size_t>> watchers;
  if (o.watch && o.nodes > 1) {
    core::Rng placement(o.seed ^ 0x5eed);
    const size_t vips = o.vips == 0 ? o.nodes : o.vips;
    for (size_t v = 0; v < vips; ++v) {
      const size_t owner = placement.Uniform(o.nodes);
      size_t backup = placement.Uniform(o.nodes - 1);
      if (backup >= owner) ++backup;
      watches[backup].insert(sim.name(owner).str());
      watchers[owner].insert(backup);
    }
    for (const auto& [node, names] : watches) {
      sim.SetWatched(node, names);
      r.max_watched =
          std::max(r.max_watched, static_cast<double>(sim.engine(node).watched().size()));
    }
    for (const auto& [node, set] : watchers) {
      r.max_watchers = std::max(r.max_watchers, static_cast<double>(set.size()));
    }
  }
  // Warm up: let the join gossip drain before measuring.
  sim.RunFor(Duration::Seconds(10));
  sim.ResetTraffic();
  sim.RunFor(o.window);
  const double seconds = o.window.ToSecondsDouble();
  double sent = 0, received = 0, bytes = 0;
  for (size_t i = 0; i < sim.size(); ++i) {
    const NodeTraffic& t = sim.traffic(i);
    sent += static_cast<double>(t.sent);
    received += static_cast<double>(t.received);
    bytes += static_cast<double>(t.sent_bytes);
    r.max_sent_per_node_per_s =
        std::max(r.max_sent_per_node_per_s, static_cast<double>(t.sent) / seconds);
  }
  const double n = static_cast<double>(sim.size());
  r.sent_per_node_per_s = sent / n / seconds;
  r.received_per_node_per_s = received / n / seconds;
  r.bytes_per_node_per_s = bytes / n / seconds;
  r.converged = r.converged && sim.Converged();
  return r;
}

}  // namespace vipcast::membership::testing
