// RangeOccupancy against a brute-force model: a plain set of used values
// and a linear scan for the lowest free, non-excluded address.
#include <gtest/gtest.h>
// rapidcheck/gtest.h needs gtest/gtest.h first.
#include <rapidcheck/gtest.h>

#include <optional>
#include <set>

#include "engine/ipam/range_occupancy.h"

namespace vipcast::ipam {
namespace {

RC_GTEST_PROP(RangeOccupancyProperty, AgreesWithBruteForce, ()) {
  // A window of up to 600 IPv4 addresses starting anywhere in a /16 so it
  // crosses several .255/.0 boundaries.
  const core::Uint128 first = (core::Uint128{10} << 24) + *rc::gen::inRange(0, 65000);
  const core::Uint128 size = *rc::gen::inRange(1, 600);
  const core::Uint128 last = first + size - 1;
  const bool skip_buggy = *rc::gen::arbitrary<bool>();
  RangeOccupancy occupancy(core::IpFamily::kV4, first, last, skip_buggy);
  std::set<core::Uint128> used;
  auto brute_lowest = [&]() -> std::optional<core::Uint128> {
    for (core::Uint128 v = first; v <= last; ++v) {
      const auto octet = static_cast<unsigned>(v & 0xff);
      if (skip_buggy && (octet == 0 || octet == 255)) continue;
      if (!used.count(v)) return v;
    }
    return std::nullopt;
  };
  const auto steps = *rc::gen::container<std::vector<std::pair<int, int>>>(
      *rc::gen::inRange(1, 400), rc::gen::pair(rc::gen::inRange(0, 3), rc::gen::inRange(0, 600)));
  for (const auto& [action, where] : steps) {
    const core::Uint128 v = first + static_cast<core::Uint128>(where) % size;
    if (action == 0) {
      // Take the lowest free address, as the allocator does.
      const auto lowest = occupancy.LowestFree();
      RC_ASSERT(lowest == brute_lowest());
      if (lowest) {
        occupancy.MarkUsed(*lowest);
        used.insert(*lowest);
      }
    } else if (action == 1 && !used.count(v)) {
      occupancy.MarkUsed(v);  // a requested address
      used.insert(v);
    } else if (action == 2 && used.count(v)) {
      occupancy.MarkFree(v);
      used.erase(v);
    }
    RC_ASSERT(occupancy.IsUsed(v) == (used.count(v) == 1));
    RC_ASSERT(occupancy.used_count() == used.size());
  }
  RC_ASSERT(occupancy.LowestFree() == brute_lowest());
}

}  // namespace
}  // namespace vipcast::ipam
