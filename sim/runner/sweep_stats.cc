#include <algorithm>
#include <cmath>

#include "sim/runner/report.h"

namespace vipcast::sim {

namespace {
// Nearest-rank percentile of sorted values (q in (0, 1]).
double Percentile(const std::vector<double>& sorted, double q) {
  const size_t rank = static_cast<size_t>(std::ceil(q * static_cast<double>(sorted.size())));
  return sorted[std::max<size_t>(rank, 1) - 1];
}
}  // namespace

std::vector<SweepStat> SweepStatistics(const Scenario& scenario,
                                       const std::vector<RunResult>& runs) {
  std::vector<SweepStat> stats;
  for (size_t i = 0; i < scenario.expect.size(); ++i) {
    SweepStat s;
    s.text = scenario.expect[i].text;
    std::vector<double> values;
    for (const RunResult& run : runs) {
      if (i >= run.checks.size()) continue;
      ++s.runs;
      if (run.checks[i].pass) ++s.passed;
      if (run.checks[i].value) values.push_back(*run.checks[i].value);
      s.unit = run.checks[i].unit;
    }
    if (!values.empty()) {
      std::sort(values.begin(), values.end());
      s.p50 = Percentile(values, 0.50);
      s.p99 = Percentile(values, 0.99);
      s.max = values.back();
    }
    stats.push_back(std::move(s));
  }
  return stats;
}

}  // namespace vipcast::sim
