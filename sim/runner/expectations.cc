#include "sim/runner/expectations.h"

#include <algorithm>
#include <cinttypes>
#include <cstdio>
#include <map>

#include "engine/wire/bgp/overloaded.h"

namespace vipcast::sim {

namespace {

double Seconds(core::Duration d) { return d.ToSecondsDouble(); }

const ProbeStats* FindProbe(const RunResult& run, const std::string& name) {
  for (const auto& p : run.probes) {
    if (p.name == name) return &p;
  }
  return nullptr;
}

std::string Percent(double fraction) {
  char buf[32];
  std::snprintf(buf, sizeof buf, "%.2f%%", fraction * 100.0);
  return buf;
}

CheckResult CheckMaxOutage(const MaxOutage& e, const CheckInputs& in) {
  CheckResult r;
  r.unit = "s";
  const ProbeStats* p = FindProbe(in.run, e.traffic);
  if (p == nullptr || p->sent == 0) {
    r.measured = "no probe was sent (the service never got an address?)";
    return r;
  }
  r.value = Seconds(p->max_outage);
  r.measured = FormatDuration(p->max_outage);
  if (p->max_outage_from) r.measured += " from " + FormatDuration(*p->max_outage_from);
  r.pass = p->max_outage <= e.limit;
  return r;
}

CheckResult CheckMaxLoss(const MaxLoss& e, const CheckInputs& in) {
  CheckResult r;
  r.unit = "fraction";
  const ProbeStats* p = FindProbe(in.run, e.traffic);
  if (p == nullptr || p->sent == 0) {
    r.measured = "no probe was sent (the service never got an address?)";
    return r;
  }
  r.value = p->loss;
  r.measured = Percent(p->loss) + " (" + std::to_string(p->sent - p->answered) + " of " +
               std::to_string(p->sent) + ")";
  r.pass = p->loss <= e.limit;
  return r;
}

CheckResult CheckAnnouncers(const Announcers& e, const CheckInputs& in) {
  CheckResult r;
  r.unit = "count";
  // The counts from `from` to the end: the set at `from`, then every change.
  size_t lo = AnnouncersAt(in.run.announcers, e.service, e.from).size();
  size_t hi = lo;
  for (const AnnouncerChange& c : in.run.announcers) {
    if (c.service != e.service || c.at <= e.from || c.at > in.end) continue;
    lo = std::min(lo, c.announcers.size());
    hi = std::max(hi, c.announcers.size());
  }
  r.value = static_cast<double>(e.exactly ? (lo != *e.exactly ? lo : hi) : hi);
  r.measured = lo == hi ? std::to_string(lo) + " throughout"
                        : "between " + std::to_string(lo) + " and " + std::to_string(hi);
  if (e.exactly) r.pass = lo == *e.exactly && hi == *e.exactly;
  if (e.at_most) r.pass = hi <= *e.at_most;
  return r;
}

CheckResult CheckConverged(const ConvergedWithin& e, const CheckInputs& in) {
  CheckResult r;
  r.unit = "s";
  // After each fault that can move a VIP, until the next one: the time of
  // the last announcer change; and at the end, every assigned service with
  // exactly one announcer.
  std::vector<core::Duration> starts;
  for (const FiredFault& f : in.run.faults) {
    if (f.justifies_failover) starts.push_back(f.at);
  }
  if (starts.empty()) {
    r.pass = true;
    r.value = 0;
    r.measured = "no fault to converge from";
    return r;
  }
  core::Duration worst = core::Duration::Zero();
  std::string unsettled;
  for (size_t i = 0; i < starts.size(); ++i) {
    const core::Duration from = starts[i];
    const core::Duration to = i + 1 < starts.size() ? starts[i + 1] : in.end;
    core::Duration settle = core::Duration::Zero();
    for (const AnnouncerChange& c : in.run.announcers) {
      if (c.at >= from && c.at < to) settle = std::max(settle, c.at - from);
    }
    worst = std::max(worst, settle);
    // Only the final state must have one announcer per service: between
    // faults a partition legitimately has one per side.
    for (const auto& [service, vip] : in.run.assignments) {
      if (!vip || i + 1 != starts.size()) continue;
      const size_t n =
          AnnouncersAt(in.run.announcers, service, to - core::Duration::Nanoseconds(1)).size();
      if (n != 1 && unsettled.empty()) {
        unsettled =
            service + " had " + std::to_string(n) + " announcers before " + FormatDuration(to);
      }
    }
  }
  r.value = Seconds(worst);
  r.measured = FormatDuration(worst) + " (slowest of " + std::to_string(starts.size()) +
               (starts.size() == 1 ? " fault)" : " faults)");
  if (!unsettled.empty()) r.measured += "; " + unsettled;
  r.pass = worst <= e.limit && unsettled.empty();
  return r;
}

CheckResult CheckNoSpurious(const CheckInputs& in) {
  CheckResult r;
  r.unit = "count";
  size_t spurious = 0;
  std::string first;
  for (const Failover& f : in.run.failovers) {
    if (!f.spurious) continue;
    if (spurious++ == 0) {
      first = ": " + f.service + " " + f.from + " -> " + f.to + " at " + FormatDuration(f.at);
    }
  }
  r.value = static_cast<double>(spurious);
  r.measured = std::to_string(spurious) + " spurious of " +
               std::to_string(in.run.failovers.size()) + " failovers" + first;
  r.pass = spurious == 0;
  return r;
}

std::string JoinHosts(const std::vector<std::string>& hosts) {
  if (hosts.empty()) return "none";
  std::string out;
  for (const std::string& h : hosts) out += (out.empty() ? "" : ",") + h;
  return out;
}

CheckResult CheckBgpSessions(const BgpSessions& e, const CheckInputs& in) {
  CheckResult r;
  r.unit = "count";
  // The count at `from` (0 before any session came up), then every change
  // up to the end, as for announcers.
  size_t at_from = 0;
  for (const BgpSessionCount& c : in.run.bgp_sessions) {
    if (c.router == e.router && c.at <= e.from) at_from = c.established;
  }
  size_t lo = at_from, hi = at_from;
  std::string first_off;
  for (const BgpSessionCount& c : in.run.bgp_sessions) {
    if (c.router != e.router || c.at <= e.from || c.at > in.end) continue;
    lo = std::min(lo, c.established);
    hi = std::max(hi, c.established);
    if (c.established != e.established && first_off.empty()) {
      first_off = "; " + std::to_string(c.established) + " at " + FormatDuration(c.at);
    }
  }
  r.value = static_cast<double>(lo != e.established ? lo : hi);
  r.measured = (lo == hi ? std::to_string(lo) + " throughout"
                         : "between " + std::to_string(lo) + " and " + std::to_string(hi)) +
               first_off;
  r.pass = lo == e.established && hi == e.established;
  return r;
}

CheckResult CheckRoutes(const Routes& e, const CheckInputs& in) {
  CheckResult r;
  r.unit = "count";
  std::vector<std::string> want = e.nexthops;
  std::sort(want.begin(), want.end());
  const std::string prefix = e.prefix.ToString();
  std::vector<std::string> at_from;
  for (const RouteState& s : in.run.routes) {
    if (s.router == e.router && s.prefix == prefix && s.at <= e.from) at_from = s.nexthops;
  }
  std::string measured = JoinHosts(at_from);
  bool ok = at_from == want;
  std::vector<std::string> last = at_from;
  size_t changes = 0;
  for (const RouteState& s : in.run.routes) {
    if (s.router != e.router || s.prefix != prefix || s.at <= e.from || s.at > in.end) continue;
    if (s.nexthops == last) continue;
    last = s.nexthops;
    ++changes;
    if (s.nexthops != want && ok) {
      ok = false;
      measured += "; " + JoinHosts(s.nexthops) + " at " + FormatDuration(s.at);
    }
  }
  r.value = static_cast<double>(last.size());
  r.measured = changes == 0 && ok ? measured + " throughout" : measured;
  if (changes != 0 && ok)
    r.measured += " (" + std::to_string(changes) + " changes, each as expected)";
  r.pass = ok;
  return r;
}

CheckResult CheckAssignments(const Assignments& e, const CheckInputs& in) {
  CheckResult r;
  r.pass = true;
  std::string measured;
  for (const auto& [service, want] : e.expected) {
    const auto it = in.run.assignments.find(service);
    const std::optional<core::IpAddr> got =
        it == in.run.assignments.end() ? std::nullopt : it->second;
    if (!measured.empty()) measured += ", ";
    measured += service + "=" + (got ? got->ToString() : "pending");
    if (got != want) r.pass = false;
  }
  r.measured = measured;
  return r;
}

}  // namespace

std::string FormatDuration(core::Duration d) {
  const int64_t ms = (d.nanoseconds() + 500'000) / 1'000'000;
  char buf[48];
  if (ms < 10'000) {
    std::snprintf(buf, sizeof buf, "%" PRId64 " ms", ms);
  } else {
    std::snprintf(buf, sizeof buf, "%.2f s", static_cast<double>(ms) / 1000.0);
  }
  return buf;
}

std::set<std::string> AnnouncersAt(const std::vector<AnnouncerChange>& history,
                                   const std::string& service, core::Duration at) {
  std::set<std::string> current;
  for (const AnnouncerChange& c : history) {
    if (c.at > at) break;
    if (c.service == service) current = c.announcers;
  }
  return current;
}

CheckResult Evaluate(const Expectation& expectation, const CheckInputs& in) {
  CheckResult r = std::visit(wire::bgp::Overloaded{
                                 [&](const MaxOutage& e) { return CheckMaxOutage(e, in); },
                                 [&](const MaxLoss& e) { return CheckMaxLoss(e, in); },
                                 [&](const Announcers& e) { return CheckAnnouncers(e, in); },
                                 [&](const ConvergedWithin& e) { return CheckConverged(e, in); },
                                 [&](const NoSpuriousFailover&) { return CheckNoSpurious(in); },
                                 [&](const Assignments& e) { return CheckAssignments(e, in); },
                                 [&](const BgpSessions& e) { return CheckBgpSessions(e, in); },
                                 [&](const Routes& e) { return CheckRoutes(e, in); },
                             },
                             expectation.check);
  r.text = expectation.text;
  r.line = expectation.line;
  return r;
}

}  // namespace vipcast::sim
