#include "tests/measure/stats.h"

#include <algorithm>
#include <cstdio>

namespace vipcast::measure {

using core::Duration;

Summary Summarize(std::vector<Duration> sample) {
  Summary s;
  std::vector<Duration> v;
  for (Duration d : sample) {
    if (d == Duration::Infinite()) {
      ++s.missing;
    } else {
      v.push_back(d);
    }
  }
  s.count = v.size();
  if (v.empty()) return s;
  std::sort(v.begin(), v.end());
  auto rank = [&](double p) {
    size_t k = static_cast<size_t>(p / 100.0 * static_cast<double>(v.size()) + 0.999999);
    return v[std::clamp<size_t>(k, 1, v.size()) - 1];
  };
  s.p50 = rank(50);
  s.p99 = rank(99);
  s.max = v.back();
  int64_t total = 0;
  for (Duration d : v) total += d.nanoseconds();
  s.mean = Duration::Nanoseconds(total / static_cast<int64_t>(v.size()));
  return s;
}

std::string Ms(Duration d) {
  char buf[32];
  std::snprintf(buf, sizeof buf, "%.1f", static_cast<double>(d.nanoseconds()) / 1e6);
  return buf;
}

}  // namespace vipcast::measure
