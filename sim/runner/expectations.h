// Evaluates a scenario's `expect` list against one run's measurements.
// Each check reports what it measured and a verdict; none is skipped.
#pragma once

#include <optional>
#include <set>
#include <string>
#include <vector>

#include "sim/runner/run_result.h"
#include "sim/scenario/scenario.h"

namespace vipcast::sim {

struct CheckInputs {
  const Scenario& scenario;
  const RunResult& run;
  core::Duration end;
};

CheckResult Evaluate(const Expectation& expectation, const CheckInputs& in);

// The announcers of `service` at time `at` according to `history`.
std::set<std::string> AnnouncersAt(const std::vector<AnnouncerChange>& history,
                                   const std::string& service, core::Duration at);

// "312 ms", "1.25 s": durations in reports, rounded to the millisecond.
std::string FormatDuration(core::Duration d);

}  // namespace vipcast::sim
