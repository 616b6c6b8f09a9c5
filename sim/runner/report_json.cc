#include "sim/runner/report_json.h"

namespace vipcast::sim {

namespace {

using Json = nlohmann::ordered_json;

double S(core::Duration d) { return d.ToSecondsDouble(); }

Json Run(const RunResult& run) {
  Json j;
  j["seed"] = run.seed;
  j["verdict"] = run.passed() ? "pass" : "fail";
  Json checks = Json::array();
  for (const CheckResult& c : run.checks) {
    Json e;
    e["expect"] = c.text;
    e["line"] = c.line;
    e["pass"] = c.pass;
    e["measured"] = c.measured;
    e["value"] = c.value ? Json(*c.value) : Json(nullptr);
    e["unit"] = c.unit;
    checks.push_back(std::move(e));
  }
  j["expectations"] = std::move(checks);
  Json probes = Json::array();
  for (const ProbeStats& p : run.probes) {
    Json e;
    e["name"] = p.name;
    e["sent"] = p.sent;
    e["answered"] = p.answered;
    e["loss"] = p.loss;
    e["max_outage_s"] = S(p.max_outage);
    e["max_outage_from_s"] = p.max_outage_from ? Json(S(*p.max_outage_from)) : Json(nullptr);
    e["answered_by"] = p.answered_by;
    e["first_answered_s"] = p.first_answered ? Json(S(*p.first_answered)) : Json(nullptr);
    e["not_counted_before_first_answer"] = p.before_first_answer;
    probes.push_back(std::move(e));
  }
  j["probes"] = std::move(probes);
  Json faults = Json::array();
  for (const FiredFault& f : run.faults) {
    Json e;
    e["at_s"] = S(f.at);
    e["fault"] = f.text;
    e["host"] = f.host;
    e["note"] = f.note;
    faults.push_back(std::move(e));
  }
  j["faults"] = std::move(faults);
  Json history = Json::array();
  for (const AnnouncerChange& a : run.announcers) {
    Json e;
    e["at_s"] = S(a.at);
    e["service"] = a.service;
    e["announcers"] = a.announcers;
    history.push_back(std::move(e));
  }
  j["announcers"] = std::move(history);
  Json failovers = Json::array();
  for (const Failover& f : run.failovers) {
    Json e;
    e["at_s"] = S(f.at);
    e["service"] = f.service;
    e["from"] = f.from;
    e["to"] = f.to;
    e["spurious"] = f.spurious;
    e["initial"] = f.initial;
    failovers.push_back(std::move(e));
  }
  j["failovers"] = std::move(failovers);
  Json sessions = Json::array();
  for (const BgpSessionCount& c : run.bgp_sessions) {
    Json e;
    e["at_s"] = S(c.at);
    e["router"] = c.router;
    e["established"] = c.established;
    sessions.push_back(std::move(e));
  }
  j["bgp_sessions"] = std::move(sessions);
  Json routes = Json::array();
  for (const RouteState& s : run.routes) {
    Json e;
    e["at_s"] = S(s.at);
    e["router"] = s.router;
    e["prefix"] = s.prefix;
    e["nexthops"] = s.nexthops;
    routes.push_back(std::move(e));
  }
  j["routes"] = std::move(routes);
  Json assignments = Json::object();
  for (const auto& [service, ip] : run.assignments) {
    assignments[service] = ip ? ip->ToString() : "pending";
  }
  j["assignments"] = std::move(assignments);
  return j;
}

const char* KindName(TimelineEvent::Kind kind) {
  switch (kind) {
    case TimelineEvent::Kind::kVipAnnounced:
      return "vip-announced";
    case TimelineEvent::Kind::kVipWithdrawn:
      return "vip-withdrawn";
    case TimelineEvent::Kind::kSession:
      return "session";
    case TimelineEvent::Kind::kProbeSent:
      return "probe-sent";
    case TimelineEvent::Kind::kProbeAnswered:
      return "probe-answered";
    case TimelineEvent::Kind::kFault:
      return "fault";
    case TimelineEvent::Kind::kAssignment:
      return "assignment";
    case TimelineEvent::Kind::kRoute:
      return "route";
  }
  return "unknown";
}

}  // namespace

Json ReportJson(const Scenario& scenario, const std::vector<RunResult>& runs) {
  Json j;
  j["scenario"] = scenario.name;
  j["file"] = scenario.file;
  j["description"] = scenario.description;
  j["topology"] = scenario.topology.kind;
  j["nodes"] = scenario.topology.nodes;
  j["clients"] = scenario.topology.clients;
  j["profile"] = scenario.profile;
  j["duration_s"] = S(scenario.duration);
  bool all = true;
  for (const RunResult& r : runs) all = all && r.passed();
  j["verdict"] = all ? "pass" : "fail";
  if (runs.size() == 1) {
    j["run"] = Run(runs.front());
    return j;
  }
  j["seeds"] = {runs.front().seed, runs.back().seed};
  Json stats = Json::array();
  for (const SweepStat& s : SweepStatistics(scenario, runs)) {
    Json e;
    e["expect"] = s.text;
    e["passed"] = s.passed;
    e["runs"] = s.runs;
    e["p50"] = s.p50 ? Json(*s.p50) : Json(nullptr);
    e["p99"] = s.p99 ? Json(*s.p99) : Json(nullptr);
    e["max"] = s.max ? Json(*s.max) : Json(nullptr);
    e["unit"] = s.unit;
    stats.push_back(std::move(e));
  }
  j["statistics"] = std::move(stats);
  Json all_runs = Json::array();
  for (const RunResult& r : runs) all_runs.push_back(Run(r));
  j["runs"] = std::move(all_runs);
  return j;
}

std::string TraceJsonLines(const std::vector<TimelineEvent>& timeline) {
  std::string out;
  for (const TimelineEvent& e : timeline) {
    Json j;
    j["t_ns"] = e.at.nanoseconds();
    j["kind"] = KindName(e.kind);
    if (!e.host.empty()) j["host"] = e.host;
    if (!e.service.empty()) j["service"] = e.service;
    if (e.vip) j["vip"] = e.vip->ToString();
    if (e.kind == TimelineEvent::Kind::kProbeSent ||
        e.kind == TimelineEvent::Kind::kProbeAnswered) {
      j["seq"] = e.seq;
    }
    if (!e.detail.empty()) j["detail"] = e.detail;
    out += j.dump();
    out += '\n';
  }
  return out;
}

}  // namespace vipcast::sim
