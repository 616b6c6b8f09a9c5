#include "engine/l2/metric_throttle.h"

namespace vipcast::l2 {

bool MetricThrottle::Changed(core::TimePoint now, uint32_t key) {
  if (interval_ <= core::Duration::Zero()) return true;
  if (key >= states_.size()) states_.resize(size_t{key} + 1);
  State& s = states_[key];
  if (s.pending) return false;
  if (!s.reported || now >= s.last_report + interval_) {
    s.reported = true;
    s.last_report = now;
    return true;
  }
  s.pending = true;
  queue_.emplace(s.last_report + interval_, key);
  return false;
}

std::vector<uint32_t> MetricThrottle::TakeDue(core::TimePoint now) {
  std::vector<uint32_t> due;
  while (!queue_.empty() && queue_.begin()->first <= now) {
    const uint32_t key = queue_.begin()->second;
    queue_.erase(queue_.begin());
    State& s = states_[key];
    s.pending = false;
    s.last_report = now;
    due.push_back(key);
  }
  return due;
}

core::TimePoint MetricThrottle::NextDeadline() const {
  return queue_.empty() ? core::TimePoint::Never() : queue_.begin()->first;
}

}  // namespace vipcast::l2
