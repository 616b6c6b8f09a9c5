#include "engine/ipam/pool_set.h"

#include <algorithm>
#include <iterator>
#include <tuple>

#include "engine/ipam/capacity.h"

namespace vipcast::ipam {
namespace {

// The pool's ranges as parsed by the loader, or parsed here from the text
// when a caller built the model by hand.
std::vector<core::IpRange> RangesOf(const config::IPAddressPool& pool,
                                    std::vector<std::string>* warnings) {
  if (!pool.ranges.empty()) return pool.ranges;
  std::vector<core::IpRange> ranges;
  for (const auto& text : pool.addresses) {
    auto range = core::IpRange::Parse(text);
    if (range) {
      ranges.push_back(*range);
    } else {
      warnings->push_back("pool \"" + pool.meta.name + "\": ignoring " + range.error());
    }
  }
  return ranges;
}

void ApplyServiceAllocation(const config::ServiceAllocation& allocation,
                            const config::ClusterConfig& config, CompiledPool& pool) {
  pool.pinned = true;
  if (allocation.priority && *allocation.priority > 0) pool.priority = allocation.priority;
  // Deviation from MetalLB: namespaceSelectors that match no namespace
  // still restrict the pool (to nothing) instead of opening it to all.
  pool.restricts_namespaces =
      !allocation.namespaces.empty() || !allocation.namespace_selectors.empty();
  pool.namespaces.insert(allocation.namespaces.begin(), allocation.namespaces.end());
  for (const auto& ns : config.namespaces) {
    for (const auto& selector : allocation.namespace_selectors) {
      if (selector.Matches(ns.meta.labels)) pool.namespaces.insert(ns.meta.name);
    }
  }
  pool.service_selectors = allocation.service_selectors;
}

}  // namespace

bool CompiledPool::Allows(const config::Service& service) const {
  if (restricts_namespaces && namespaces.count(service.meta.namespace_) == 0) return false;
  if (service_selectors.empty()) return true;
  return std::any_of(
      service_selectors.begin(), service_selectors.end(),
      [&](const config::LabelSelector& s) { return s.Matches(service.meta.labels); });
}

PoolSet PoolSet::Compile(const config::ClusterConfig& config, std::vector<std::string>* warnings) {
  PoolSet set;
  std::vector<const config::IPAddressPool*> sources;
  for (const auto& pool : config.pools) sources.push_back(&pool);
  // Name order makes every later choice (overlap resolution, tie breaks)
  // independent of the order objects were loaded in.
  std::stable_sort(sources.begin(), sources.end(), [](const auto* a, const auto* b) {
    return std::tie(a->meta.name, a->meta.namespace_) < std::tie(b->meta.name, b->meta.namespace_);
  });
  for (const auto* source : sources) {
    CompiledPool pool;
    pool.name = source->meta.name;
    pool.auto_assign = source->auto_assign;
    pool.avoid_buggy_ips = source->avoid_buggy_ips;
    if (source->service_allocation)
      ApplyServiceAllocation(*source->service_allocation, config, pool);
    const size_t pool_index = set.pools_.size();
    for (const auto& range : RangesOf(*source, warnings)) {
      auto& spans = set.spans_[FamilyIndex(range.family())];
      const core::Uint128 first = range.first().ToUint128();
      const core::Uint128 last = range.last().ToUint128();
      auto next = spans.upper_bound(first);
      const bool overlaps_prev = next != spans.begin() && std::prev(next)->second.last >= first;
      const bool overlaps_next = next != spans.end() && next->first <= last;
      if (overlaps_prev || overlaps_next) {
        warnings->push_back("pool \"" + pool.name + "\": ignoring range " + range.ToString() +
                            ", which overlaps another pool's range");
        continue;
      }
      spans.emplace(first, Span{last, Location{pool_index, pool.ranges.size()}});
      const size_t f = FamilyIndex(range.family());
      pool.capacity[f] =
          SaturatingAdd(pool.capacity[f], UsableAddresses(range, pool.avoid_buggy_ips));
      pool.ranges.push_back(
          PoolRange{range, RangeOccupancy(range.family(), first, last, pool.avoid_buggy_ips)});
    }
    set.pools_.push_back(std::move(pool));
  }
  for (size_t i = 0; i < set.pools_.size(); ++i) {
    const auto& pool = set.pools_[i];
    if (!pool.auto_assign) continue;
    (pool.pinned ? set.pinned_order_ : set.fallback_order_).push_back(i);
  }
  // Pools are already in name order, so a stable sort by priority breaks
  // ties by name.
  std::stable_sort(set.pinned_order_.begin(), set.pinned_order_.end(), [&](size_t a, size_t b) {
    const auto& pa = set.pools_[a].priority;
    const auto& pb = set.pools_[b].priority;
    if (pa.has_value() != pb.has_value()) return pa.has_value();
    return pa.has_value() && *pa < *pb;
  });
  return set;
}

std::optional<size_t> PoolSet::FindByName(const std::string& name) const {
  auto it =
      std::lower_bound(pools_.begin(), pools_.end(), name,
                       [](const CompiledPool& p, const std::string& n) { return p.name < n; });
  if (it == pools_.end() || it->name != name) return std::nullopt;
  return static_cast<size_t>(it - pools_.begin());
}

std::optional<PoolSet::Location> PoolSet::Locate(const core::IpAddr& address) const {
  const auto& spans = spans_[FamilyIndex(address.family())];
  const core::Uint128 value = address.ToUint128();
  auto it = spans.upper_bound(value);
  if (it == spans.begin()) return std::nullopt;
  --it;
  if (it->second.last < value) return std::nullopt;
  return it->second.location;
}

}  // namespace vipcast::ipam
