// Allocator: choosing addresses for a service that holds none. Read-only
// over the tables; Hold applies the choice.
#include <algorithm>

#include "engine/ipam/allocator.h"
#include "engine/ipam/capacity.h"
#include "engine/ipam/reasons.h"

namespace vipcast::ipam {
namespace {

std::string PoolNotAllowedReason(const std::string& pool) {
  return "pool \"" + pool +
         "\" does not allow this service (its serviceAllocation restricts namespaces or service "
         "labels)";
}

}  // namespace

std::optional<core::IpAddr> Allocator::FindAddress(size_t pool_index, core::IpFamily family,
                                                   const SharingIdentity& identity) const {
  const CompiledPool& pool = pools_.pools()[pool_index];
  std::optional<WalkPos> best;
  for (size_t r = 0; r < pool.ranges.size() && !best; ++r) {
    if (pool.ranges[r].range.family() != family) continue;
    if (auto free = pool.ranges[r].occupancy.LowestFree()) best = WalkPos{r, *free};
  }
  // Auto-packing: an address already shared under the same key wins if it
  // comes first in the pool's order, as MetalLB takes the first address
  // that passes its sharing check.
  if (!identity.sharing_key.empty()) {
    const auto& groups = pool.shared_by_key[FamilyIndex(family)];
    if (auto group = groups.find(identity.sharing_key); group != groups.end()) {
      for (const WalkPos& pos : group->second) {
        if (best && !(pos < *best)) break;
        const auto& use = uses_.at(core::IpAddr::FromUint128(family, pos.value));
        if (CanShare(use, identity)) {
          best = pos;
          break;
        }
      }
    }
  }
  if (!best) return std::nullopt;
  return core::IpAddr::FromUint128(family, best->value);
}

core::Result<size_t> Allocator::ValidateExplicit(const Entry& entry,
                                                 const std::vector<core::IpAddr>& ips) const {
  std::optional<size_t> pool_index;
  for (const auto& ip : ips) {
    auto location = pools_.Locate(ip);
    if (!location)
      return core::MakeErr("requested IP " + ip.ToString() + " is not in any IPAddressPool");
    if (pool_index && *pool_index != location->pool) {
      return core::MakeErr("requested IPs " + IpsText(ips) + " are in different pools (\"" +
                           pools_.pools()[*pool_index].name + "\", \"" +
                           pools_.pools()[location->pool].name +
                           "\"); a service's addresses must come from one pool");
    }
    pool_index = location->pool;
  }
  const CompiledPool& pool = pools_.pools()[*pool_index];
  for (const auto& ip : ips) {
    if (pool.avoid_buggy_ips && IsBuggyIp(ip)) {
      return core::MakeErr("requested IP " + ip.ToString() + " is not usable: pool \"" + pool.name +
                           "\" sets avoidBuggyIPs, which excludes .0 and .255 addresses");
    }
  }
  if (!pool.Allows(entry.service)) return core::MakeErr(PoolNotAllowedReason(pool.name));
  if (entry.request.requested_pool && *entry.request.requested_pool != pool.name) {
    return core::MakeErr("requested IP(s) " + IpsText(ips) + " are in pool \"" + pool.name +
                         "\", not in the requested pool \"" + *entry.request.requested_pool + "\"");
  }
  for (const auto& ip : ips) {
    if (auto use = uses_.find(ip); use != uses_.end()) {
      if (auto ok = CheckShare(ip, use->second, entry.request.sharing); !ok) {
        return core::MakeErr(ok.error());
      }
    }
  }
  return *pool_index;
}

core::Result<Allocator::Choice> Allocator::ChooseFresh(const Entry& entry) const {
  const ServiceRequest& request = entry.request;
  if (!request.error.empty()) return core::MakeErr(request.error);
  if (pools_.pools().empty()) {
    return core::MakeErr(NoCandidatePoolReason(false, false, entry.service.meta.namespace_));
  }
  if (!request.requested_ips.empty()) {
    auto pool = ValidateExplicit(entry, request.requested_ips);
    if (!pool) return core::MakeErr(pool.error());
    return Choice{*pool, request.requested_ips};
  }
  if (request.requested_pool) return ChooseFromNamedPool(entry);
  return ChooseAuto(entry);
}

namespace {

// What one pool can offer a service: an address per wanted family, or not.
struct Offer {
  std::vector<std::optional<core::IpAddr>> by_family;  // parallel to request.families
  bool Complete() const {
    return std::all_of(by_family.begin(), by_family.end(),
                       [](const auto& a) { return a.has_value(); });
  }
  std::vector<core::IpAddr> Only(size_t i) const { return {*by_family[i]}; }
  std::vector<core::IpAddr> All() const {
    std::vector<core::IpAddr> ips;
    for (const auto& a : by_family) ips.push_back(*a);
    return ips;
  }
};

PoolShortfall ShortfallOf(const CompiledPool& pool, const ServiceRequest& request,
                          const Offer& offer) {
  PoolShortfall s{pool.name, {}, {}};
  for (size_t i = 0; i < request.families.size(); ++i) {
    if (offer.by_family[i]) continue;
    (pool.HasFamily(request.families[i]) ? s.full : s.missing).push_back(request.families[i]);
  }
  return s;
}

}  // namespace

core::Result<Allocator::Choice> Allocator::ChooseFromNamedPool(const Entry& entry) const {
  const ServiceRequest& request = entry.request;
  auto index = pools_.FindByName(*request.requested_pool);
  if (!index) {
    return core::MakeErr("requested pool \"" + *request.requested_pool +
                         "\" (metallb.io/address-pool) does not exist");
  }
  const CompiledPool& pool = pools_.pools()[*index];
  if (!pool.Allows(entry.service)) return core::MakeErr(PoolNotAllowedReason(pool.name));
  Offer offer;
  for (auto family : request.families) {
    offer.by_family.push_back(FindAddress(*index, family, request.sharing));
  }
  if (offer.Complete()) return Choice{*index, offer.All()};
  if (request.mode == StackMode::kPreferDual) {
    for (size_t i = 0; i < offer.by_family.size(); ++i) {
      if (offer.by_family[i]) return Choice{*index, offer.Only(i)};
    }
  }
  return core::MakeErr(NoAddressReason({ShortfallOf(pool, request, offer)}, request.mode));
}

core::Result<Allocator::Choice> Allocator::ChooseAuto(const Entry& entry) const {
  const ServiceRequest& request = entry.request;
  std::vector<PoolShortfall> shortfalls;
  for (const auto* tier : {&pools_.pinned_order(), &pools_.fallback_order()}) {
    // PreferDualStack: a pool with both families anywhere in the tier wins;
    // failing that, the first pool offering the primary family, then the
    // first offering the secondary one (MetalLB's findBestPoolForService).
    std::optional<Choice> primary_only;
    std::optional<Choice> secondary_only;
    for (size_t index : *tier) {
      const CompiledPool& pool = pools_.pools()[index];
      if (!pool.Allows(entry.service)) continue;
      Offer offer;
      for (auto family : request.families) {
        offer.by_family.push_back(FindAddress(index, family, request.sharing));
      }
      if (offer.Complete()) return Choice{index, offer.All()};
      if (request.mode == StackMode::kPreferDual) {
        if (offer.by_family[0] && !primary_only) primary_only = Choice{index, offer.Only(0)};
        if (offer.by_family[1] && !secondary_only) secondary_only = Choice{index, offer.Only(1)};
      }
      shortfalls.push_back(ShortfallOf(pool, request, offer));
    }
    if (primary_only) return *primary_only;
    if (secondary_only) return *secondary_only;
  }
  if (shortfalls.empty()) {
    const bool any_auto = !pools_.pinned_order().empty() || !pools_.fallback_order().empty();
    return core::MakeErr(NoCandidatePoolReason(true, any_auto, entry.service.meta.namespace_));
  }
  return core::MakeErr(NoAddressReason(shortfalls, request.mode));
}

}  // namespace vipcast::ipam
