// Order statistics of a sample of durations, for the report's p50/p99/max.
#pragma once

#include <string>
#include <vector>

#include "engine/core/time.h"

namespace vipcast::measure {

struct Summary {
  size_t count = 0;
  size_t missing = 0;  // runs in which the event never happened within the limit
  core::Duration p50, p99, max, mean;
};

// Nearest-rank percentiles (p-th percentile = the ceil(p/100 * n)-th
// smallest value), so every reported value is one that was measured.
// Infinite durations count as `missing` and are left out.
Summary Summarize(std::vector<core::Duration> sample);

// "123.4" (milliseconds, one decimal).
std::string Ms(core::Duration d);

}  // namespace vipcast::measure
