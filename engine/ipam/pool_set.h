// The IPAddressPools of one configuration, compiled for allocation: address
// lookup, per-range occupancy, the serviceAllocation rules resolved against
// the current Namespace objects, and the auto-assign search order.
#pragma once

#include <array>
#include <cstddef>
#include <map>
#include <optional>
#include <set>
#include <string>
#include <vector>

#include "engine/config/model.h"
#include "engine/core/ip.h"
#include "engine/ipam/range_occupancy.h"

namespace vipcast::ipam {

inline size_t FamilyIndex(core::IpFamily family) { return family == core::IpFamily::kV4 ? 0 : 1; }

// A position in a pool's allocation order: ranges in the order the pool
// lists them (as MetalLB walks spec.addresses), ascending inside a range.
struct WalkPos {
  size_t range = 0;
  core::Uint128 value = 0;
  auto operator<=>(const WalkPos&) const = default;
};

struct PoolRange {
  core::IpRange range;
  RangeOccupancy occupancy;
};

// One pool. Invariants: ranges of all pools are pairwise disjoint (PoolSet
// drops overlapping ones); in_use[f] counts addresses of family f with at
// least one holder; shared_by_key[f][k] holds exactly the in-use addresses
// whose holders carry sharing key k (k non-empty).
struct CompiledPool {
  std::string name;
  bool auto_assign = true;
  bool avoid_buggy_ips = false;
  bool pinned = false;          // has a serviceAllocation
  std::optional<int> priority;  // positive only; MetalLB treats 0 as unset
  bool restricts_namespaces = false;
  std::set<std::string> namespaces;  // explicit plus those matched by selectors
  std::vector<config::LabelSelector> service_selectors;
  std::vector<PoolRange> ranges;
  std::array<core::Uint128, 2> capacity{};  // usable addresses per family
  std::array<size_t, 2> in_use{};
  size_t services = 0;
  std::array<std::map<std::string, std::set<WalkPos>>, 2> shared_by_key;

  bool HasFamily(core::IpFamily family) const {
    for (const auto& r : ranges) {
      if (r.range.family() == family) return true;
    }
    return false;
  }
  // serviceAllocation: the namespace must be allowed (when the pool
  // restricts namespaces) AND one service selector must match (when there
  // are any).
  bool Allows(const config::Service& service) const;
};

class PoolSet {
 public:
  PoolSet() = default;
  // `warnings` receives one line per range ignored because it overlaps an
  // earlier one (validation should already have refused such a config).
  static PoolSet Compile(const config::ClusterConfig& config, std::vector<std::string>* warnings);

  std::vector<CompiledPool>& pools() { return pools_; }
  const std::vector<CompiledPool>& pools() const { return pools_; }
  std::optional<size_t> FindByName(const std::string& name) const;

  struct Location {
    size_t pool = 0;
    size_t range = 0;
  };
  std::optional<Location> Locate(const core::IpAddr& address) const;

  // Auto-assign order. Pinned: autoAssign pools with a serviceAllocation,
  // by priority (lower first, unset last) then name. Fallback: the other
  // autoAssign pools, by name (MetalLB uses Go map order: random).
  const std::vector<size_t>& pinned_order() const { return pinned_order_; }
  const std::vector<size_t>& fallback_order() const { return fallback_order_; }

 private:
  struct Span {
    core::Uint128 last;
    Location location;
  };
  std::vector<CompiledPool> pools_;                     // sorted by name
  std::array<std::map<core::Uint128, Span>, 2> spans_;  // per family, keyed by first address
  std::vector<size_t> pinned_order_;
  std::vector<size_t> fallback_order_;
};

}  // namespace vipcast::ipam
