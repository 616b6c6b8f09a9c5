// The report of a scenario run (../shared/specs/scenario-format.md, Output):
// report.md, report.json, the event trace (trace.jsonl) and the timeline
// plot, for one seed or a sweep of seeds. Everything written is a function
// of the scenario and the seeds only (no wall-clock times, no host paths
// beyond what the user passed), so reruns are byte-identical.
#pragma once

#include <string>
#include <vector>

#include "sim/runner/run_scenario.h"
#include "sim/scenario/scenario.h"

namespace vipcast::sim {

// Statistics of one expectation's measured value over the seeds of a sweep.
struct SweepStat {
  std::string text;
  size_t passed = 0;
  size_t runs = 0;
  std::optional<double> p50, p99, max;  // of the numeric values, when there are any
  std::string unit;
};

std::vector<SweepStat> SweepStatistics(const Scenario& scenario,
                                       const std::vector<RunResult>& runs);

// Writes report.md, report.json, trace.jsonl and timeline.{dat,gp,svg} into
// `dir` (created). `runs` holds every seed's result in order; `last` is the
// detailed output of the first seed (the plot and trace show it). Returns a
// human-readable list of problems writing (empty on success); a missing
// gnuplot is reported there and the plot's data and script still written.
std::vector<std::string> WriteReport(const Scenario& scenario, const std::vector<RunResult>& runs,
                                     const RunOutput& detailed, const std::string& dir);

// The summary table printed on stdout: one row per expectation.
std::string SummaryTable(const Scenario& scenario, const std::vector<RunResult>& runs);

}  // namespace vipcast::sim
