#include "engine/membership/suspicion.h"

#include <cmath>

namespace vipcast::membership {

Suspicion::Suspicion(const core::NodeName& from, int k, core::Duration min, core::Duration max,
                     core::TimePoint start)
    : k_(k), min_(min), max_(max), start_(start) {
  seen_.insert(from);
}

bool Suspicion::Confirm(const core::NodeName& from) {
  if (confirmations_ >= k_) return false;
  if (!seen_.insert(from).second) return false;
  ++confirmations_;
  return true;
}

core::Duration Suspicion::Timeout(int confirmations, int k, core::Duration min,
                                  core::Duration max) {
  if (k < 1) return min;
  const double frac =
      std::log(static_cast<double>(confirmations) + 1.0) / std::log(static_cast<double>(k) + 1.0);
  const double raw = max.ToSecondsDouble() - frac * (max.ToSecondsDouble() - min.ToSecondsDouble());
  const auto millis = static_cast<int64_t>(std::floor(1000.0 * raw));
  const core::Duration timeout = core::Duration::Milliseconds(millis);
  return timeout < min ? min : timeout;
}

}  // namespace vipcast::membership
