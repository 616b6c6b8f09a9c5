#include "sim/runner/analysis.h"

#include <algorithm>
#include <map>
#include <set>
#include <sstream>

namespace vipcast::sim {

namespace {
core::Duration Since0(core::TimePoint t) { return t.SinceEpoch(); }

// Routers of bgp-router ("router-<r>") and leaf-spine ("spine-<s>",
// "leaf-<l>"); nodes and clients are not.
bool IsRouterHost(const std::string& host) {
  return host.rfind("router-", 0) == 0 || host.rfind("spine-", 0) == 0 ||
         host.rfind("leaf-", 0) == 0;
}

// A BGP advertisement or withdrawal (world.h: detail "bgp" / "bgp <reason>").
bool IsBgpEvent(const TimelineEvent& e) {
  return e.detail == "bgp" || e.detail.rfind("bgp ", 0) == 0;
}
}  // namespace

ProbeStats AnalyzeProbe(const std::vector<TimelineEvent>& timeline, const std::string& probe,
                        core::Duration end) {
  ProbeStats stats;
  stats.name = probe;
  // seq -> send time, answered?
  std::map<uint64_t, std::pair<core::Duration, bool>> sends;
  std::set<std::string> seen_answerers;
  core::Duration last_answer = core::Duration::Zero();
  bool any_answered = false;
  for (const TimelineEvent& e : timeline) {
    if (e.detail != probe) continue;
    if (e.kind == TimelineEvent::Kind::kProbeSent) {
      sends.emplace(e.seq, std::make_pair(Since0(e.at), false));
    } else if (e.kind == TimelineEvent::Kind::kProbeAnswered) {
      auto it = sends.find(e.seq);
      if (it == sends.end() || it->second.second) continue;           // duplicate answer
      if (Since0(e.at) - it->second.first > kProbeTimeout) continue;  // too late
      it->second.second = true;
      last_answer = std::max(last_answer, Since0(e.at));
      any_answered = true;
      if (seen_answerers.insert(e.host).second) stats.answered_by.push_back(e.host);
    }
  }
  std::optional<core::Duration> outage_start;
  auto close_outage = [&](core::Duration until) {
    if (!outage_start) return;
    const core::Duration length = until - *outage_start;
    if (length > stats.max_outage) {
      stats.max_outage = length;
      stats.max_outage_from = *outage_start;
    }
    outage_start.reset();
  };
  for (const auto& [seq, send] : sends) {
    const auto [at, answered] = send;
    if (!answered && at > last_answer && at + kProbeGrace > end) continue;  // still in flight
    if (answered && !stats.first_answered) stats.first_answered = at;
    // Before the service first answered it was starting up, not failing.
    if (!answered && !stats.first_answered && any_answered) {
      ++stats.before_first_answer;
      continue;
    }
    ++stats.sent;
    if (answered) {
      ++stats.answered;
      close_outage(at);
    } else if (!outage_start) {
      outage_start = at;
    }
  }
  close_outage(end);
  stats.loss = stats.sent == 0 ? 0.0
                               : static_cast<double>(stats.sent - stats.answered) /
                                     static_cast<double>(stats.sent);
  return stats;
}

std::vector<AnnouncerChange> AnnouncerHistory(const std::vector<TimelineEvent>& timeline,
                                              const std::vector<FiredFault>& faults,
                                              bool layer2_only) {
  // Merge the facts and the engine-ending faults in time order; at equal
  // times the facts come first, so a crash removes everything announced up
  // to its instant.
  struct Step {
    core::Duration at;
    int order;  // 0 = fact, 1 = fault
    size_t index;
  };
  std::vector<Step> steps;
  for (size_t i = 0; i < timeline.size(); ++i) {
    const auto kind = timeline[i].kind;
    if (kind == TimelineEvent::Kind::kVipAnnounced || kind == TimelineEvent::Kind::kVipWithdrawn) {
      if (layer2_only && IsBgpEvent(timeline[i])) continue;
      steps.push_back({Since0(timeline[i].at), 0, i});
    }
  }
  for (size_t i = 0; i < faults.size(); ++i) {
    if ((faults[i].kind == "crash" || faults[i].kind == "speaker_kill") &&
        !faults[i].host.empty()) {
      steps.push_back({faults[i].at, 1, i});
    }
  }
  std::stable_sort(steps.begin(), steps.end(), [](const Step& a, const Step& b) {
    return a.at != b.at ? a.at < b.at : a.order < b.order;
  });

  // service -> node -> number of (VIP, interface) announcements held.
  std::map<std::string, std::map<std::string, int>> held;
  std::map<std::string, std::set<std::string>> current;
  std::vector<AnnouncerChange> history;
  auto publish = [&](core::Duration at, const std::string& service) {
    std::set<std::string> now;
    for (const auto& [node, count] : held[service]) {
      if (count > 0) now.insert(node);
    }
    if (now == current[service]) return;
    current[service] = now;
    history.push_back({at, service, now});
  };
  for (const Step& step : steps) {
    if (step.order == 0) {
      const TimelineEvent& e = timeline[step.index];
      int& count = held[e.service][e.host];
      count += e.kind == TimelineEvent::Kind::kVipAnnounced ? 1 : -1;
      if (count < 0) count = 0;
      publish(step.at, e.service);
    } else {
      const std::string& host = faults[step.index].host;
      for (auto& [service, nodes] : held) {
        if (nodes.erase(host) != 0) publish(step.at, service);
      }
    }
  }
  return history;
}

std::optional<core::Duration> ClusterFormedAt(const std::vector<TimelineEvent>& timeline) {
  // host -> peers it has heard of alive at least once.
  std::map<std::string, std::set<std::string>> heard;
  std::set<std::string> members;
  for (const TimelineEvent& e : timeline) {
    if (e.kind != TimelineEvent::Kind::kSession || e.detail.rfind("membership ", 0) != 0) continue;
    members.insert(e.host);
    std::istringstream words(e.detail);
    std::string protocol, peer, change;
    words >> protocol >> peer >> change;
    members.insert(peer);
  }
  if (members.size() < 2) return std::nullopt;
  size_t complete = 0;
  for (const TimelineEvent& e : timeline) {
    if (e.kind != TimelineEvent::Kind::kSession || e.detail.rfind("membership ", 0) != 0) continue;
    std::istringstream words(e.detail);
    std::string protocol, peer, change;
    words >> protocol >> peer >> change;
    const std::string alive = "->alive";
    if (change.size() < alive.size() ||
        change.compare(change.size() - alive.size(), alive.size(), alive) != 0) {
      continue;
    }
    std::set<std::string>& peers = heard[e.host];
    if (!peers.insert(peer).second) continue;
    if (peers.size() == members.size() - 1 && ++complete == members.size()) return Since0(e.at);
  }
  return std::nullopt;
}

std::vector<Failover> Failovers(const std::vector<AnnouncerChange>& history,
                                const std::vector<FiredFault>& faults,
                                std::optional<core::Duration> formed_at) {
  std::vector<Failover> out;
  std::map<std::string, std::set<std::string>> previous;
  std::map<std::string, std::string> last_owner;
  for (const AnnouncerChange& change : history) {
    std::set<std::string>& before = previous[change.service];
    for (const std::string& node : change.announcers) {
      if (before.count(node) != 0) continue;  // not new
      auto owner = last_owner.find(change.service);
      if (owner != last_owner.end() && owner->second != node) {
        Failover f{change.at, change.service, owner->second, node, true};
        if (formed_at.has_value() && change.at < *formed_at) {
          f.initial = true;
          f.spurious = false;
        }
        for (const FiredFault& fault : faults) {
          if (fault.justifies_failover && fault.at <= change.at &&
              change.at - fault.at <= kFailoverExplainWindow) {
            f.spurious = false;
          }
        }
        out.push_back(std::move(f));
      }
      last_owner[change.service] = node;
    }
    before = change.announcers;
  }
  return out;
}

std::vector<BgpSessionCount> RouterSessionHistory(const std::vector<TimelineEvent>& timeline) {
  // router -> peer -> Established?
  std::map<std::string, std::map<std::string, bool>> established;
  std::map<std::string, size_t> count;
  std::vector<BgpSessionCount> out;
  for (const TimelineEvent& e : timeline) {
    if (e.kind != TimelineEvent::Kind::kSession || !IsRouterHost(e.host)) continue;
    // "bgp <peer> <from>-><to> <reason...>"
    std::istringstream words(e.detail);
    std::string protocol, peer, transition;
    words >> protocol >> peer >> transition;
    const size_t arrow = transition.find("->");
    if (protocol != "bgp" || arrow == std::string::npos) continue;
    established[e.host][peer] = transition.substr(arrow + 2) == "Established";
    size_t n = 0;
    for (const auto& [name, up] : established[e.host]) n += up ? 1 : 0;
    auto it = count.find(e.host);
    if (it != count.end() && it->second == n) continue;
    count[e.host] = n;
    out.push_back({Since0(e.at), e.host, n});
  }
  return out;
}

std::vector<RouteState> RouteHistory(const std::vector<TimelineEvent>& timeline) {
  std::vector<RouteState> out;
  for (const TimelineEvent& e : timeline) {
    if (e.kind != TimelineEvent::Kind::kRoute) continue;
    RouteState state{Since0(e.at), e.host, e.service, {}};
    std::istringstream hops(e.detail);
    for (std::string hop; std::getline(hops, hop, ',');) {
      if (!hop.empty()) state.nexthops.push_back(hop);
    }
    out.push_back(std::move(state));
  }
  return out;
}

}  // namespace vipcast::sim
