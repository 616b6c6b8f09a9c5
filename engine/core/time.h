// Simulated-or-real time for the engine, with no way to read a clock.
// Durations and time points are nanosecond counts wrapped in strong types;
// the runtime (harness, ns-3, Asio) passes `now` into every engine call.
#pragma once

#include <compare>
#include <cstdint>
#include <limits>
#include <string>
#include <string_view>

#include "engine/core/result.h"

namespace vipcast::core {

class Duration {
 public:
  constexpr Duration() = default;
  static constexpr Duration Nanoseconds(int64_t n) { return Duration(n); }
  static constexpr Duration Microseconds(int64_t n) { return Duration(n * 1000); }
  static constexpr Duration Milliseconds(int64_t n) { return Duration(n * 1000 * 1000); }
  static constexpr Duration Seconds(int64_t n) { return Duration(n * 1000 * 1000 * 1000); }
  static constexpr Duration Minutes(int64_t n) { return Seconds(n * 60); }
  static constexpr Duration Zero() { return Duration(0); }
  static constexpr Duration Infinite() { return Duration(std::numeric_limits<int64_t>::max()); }

  constexpr int64_t nanoseconds() const { return ns_; }
  constexpr int64_t microseconds() const { return ns_ / 1000; }
  constexpr int64_t milliseconds() const { return ns_ / (1000 * 1000); }
  constexpr int64_t seconds() const { return ns_ / (1000 * 1000 * 1000); }
  constexpr double ToSecondsDouble() const { return static_cast<double>(ns_) / 1e9; }
  constexpr bool IsInfinite() const { return ns_ == std::numeric_limits<int64_t>::max(); }

  constexpr Duration operator+(Duration o) const { return Duration(ns_ + o.ns_); }
  constexpr Duration operator-(Duration o) const { return Duration(ns_ - o.ns_); }
  constexpr Duration operator*(int64_t k) const { return Duration(ns_ * k); }
  constexpr Duration operator/(int64_t k) const { return Duration(ns_ / k); }
  constexpr Duration& operator+=(Duration o) {
    ns_ += o.ns_;
    return *this;
  }
  constexpr Duration& operator-=(Duration o) {
    ns_ -= o.ns_;
    return *this;
  }
  constexpr auto operator<=>(const Duration&) const = default;

  // Go-style duration text as Kubernetes and MetalLB write it: "90s", "1m30s",
  // "250ms", "1.5s", "300us", "0". Negative values and unknown units fail.
  static Result<Duration> Parse(std::string_view text);
  // Shortest Go-style rendering: "1m30s", "250ms", "0s".
  std::string ToString() const;

 private:
  constexpr explicit Duration(int64_t ns) : ns_(ns) {}
  int64_t ns_ = 0;
};

// A point on the runtime's monotonic timeline. There is deliberately no now():
// only the runtime knows what time it is.
class TimePoint {
 public:
  constexpr TimePoint() = default;
  static constexpr TimePoint FromNanoseconds(int64_t n) { return TimePoint(n); }
  static constexpr TimePoint Epoch() { return TimePoint(0); }
  static constexpr TimePoint Never() { return TimePoint(std::numeric_limits<int64_t>::max()); }

  constexpr int64_t nanoseconds() const { return ns_; }
  constexpr bool IsNever() const { return ns_ == std::numeric_limits<int64_t>::max(); }
  constexpr Duration SinceEpoch() const { return Duration::Nanoseconds(ns_); }

  constexpr TimePoint operator+(Duration d) const {
    if (IsNever() || d.IsInfinite()) return Never();
    return TimePoint(ns_ + d.nanoseconds());
  }
  constexpr TimePoint operator-(Duration d) const { return TimePoint(ns_ - d.nanoseconds()); }
  constexpr Duration operator-(TimePoint o) const { return Duration::Nanoseconds(ns_ - o.ns_); }
  constexpr TimePoint& operator+=(Duration d) {
    *this = *this + d;
    return *this;
  }
  constexpr auto operator<=>(const TimePoint&) const = default;

  std::string ToString() const;  // seconds since the timeline's epoch, e.g. "12.250000000s"

 private:
  constexpr explicit TimePoint(int64_t ns) : ns_(ns) {}
  int64_t ns_ = 0;
};

}  // namespace vipcast::core
