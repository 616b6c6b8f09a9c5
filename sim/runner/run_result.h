// What one run of a scenario with one seed measured, in a form the
// expectation checks, the reports and the seed sweep share. Built from the
// World's timeline by analysis.h; holds no ns-3 types.
#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <set>
#include <string>
#include <vector>

#include "engine/core/ip.h"
#include "engine/core/time.h"

namespace vipcast::sim {

// A fault as it fired: the text written in the scenario and the host an
// `announcer(...)` reference resolved to (empty when it named nobody).
struct FiredFault {
  core::Duration at;  // since the scenario start
  std::string text;
  std::string kind;                // "crash", "speaker_kill", ... (the YAML key)
  std::string host;                // resolved host, if the fault names one
  bool justifies_failover = true;  // false for loss and delay
  std::string note;  // e.g. "announcer(default/web) had no announcer: nothing crashed"
};

struct ProbeStats {
  std::string name;
  uint64_t sent = 0;
  uint64_t answered = 0;
  double loss = 0;            // (sent - answered) / sent, 0 when nothing was sent
  core::Duration max_outage;  // longest run of unanswered probes, first loss to next answer
  std::optional<core::Duration> max_outage_from;  // when that outage began
  std::vector<std::string> answered_by;           // distinct answering hosts, in first-answer order
  // Sends before the first answered one (the cluster was starting: no
  // announcer yet, the client's first ARP unanswered) are not counted in
  // sent/loss/outage; a probe never answered counts every send.
  std::optional<core::Duration> first_answered;
  uint64_t before_first_answer = 0;
};

// The announcers of one service from `at` on.
struct AnnouncerChange {
  core::Duration at;
  std::string service;
  std::set<std::string> announcers;
};

// A service's VIP moving to another node.
struct Failover {
  core::Duration at;
  std::string service;
  std::string from;
  std::string to;
  bool spurious = false;  // no fault that could explain it in the preceding window
  bool initial = false;   // while the cluster was still forming (ClusterFormedAt)
};

// A router's count of Established BGP sessions from `at` on.
struct BgpSessionCount {
  core::Duration at;
  std::string router;
  size_t established = 0;
};

// A router's ECMP next hops (host names, sorted; empty: no route) for one
// prefix from `at` on.
struct RouteState {
  core::Duration at;
  std::string router;
  std::string prefix;  // core::Prefix::ToString()
  std::vector<std::string> nexthops;
};

struct CheckResult {
  std::string text;  // the expectation as written
  int line = 0;
  bool pass = false;
  std::string measured;         // human-readable, e.g. "312 ms", "1 throughout"
  std::optional<double> value;  // numeric value for the sweep statistics
  std::string unit;             // "s", "fraction", "count", ""
};

struct RunResult {
  uint64_t seed = 1;
  std::vector<FiredFault> faults;
  std::vector<ProbeStats> probes;
  std::vector<AnnouncerChange> announcers;  // time order
  std::vector<Failover> failovers;
  std::vector<BgpSessionCount> bgp_sessions;                       // time order, routers only
  std::vector<RouteState> routes;                                  // time order
  std::map<std::string, std::optional<core::IpAddr>> assignments;  // at the end
  std::vector<CheckResult> checks;
  bool passed() const {
    for (const auto& c : checks) {
      if (!c.pass) return false;
    }
    return true;
  }
};

}  // namespace vipcast::sim
