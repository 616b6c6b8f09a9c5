// Spurious failovers end to end (see spurious.h): L2 speakers on
// tests/harness with uniform random loss on the LAN and no crash; every
// VipAnnounced from a node that did not own the VIP when the loss started is
// a spurious failover.
#include <map>
#include <string>
#include <utility>
#include <variant>
#include <vector>

#include "tests/measure/speaker_world.h"
#include "tests/measure/spurious.h"

namespace vipcast::measure {

using core::Duration;
using core::TimePoint;
using speaker::testing::ClusterOptions;
using speaker::testing::SpeakerCluster;

SpuriousResult MeasureSpuriousSpeaker(const SpuriousCase& c) {
  ClusterOptions o;
  o.seed = c.seed;
  o.nodes = c.nodes;
  o.profile = c.profile;
  // Only what drain() reads enters the trace: the metrics and logs of every
  // node would otherwise dominate the run's memory and time.
  o.trace_filter = [](const harness::Fact& f) {
    if (const auto* s = std::get_if<core::SessionStateChanged>(&f)) {
      return s->protocol == "membership";
    }
    return std::holds_alternative<core::VipAnnounced>(f) ||
           std::holds_alternative<core::VipWithdrawn>(f);
  };
  o.keep_datagram_times = false;
  SpeakerCluster cluster(o);
  SpuriousResult r;
  const Duration form_limit = Duration::Seconds(30) + c.profile.push_pull_interval * 2;
  r.formed = FormThenSetWorld(cluster, form_limit);
  if (!r.formed) return r;
  const size_t n = c.nodes;
  std::map<core::IpAddr, size_t> owner;
  for (size_t v = 0; v < n; ++v) owner[VipOf(v)] = cluster.Announcers(VipOf(v)).front();
  cluster.RunFor(Duration::Seconds(10));
  uint64_t refutations0 = 0, failures0 = 0;
  for (size_t i = 0; i < n; ++i) {
    refutations0 += cluster.speaker(i).membership().metrics().refutations();
    failures0 += cluster.speaker(i).membership().metrics().probe_failures();
  }
  harness::LinkModel link = cluster.h().link_model("lan");
  const harness::LinkModel clean = link;
  link.loss = c.loss;
  cluster.h().SetLinkModel("lan", link);
  cluster.h().trace().Clear();
  const TimePoint start = cluster.now();

  std::map<std::string, size_t> index;
  for (size_t i = 0; i < n; ++i) index[SpeakerCluster::NameOf(i)] = i;
  std::map<std::pair<core::IpAddr, size_t>, TimePoint> announcing;  // spurious, open
  std::map<std::pair<size_t, std::string>, std::string> view;       // observer, peer -> state
  std::map<std::string, size_t> suspected_by, dead_by;
  auto close = [&](const core::IpAddr& vip, size_t node, TimePoint at) {
    auto it = announcing.find({vip, node});
    if (it == announcing.end()) return;
    const Duration d = at - it->second;
    r.failover_time += d;
    if (d > r.longest_failover) r.longest_failover = d;
    announcing.erase(it);
  };
  auto drain = [&] {
    for (const harness::TraceEntry& e : cluster.h().trace().entries()) {
      if (!e.node) continue;
      const size_t node = index.at(e.node_name);
      if (const auto* a = std::get_if<core::VipAnnounced>(&e.fact)) {
        if (owner.at(a->vip) != node && !announcing.count({a->vip, node})) {
          ++r.failovers;
          announcing.emplace(std::make_pair(a->vip, node), e.at);
        }
      } else if (const auto* w = std::get_if<core::VipWithdrawn>(&e.fact)) {
        close(w->vip, node, e.at);
      } else if (const auto* s = std::get_if<core::SessionStateChanged>(&e.fact)) {
        if (s->protocol != "membership") continue;
        std::string& held = view[{node, s->peer}];
        if (held.empty()) held = "alive";
        if (held == s->to) continue;
        if (held == "suspect") --suspected_by[s->peer];
        if (held == "dead") --dead_by[s->peer];
        if (s->to == "suspect") {
          ++r.suspect_transitions;
          if (suspected_by[s->peer]++ == 0) ++r.suspicion_episodes;
        }
        if (s->to == "dead") {
          ++r.dead_transitions;
          if (dead_by[s->peer]++ == 0) ++r.dead_episodes;
        }
        held = s->to;
      }
    }
    cluster.h().trace().Clear();
  };
  const TimePoint end = start + c.duration;
  uint64_t sent0 = 0;
  for (size_t i = 0; i < n; ++i) sent0 += cluster.DatagramsSent(i);
  while (cluster.now() < end) {
    const TimePoint step = cluster.now() + Duration::Seconds(10);
    cluster.h().RunUntil(step < end ? step : end);
    drain();
  }
  uint64_t sent = 0;
  for (size_t i = 0; i < n; ++i) sent += cluster.DatagramsSent(i);
  r.datagrams_per_node_per_s = static_cast<double>(sent - sent0) / static_cast<double>(n) /
                               (cluster.now() - start).ToSecondsDouble();

  // Heal: after 30 s without loss, every VIP must have exactly its owner.
  cluster.h().SetLinkModel("lan", clean);
  cluster.RunFor(Duration::Seconds(30));
  drain();
  r.converged_after = true;
  for (const auto& [vip, node] : owner) {
    const std::vector<size_t> a = cluster.Announcers(vip);
    r.converged_after = r.converged_after && a.size() == 1 && a.front() == node;
  }
  for (const auto& [key, since] : std::map(announcing)) close(key.first, key.second, cluster.now());
  for (size_t i = 0; i < n; ++i) {
    r.refutations += cluster.speaker(i).membership().metrics().refutations();
    r.probe_failures += cluster.speaker(i).membership().metrics().probe_failures();
  }
  r.refutations -= refutations0;
  r.probe_failures -= failures0;
  return r;
}

}  // namespace vipcast::measure
