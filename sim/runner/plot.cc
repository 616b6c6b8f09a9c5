#include "sim/runner/plot.h"

#include <cstdio>
#include <map>
#include <set>

namespace vipcast::sim {

namespace {

std::string Num(double v) {
  char buf[40];
  std::snprintf(buf, sizeof buf, "%.6f", v);
  return buf;
}

// gnuplot string literal in double quotes.
std::string Quote(const std::string& s) {
  std::string out = "\"";
  for (char c : s) {
    if (c == '"' || c == '\\') out += '\\';
    out += c;
  }
  return out + "\"";
}

}  // namespace

PlotFiles TimelinePlot(const Scenario& scenario, const RunOutput& run) {
  // Hosts on the announcer axis in the order the world lists them.
  std::map<std::string, int> host_index;
  for (const std::string& h : run.hosts) {
    host_index.emplace(h, static_cast<int>(host_index.size()));
  }
  PlotFiles files;
  std::string& d = files.data;
  // Block per probe: send time, 1 answered / 0 lost.
  std::map<std::string, std::map<uint64_t, std::pair<double, bool>>> probes;
  for (const TimelineEvent& e : run.timeline) {
    if (e.kind == TimelineEvent::Kind::kProbeSent) {
      probes[e.detail][e.seq] = {e.at.SinceEpoch().ToSecondsDouble(), false};
    } else if (e.kind == TimelineEvent::Kind::kProbeAnswered) {
      auto& p = probes[e.detail];
      if (auto it = p.find(e.seq); it != p.end()) it->second.second = true;
    }
  }
  std::vector<std::string> probe_names;
  for (const Probe& p : scenario.traffic) {
    probe_names.push_back(p.name);
    d += "# probe " + p.name + "\n";
    for (const auto& [seq, sample] : probes[p.name]) {
      d += Num(sample.first) + " " + (sample.second ? "1" : "0") + "\n";
    }
    d += "\n\n";
  }
  // Block per service: step data of the announcer's host index (-1 = none,
  // the lowest index when several announce).
  std::vector<std::string> services;
  std::map<std::string, std::vector<std::pair<double, int>>> steps;
  for (const AnnouncerChange& c : run.result.announcers) {
    if (!steps.count(c.service)) services.push_back(c.service);
    int y = -1;
    if (!c.announcers.empty()) {
      auto it = host_index.find(*c.announcers.begin());
      y = it == host_index.end() ? -1 : it->second;
    }
    steps[c.service].push_back({c.at.ToSecondsDouble(), y});
  }
  const double end = scenario.duration.ToSecondsDouble();
  for (const std::string& s : services) {
    d += "# announcer " + s + "\n";
    for (const auto& [t, y] : steps[s]) d += Num(t) + " " + std::to_string(y) + "\n";
    d += Num(end) + " " + std::to_string(steps[s].back().second) + "\n\n\n";
  }

  std::string& g = files.script;
  g += "# vipcast-sim timeline of " + scenario.name + " (seed " + std::to_string(run.result.seed) +
       "); run: gnuplot timeline.gp\n";
  g += "set terminal svg size 1000,640 dynamic font 'sans,11'\n";
  g += "set output 'timeline.svg'\n";
  g += "set multiplot layout 2,1 title " +
       Quote(scenario.name + ", seed " + std::to_string(run.result.seed)) + "\n";
  g += "set xrange [0:" + Num(end) + "]\nset lmargin 14\n";
  for (const FiredFault& f : run.result.faults) {
    const std::string label = f.text + (f.host.empty() ? "" : " -> " + f.host);
    g += "set arrow from " + Num(f.at.ToSecondsDouble()) + ", graph 0 to " +
         Num(f.at.ToSecondsDouble()) + ", graph 1 nohead lc rgb 'red' dt 2\n";
    g += "set label " + Quote(label) + " at " + Num(f.at.ToSecondsDouble()) +
         ", graph 0.95 left offset 0.5,0 tc rgb 'red' font ',9'\n";
  }
  g += "set ylabel 'probe answered'\nset yrange [-0.2:1.2]\nset ytics ('lost' 0, 'ok' 1)\n";
  g += "set xlabel 'simulated time (s)'\nset key outside right\n";
  if (probe_names.empty()) {
    g += "plot NaN title 'no traffic'\n";
  } else {
    g += "plot ";
    for (size_t i = 0; i < probe_names.size(); ++i) {
      if (i) g += ", ";
      g += "'timeline.dat' index " + std::to_string(i) +
           " using 1:2 with points pt 7 ps 0.3 title " + Quote(probe_names[i]);
    }
    g += "\n";
  }
  g += "set ylabel 'announcer'\nset yrange [-1.5:" + std::to_string(host_index.size()) + "]\n";
  g += "set ytics (";
  g += "'none' -1";
  std::set<std::string> shown;  // only hosts that announced something: 1000 tics are noise
  for (const AnnouncerChange& c : run.result.announcers)
    shown.insert(c.announcers.begin(), c.announcers.end());
  for (const auto& [host, i] : host_index) {
    if (shown.count(host) != 0) g += ", " + Quote(host) + " " + std::to_string(i);
  }
  g += ")\n";
  if (services.empty()) {
    g += "plot NaN title 'no announcer'\n";
  } else {
    g += "plot ";
    for (size_t i = 0; i < services.size(); ++i) {
      if (i) g += ", ";
      g += "'timeline.dat' index " + std::to_string(probe_names.size() + i) +
           " using 1:2 with steps lw 2 title " + Quote(services[i]);
    }
    g += "\n";
  }
  g += "unset multiplot\n";
  return files;
}

}  // namespace vipcast::sim
