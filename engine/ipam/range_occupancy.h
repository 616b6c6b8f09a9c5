// Which addresses of one contiguous pool range are taken, and the lowest one
// that is not. This is the allocator's hot path: "lowest free address first"
// must not scan addresses one by one, so used addresses are kept as merged
// intervals and the search jumps over whole intervals.
#pragma once

#include <cstddef>
#include <map>
#include <optional>

#include "engine/core/ip.h"

namespace vipcast::ipam {

// Invariants:
//  - used_ holds disjoint, non-adjacent closed intervals [start, end] inside
//    [first_, last_]; adjacent used addresses are always merged.
//  - every address in [first_, low_water_) is used or excluded (when
//    exhausted_ is set, every address in [first_, last_] is), so a search may
//    start at low_water_. Freeing an address lowers the mark; the search
//    raises it.
class RangeOccupancy {
 public:
  // `skip_buggy_v4`: never offer addresses whose last octet is 0 or 255
  // (MetalLB's avoidBuggyIPs, IPv4 only).
  RangeOccupancy(core::IpFamily family, core::Uint128 first, core::Uint128 last,
                 bool skip_buggy_v4);

  bool IsUsed(core::Uint128 value) const;
  // Preconditions: value lies in the range and its use state is the opposite.
  void MarkUsed(core::Uint128 value);
  void MarkFree(core::Uint128 value);

  // The lowest address that is neither used nor excluded. Amortised
  // O(log n) when addresses are taken in order; logically const (it only
  // moves the search hint).
  std::optional<core::Uint128> LowestFree() const;

  core::Uint128 first() const { return first_; }
  core::Uint128 last() const { return last_; }
  size_t used_count() const { return used_count_; }
  size_t interval_count() const { return used_.size(); }

 private:
  bool Excluded(core::Uint128 value) const;

  core::Uint128 first_;
  core::Uint128 last_;
  bool skip_buggy_;
  std::map<core::Uint128, core::Uint128> used_;  // start -> end (inclusive)
  size_t used_count_ = 0;
  mutable core::Uint128 low_water_;
  mutable bool exhausted_ = false;
};

}  // namespace vipcast::ipam
