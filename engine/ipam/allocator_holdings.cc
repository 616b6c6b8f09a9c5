// Allocator: the address tables. Every change to who holds what goes
// through Hold/HoldAddress/Release so the pool occupancy, sharing index and
// counters never disagree with uses_.
#include <algorithm>
#include <cassert>

#include "engine/ipam/allocator.h"
#include "engine/ipam/capacity.h"

namespace vipcast::ipam {

void Allocator::HoldAddress(Entry& entry, const core::IpAddr& ip,
                            const PoolSet::Location& location) {
  CompiledPool& pool = pools_.pools()[location.pool];
  const size_t f = FamilyIndex(ip.family());
  const SharingIdentity& identity = entry.request.sharing;
  auto [it, inserted] = uses_.try_emplace(ip);
  AddressUse& use = it->second;
  if (inserted) {
    use.pool = location.pool;
    use.range = location.range;
    use.sharing_key = identity.sharing_key;
    use.backend_key = identity.backend_key;
    pool.ranges[location.range].occupancy.MarkUsed(ip.ToUint128());
    ++pool.in_use[f];
    if (!identity.sharing_key.empty()) {
      pool.shared_by_key[f][identity.sharing_key].insert(WalkPos{location.range, ip.ToUint128()});
    }
  }
  assert(use.holders.empty() ||
         (use.sharing_key == identity.sharing_key && use.backend_key == identity.backend_key));
  const std::string* key = &entry.key;
  use.holders.insert(
      std::lower_bound(use.holders.begin(), use.holders.end(), key,
                       [](const std::string* a, const std::string* b) { return *a < *b; }),
      key);
  for (const auto& port : identity.ports) use.port_owners[port] = key;
}

void Allocator::Hold(Entry& entry, const std::vector<core::IpAddr>& ips, size_t pool) {
  assert(entry.ips.empty() && !ips.empty());
  for (const auto& ip : ips) {
    auto location = pools_.Locate(ip);
    assert(location && location->pool == pool);
    HoldAddress(entry, ip, *location);
  }
  entry.ips = PrimaryFirst(ips, entry.request);
  entry.pool = pool;
  entry.pool_name = pools_.pools()[pool].name;
  entry.pending_reason.clear();
  ++pools_.pools()[pool].services;
  pending_.erase(entry.key);
  UpdateDegraded(entry);
}

void Allocator::Release(Entry& entry) {
  if (entry.ips.empty()) return;
  CompiledPool& pool = pools_.pools()[entry.pool];
  for (const auto& ip : entry.ips) {
    auto it = uses_.find(ip);
    assert(it != uses_.end());
    AddressUse& use = it->second;
    use.holders.erase(std::find(use.holders.begin(), use.holders.end(), &entry.key));
    // The service's ports may have changed since it took the address, so
    // drop whatever it owns rather than what it lists now.
    std::erase_if(use.port_owners, [&](const auto& owner) { return owner.second == &entry.key; });
    if (!use.holders.empty()) continue;
    const size_t f = FamilyIndex(ip.family());
    pool.ranges[use.range].occupancy.MarkFree(ip.ToUint128());
    --pool.in_use[f];
    if (!use.sharing_key.empty()) {
      auto group = pool.shared_by_key[f].find(use.sharing_key);
      group->second.erase(WalkPos{use.range, ip.ToUint128()});
      if (group->second.empty()) pool.shared_by_key[f].erase(group);
    }
    uses_.erase(it);
  }
  --pool.services;
  entry.ips.clear();
  entry.pool_name.clear();
  degraded_.erase(entry.key);
}

void Allocator::SetPending(Entry& entry, std::string reason) {
  assert(entry.ips.empty());
  entry.pending_reason = std::move(reason);
  pending_.insert(entry.key);
}

void Allocator::UpdateDegraded(const Entry& entry) {
  // A service that names its IPs gets exactly those; only auto-assigned
  // PreferDualStack services grow a second family later.
  const bool explicit_request =
      !entry.request.requested_ips.empty() || !entry.request.error.empty();
  if (entry.request.mode == StackMode::kPreferDual && entry.ips.size() == 1 && !explicit_request) {
    degraded_.insert(entry.key);
  } else {
    degraded_.erase(entry.key);
  }
}

std::vector<PoolCounters> Allocator::PoolStats() const {
  std::vector<PoolCounters> stats;
  for (const auto& pool : pools_.pools()) {
    PoolCounters c;
    c.pool = pool.name;
    c.ipv4_addresses_total = SaturatedCount(pool.capacity[0]);
    c.ipv6_addresses_total = SaturatedCount(pool.capacity[1]);
    c.addresses_total = SaturatedCount(SaturatingAdd(pool.capacity[0], pool.capacity[1]));
    c.ipv4_addresses_in_use = pool.in_use[0];
    c.ipv6_addresses_in_use = pool.in_use[1];
    c.addresses_in_use = pool.in_use[0] + pool.in_use[1];
    c.services = pool.services;
    stats.push_back(std::move(c));
  }
  return stats;
}

}  // namespace vipcast::ipam
