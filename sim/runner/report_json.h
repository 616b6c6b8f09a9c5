// report.json and trace.jsonl: the machine-readable report, key order fixed.
#pragma once

#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "sim/runner/report.h"

namespace vipcast::sim {

nlohmann::ordered_json ReportJson(const Scenario& scenario, const std::vector<RunResult>& runs);
// One JSON object per timeline event, one per line.
std::string TraceJsonLines(const std::vector<TimelineEvent>& timeline);

}  // namespace vipcast::sim
