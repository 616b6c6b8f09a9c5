#include "sim/runner/report.h"

#include <sys/wait.h>

#include <algorithm>
#include <cctype>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>

#include "sim/runner/analysis.h"
#include "sim/runner/expectations.h"
#include "sim/runner/plot.h"
#include "sim/runner/report_json.h"

namespace vipcast::sim {

namespace {

namespace fs = std::filesystem;

std::string FormatValue(std::optional<double> v, const std::string& unit) {
  if (!v) return "-";
  char buf[48];
  if (unit == "s")
    return FormatDuration(core::Duration::Nanoseconds(static_cast<int64_t>(*v * 1e9)));
  if (unit == "fraction") {
    std::snprintf(buf, sizeof buf, "%.2f%%", *v * 100);
    return buf;
  }
  std::snprintf(buf, sizeof buf, "%g", *v);
  return buf;
}

// Markdown table cell: pipes escaped, newlines flattened.
std::string Cell(const std::string& s) {
  std::string out;
  for (char c : s) {
    if (c == '|') {
      out += "\\|";
    } else if (c == '\n') {
      out += ' ';
    } else {
      out += c;
    }
  }
  return out;
}

std::string Header(const Scenario& s) {
  std::string md = "# vipcast-sim report: " + s.name + "\n\n";
  std::string description = s.description;
  while (!description.empty() && std::isspace(static_cast<unsigned char>(description.back()))) {
    description.pop_back();
  }
  if (!description.empty()) md += description + "\n\n";
  md += "- scenario file: `" + s.file + "`\n";
  md += "- topology: " + s.topology.kind + ", " + std::to_string(s.topology.nodes) +
        " nodes, clients: " + std::to_string(s.topology.clients) + ", client ARP " +
        (s.topology.client_arp == ClientArp::kLinux ? "linux" : "ignore-garp") +
        " (cache timeout " + s.topology.client_arp_timeout.ToString() + ")\n";
  md += "- speaker profile: " + s.profile + "\n";
  md += "- duration: " + s.duration.ToString() + " simulated\n";
  return md;
}

std::string SingleRunMarkdown(const Scenario& s, const RunResult& r) {
  std::string md = Header(s);
  md += "- seed: " + std::to_string(r.seed) + "\n";
  md += "- verdict: **" + std::string(r.passed() ? "pass" : "FAIL") + "**\n\n";
  md += "## Expectations\n\n| expectation | measured | verdict |\n|---|---|---|\n";
  for (const CheckResult& c : r.checks) {
    md += "| `" + Cell(c.text) + "` | " + Cell(c.measured) + " | " +
          (c.pass ? "pass" : "**FAIL**") + " |\n";
  }
  md +=
      "\n## Traffic\n\nCounted from each probe's first answer (before it the cluster was "
      "starting); an answer counts when it arrives within " +
      FormatDuration(kProbeTimeout) +
      ".\n\n| probe | first answer | sent | answered | lost | longest outage | "
      "answered by |\n|---|---|---|---|---|---|---|\n";
  for (const ProbeStats& p : r.probes) {
    std::string by;
    for (const auto& h : p.answered_by) by += (by.empty() ? "" : ", ") + h;
    md += "| " + p.name + " | " + (p.first_answered ? FormatDuration(*p.first_answered) : "never") +
          " | " + std::to_string(p.sent) + " | " + std::to_string(p.answered) + " | " +
          std::to_string(p.sent - p.answered) + " | " + FormatDuration(p.max_outage) +
          (p.max_outage_from ? " from " + FormatDuration(*p.max_outage_from) : "") + " | " + by +
          " |\n";
  }
  if (s.topology.client_arp == ClientArp::kIgnoreGarp) {
    md +=
        "\nThe clients ignore gratuitous ARP: after a failover they keep sending to the old "
        "owner's MAC until their ARP cache entry expires (" +
        s.topology.client_arp_timeout.ToString() +
        "), so an outage is bounded by that timeout, not by vipcast's failover time.\n";
  }
  md += "\n## Fault timeline\n\n| time | fault | acted on | note |\n|---|---|---|---|\n";
  for (const FiredFault& f : r.faults) {
    md += "| " + FormatDuration(f.at) + " | `" + Cell(f.text) + "` | " + f.host + " | " +
          Cell(f.note) + " |\n";
  }
  if (r.faults.empty()) md += "| - | none | | |\n";
  md += "\n## Announcers\n\n| time | service | VIP | announcers |\n|---|---|---|---|\n";
  for (const AnnouncerChange& a : r.announcers) {
    std::string who;
    for (const auto& h : a.announcers) who += (who.empty() ? "" : ", ") + h;
    const auto vip = r.assignments.find(a.service);
    md += "| " + FormatDuration(a.at) + " | " + a.service + " | " +
          (vip != r.assignments.end() && vip->second ? vip->second->ToString() : "-") + " | " +
          (who.empty() ? "none" : who) + " |\n";
  }
  md += "\n## Failovers\n\n";
  if (r.failovers.empty()) md += "None.\n";
  for (const Failover& f : r.failovers) {
    md += "- " + FormatDuration(f.at) + ": " + f.service + " " + f.from + " -> " + f.to +
          (f.spurious ? " (**spurious**: no fault in the preceding " +
                            FormatDuration(kFailoverExplainWindow) + ")"
                      : "") +
          (f.initial ? " (while the cluster was still forming)" : "") + "\n";
  }
  if (!r.bgp_sessions.empty() || !r.routes.empty()) {
    md +=
        "\n## Routers\n\nEstablished BGP sessions and FIB next hops (ECMP, per flow) as "
        "they changed.\n\n| time | router | change |\n|---|---|---|\n";
    // Both histories are in time order; merge them for one table.
    size_t i = 0, k = 0;
    while (i < r.bgp_sessions.size() || k < r.routes.size()) {
      const bool session = k == r.routes.size() ||
                           (i < r.bgp_sessions.size() && r.bgp_sessions[i].at <= r.routes[k].at);
      if (session) {
        const BgpSessionCount& c = r.bgp_sessions[i++];
        md += "| " + FormatDuration(c.at) + " | " + c.router + " | " +
              std::to_string(c.established) + (c.established == 1 ? " session" : " sessions") +
              " established |\n";
      } else {
        const RouteState& s = r.routes[k++];
        std::string hops;
        for (const auto& h : s.nexthops) hops += (hops.empty() ? "" : ", ") + h;
        md += "| " + FormatDuration(s.at) + " | " + s.router + " | " + s.prefix + " via " +
              (hops.empty() ? "nothing (withdrawn)" : hops) + " |\n";
      }
    }
  }
  md += "\n## Assignments (controller)\n\n";
  for (const auto& [service, ip] : r.assignments) {
    md += "- " + service + ": " + (ip ? ip->ToString() : "pending") + "\n";
  }
  md +=
      "\n![timeline](timeline.svg)\n\nFiles: report.json (the same, machine readable), "
      "trace.jsonl (every event of the run), timeline.dat + timeline.gp (the plot's data and "
      "gnuplot script).\n";
  return md;
}

std::string SweepMarkdown(const Scenario& s, const std::vector<RunResult>& runs) {
  std::string md = Header(s);
  md += "- seeds: " + std::to_string(runs.front().seed) + "-" + std::to_string(runs.back().seed) +
        " (" + std::to_string(runs.size()) + " runs)\n";
  size_t passed = 0;
  for (const auto& r : runs) passed += r.passed() ? 1 : 0;
  md += "- verdict: **" + std::string(passed == runs.size() ? "pass" : "FAIL") + "** (" +
        std::to_string(passed) + " of " + std::to_string(runs.size()) + " runs passed)\n\n";
  md +=
      "## Expectations over the seeds\n\n| expectation | p50 | p99 | max | passed |\n"
      "|---|---|---|---|---|\n";
  for (const SweepStat& st : SweepStatistics(s, runs)) {
    md += "| `" + Cell(st.text) + "` | " + FormatValue(st.p50, st.unit) + " | " +
          FormatValue(st.p99, st.unit) + " | " + FormatValue(st.max, st.unit) + " | " +
          std::to_string(st.passed) + "/" + std::to_string(st.runs) + " |\n";
  }
  md += "\n## Failed runs\n\n";
  bool any = false;
  for (const RunResult& r : runs) {
    for (const CheckResult& c : r.checks) {
      if (c.pass) continue;
      any = true;
      md += "- seed " + std::to_string(r.seed) + ": `" + c.text + "`: " + c.measured + "\n";
    }
  }
  if (!any) md += "None.\n";
  md +=
      "\nThe plot (timeline.svg) and trace.jsonl show the first seed; report.json has every "
      "run.\n";
  return md;
}

bool WriteFile(const fs::path& path, const std::string& content, std::vector<std::string>& errors) {
  std::ofstream f(path, std::ios::binary | std::ios::trunc);
  f << content;
  f.close();
  if (!f) {
    errors.push_back("cannot write " + path.string());
    return false;
  }
  return true;
}

}  // namespace

std::vector<std::string> WriteReport(const Scenario& scenario, const std::vector<RunResult>& runs,
                                     const RunOutput& detailed, const std::string& dir) {
  std::vector<std::string> errors;
  std::error_code ec;
  fs::create_directories(dir, ec);
  if (ec) return {"cannot create " + dir + ": " + ec.message()};
  const fs::path d(dir);
  WriteFile(
      d / "report.md",
      runs.size() == 1 ? SingleRunMarkdown(scenario, runs.front()) : SweepMarkdown(scenario, runs),
      errors);
  WriteFile(d / "report.json", ReportJson(scenario, runs).dump(2) + "\n", errors);
  WriteFile(d / "trace.jsonl", TraceJsonLines(detailed.timeline), errors);
  const PlotFiles plot = TimelinePlot(scenario, detailed);
  WriteFile(d / "timeline.dat", plot.data, errors);
  if (!WriteFile(d / "timeline.gp", plot.script, errors)) return errors;
  // gnuplot reads and writes relative to the report directory.
  const std::string cmd = "cd '" + d.string() + "' && gnuplot timeline.gp 2>gnuplot.err";
  const int status = std::system(cmd.c_str());
  if (status != 0) {
    const bool missing = WIFEXITED(status) && WEXITSTATUS(status) == 127;
    errors.push_back(missing ? "gnuplot not found: timeline.svg not drawn (install gnuplot-nox; "
                               "timeline.dat and timeline.gp are in " +
                                   dir + ")"
                             : "gnuplot failed drawing timeline.svg: see " + dir + "/gnuplot.err");
  } else {
    fs::remove(d / "gnuplot.err", ec);
  }
  return errors;
}

std::string SummaryTable(const Scenario& scenario, const std::vector<RunResult>& runs) {
  // Columns as wide as their longest cell, so long expectations stay aligned.
  std::vector<std::vector<std::string>> rows;
  if (runs.size() == 1) {
    rows.push_back({"expectation", "measured", "verdict"});
    for (const CheckResult& c : runs.front().checks) {
      rows.push_back({c.text, c.measured, c.pass ? "pass" : "FAIL"});
    }
  } else {
    rows.push_back({"expectation", "p50", "p99", "max", "passed"});
    for (const SweepStat& st : SweepStatistics(scenario, runs)) {
      rows.push_back({st.text, FormatValue(st.p50, st.unit), FormatValue(st.p99, st.unit),
                      FormatValue(st.max, st.unit),
                      std::to_string(st.passed) + "/" + std::to_string(st.runs)});
    }
  }
  std::vector<size_t> width(rows.front().size(), 0);
  for (const auto& row : rows) {
    for (size_t i = 0; i < row.size(); ++i) width[i] = std::max(width[i], row[i].size());
  }
  std::string out;
  for (const auto& row : rows) {
    std::string line;
    for (size_t i = 0; i < row.size(); ++i) {
      line += row[i];
      if (i + 1 < row.size()) line += std::string(width[i] - row[i].size() + 2, ' ');
    }
    out += line + "\n";
  }
  return out;
}

}  // namespace vipcast::sim
