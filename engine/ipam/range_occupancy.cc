#include "engine/ipam/range_occupancy.h"

#include <cassert>
#include <iterator>

#include "engine/ipam/capacity.h"

namespace vipcast::ipam {

RangeOccupancy::RangeOccupancy(core::IpFamily family, core::Uint128 first, core::Uint128 last,
                               bool skip_buggy_v4)
    : first_(first),
      last_(last),
      skip_buggy_(skip_buggy_v4 && family == core::IpFamily::kV4),
      low_water_(first) {
  assert(first <= last);
}

bool RangeOccupancy::Excluded(core::Uint128 value) const {
  return skip_buggy_ && IsBuggyV4Value(value);
}

bool RangeOccupancy::IsUsed(core::Uint128 value) const {
  auto it = used_.upper_bound(value);
  if (it == used_.begin()) return false;
  --it;
  return it->second >= value;
}

void RangeOccupancy::MarkUsed(core::Uint128 value) {
  assert(value >= first_ && value <= last_ && !IsUsed(value));
  auto next = used_.upper_bound(value);  // first interval starting after value
  const bool joins_next = next != used_.end() && next->first == value + 1;
  if (next != used_.begin()) {
    auto prev = std::prev(next);
    if (prev->second + 1 == value) {
      // Extend the lower neighbour, absorbing the upper one when they touch.
      prev->second = joins_next ? next->second : value;
      if (joins_next) used_.erase(next);
      ++used_count_;
      return;
    }
  }
  if (joins_next) {
    const core::Uint128 end = next->second;
    used_.erase(next);
    used_.emplace(value, end);
  } else {
    used_.emplace_hint(next, value, value);
  }
  ++used_count_;
}

void RangeOccupancy::MarkFree(core::Uint128 value) {
  assert(IsUsed(value));
  auto it = std::prev(used_.upper_bound(value));
  const core::Uint128 start = it->first;
  const core::Uint128 end = it->second;
  if (start == value && end == value) {
    used_.erase(it);
  } else if (start == value) {
    used_.erase(it);
    used_.emplace(value + 1, end);
  } else if (end == value) {
    it->second = value - 1;
  } else {
    it->second = value - 1;
    used_.emplace(value + 1, end);
  }
  --used_count_;
  if (exhausted_ || value < low_water_) low_water_ = value;
  exhausted_ = false;
}

std::optional<core::Uint128> RangeOccupancy::LowestFree() const {
  if (exhausted_) return std::nullopt;
  core::Uint128 candidate = low_water_;
  while (true) {
    auto it = used_.upper_bound(candidate);
    if (it != used_.begin() && std::prev(it)->second >= candidate) {
      // Jump over the whole used interval; stop at the end of the range
      // without overflowing (an IPv6 range may end at 2^128 - 1).
      const core::Uint128 end = std::prev(it)->second;
      if (end >= last_) break;
      candidate = end + 1;
      continue;
    }
    if (Excluded(candidate)) {
      if (candidate >= last_) break;
      ++candidate;
      continue;
    }
    low_water_ = candidate;
    return candidate;
  }
  exhausted_ = true;
  return std::nullopt;
}

}  // namespace vipcast::ipam
