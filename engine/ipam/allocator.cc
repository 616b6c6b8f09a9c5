#include "engine/ipam/allocator.h"

#include <algorithm>
#include <utility>

namespace vipcast::ipam {
namespace {

bool SameSet(std::vector<core::IpAddr> a, std::vector<core::IpAddr> b) {
  std::sort(a.begin(), a.end());
  std::sort(b.begin(), b.end());
  return a == b;
}

bool SameExceptStatus(const config::Service& a, config::Service b) {
  b.ingress_ips = a.ingress_ips;
  return a == b;
}

bool LostAny(const std::vector<core::IpAddr>& before, const std::vector<core::IpAddr>& after) {
  return std::any_of(before.begin(), before.end(), [&](const core::IpAddr& ip) {
    return std::find(after.begin(), after.end(), ip) == after.end();
  });
}

}  // namespace

Allocator::Allocator(AllocatorOptions options) : options_(std::move(options)) {}

// ---------------------------------------------------------------- operations

std::vector<Change> Allocator::SetConfig(const config::ClusterConfig& config) {
  std::vector<Entry*> batch;
  batch.reserve(entries_.size());
  for (auto& [key, entry] : entries_) {
    Touch(entry);
    batch.push_back(&entry);
    // The tables are rebuilt from scratch below; every holding becomes a
    // claim to re-check against the new pools.
    entry.previous = std::move(entry.ips);
    entry.ips.clear();
    entry.pool_name.clear();
  }
  uses_.clear();
  degraded_.clear();
  config_warnings_.clear();
  pools_ = PoolSet::Compile(config, &config_warnings_);
  Reconcile(batch);
  return Finish();
}

std::vector<Change> Allocator::Upsert(const config::Service& service) {
  const std::string key = service.meta.Key();
  auto it = entries_.find(key);
  if (!IsManaged(service, options_)) {
    if (it == entries_.end()) return {};
    Entry& entry = it->second;
    Touch(entry);
    const bool held = !entry.ips.empty();
    Remove(entry);
    if (held) RetryPending();
    return Finish();
  }
  if (it != entries_.end()) {
    // Nothing about the service changed, and nothing else did (config
    // changes and freed addresses are handled when they happen).
    Entry& existing = it->second;
    if (existing.service == service) return {};
    // Only the status changed (typically to what this allocator wrote): a
    // service holding addresses never reads its status, so there is
    // nothing to decide.
    if (!existing.ips.empty() && SameExceptStatus(existing.service, service)) {
      existing.service.ingress_ips = service.ingress_ips;
      return {};
    }
  }
  Entry& entry = EntryFor(key);
  const bool held = !entry.ips.empty();
  entry.previous = entry.ips;
  Release(entry);
  entry.service = service;
  entry.request = DescribeRequest(service);
  Reconcile({&entry});
  // The service may have freed an address or changed how it shares one.
  if (held) RetryPending();
  return Finish();
}

std::vector<Change> Allocator::Delete(const std::string& key) {
  auto it = entries_.find(key);
  if (it == entries_.end()) return {};
  Entry& entry = it->second;
  Touch(entry);
  const bool held = !entry.ips.empty();
  Remove(entry);
  if (held) RetryPending();
  return Finish();
}

std::vector<Change> Allocator::ReplaceServices(const std::vector<config::Service>& services) {
  // Sorted by key; a key listed twice counts as its last listing.
  std::vector<std::pair<std::string, const config::Service*>> incoming;
  incoming.reserve(services.size());
  for (const auto& service : services) incoming.emplace_back(service.meta.Key(), &service);
  std::stable_sort(incoming.begin(), incoming.end(),
                   [](const auto& a, const auto& b) { return a.first < b.first; });
  std::vector<std::pair<std::string, const config::Service*>> wanted;
  wanted.reserve(incoming.size());
  for (size_t i = 0; i < incoming.size(); ++i) {
    if (i + 1 < incoming.size() && incoming[i + 1].first == incoming[i].first) continue;
    if (IsManaged(*incoming[i].second, options_)) wanted.push_back(std::move(incoming[i]));
  }
  auto is_wanted = [&](const std::string& key) {
    return std::binary_search(wanted.begin(), wanted.end(), std::make_pair(key, nullptr),
                              [](const auto& a, const auto& b) { return a.first < b.first; });
  };
  for (auto& [key, entry] : entries_) {
    if (is_wanted(key)) continue;
    Touch(entry);
    Remove(entry);
  }
  std::vector<Entry*> batch;
  batch.reserve(wanted.size());
  for (const auto& [key, service] : wanted) {
    Entry& entry = EntryFor(key);
    entry.previous = entry.ips;
    Release(entry);
    entry.service = *service;
    entry.request = DescribeRequest(*service);
    batch.push_back(&entry);
  }
  Reconcile(batch);
  return Finish();
}

// ---------------------------------------------------------------- passes

void Allocator::Reconcile(const std::vector<Entry*>& batch) {
  auto claims_of = [](const Entry* e) -> const std::vector<core::IpAddr>& {
    return e->previous.empty() ? e->service.ingress_ips : e->previous;
  };

  // 1. Reclaim. Services with more addresses go first (as MetalLB sorts
  // its first pass) so a dual-stack service is not split by a single-stack
  // one; claims of compatible services never conflict, so order only
  // decides between incompatible claims to one address.
  std::vector<Entry*> order = batch;
  std::stable_sort(order.begin(), order.end(), [&](const Entry* a, const Entry* b) {
    return claims_of(a).size() > claims_of(b).size();
  });
  for (Entry* entry : order) {
    if (!entry->ips.empty()) continue;  // e.g. a degraded service being retried
    const auto& claims = claims_of(entry);
    if (!claims.empty()) TryClaim(*entry, claims);
  }

  // 2. Allocate, most constrained first, then by namespace/name.
  order.clear();
  for (Entry* entry : batch) {
    if (entry->ips.empty()) order.push_back(entry);
  }
  std::stable_sort(order.begin(), order.end(), [](const Entry* a, const Entry* b) {
    return a->request.ConstraintRank() < b->request.ConstraintRank();
  });
  for (Entry* entry : order) AllocateFresh(*entry);

  // 3. Second family for PreferDualStack services that got only one.
  for (Entry* entry : batch) {
    if (degraded_.count(entry->key) != 0) TryUpgrade(*entry);
    entry->previous.clear();
  }
}

void Allocator::RetryPending() {
  std::vector<std::string> keys;
  std::set_union(pending_.begin(), pending_.end(), degraded_.begin(), degraded_.end(),
                 std::back_inserter(keys));
  if (keys.empty()) return;
  std::vector<Entry*> batch;
  for (const auto& key : keys) {
    Entry& entry = entries_.at(key);
    Touch(entry);
    batch.push_back(&entry);
  }
  Reconcile(batch);
}

bool Allocator::TryClaim(Entry& entry, const std::vector<core::IpAddr>& ips) {
  if (!CheckFamilies(ips, entry.request)) return false;
  // A service whose request became malformed keeps what it has (MetalLB
  // only warns); one whose valid request changed must move.
  if (!entry.request.requested_ips.empty() && !SameSet(ips, entry.request.requested_ips)) {
    return false;
  }
  auto pool = ValidateExplicit(entry, ips);
  if (!pool) return false;
  Hold(entry, ips, *pool);
  return true;
}

void Allocator::AllocateFresh(Entry& entry) {
  auto choice = ChooseFresh(entry);
  if (choice) {
    Hold(entry, choice->ips, choice->pool);
  } else {
    SetPending(entry, std::move(choice).error());
  }
}

void Allocator::TryUpgrade(Entry& entry) {
  // Only from the pool the service already uses: both addresses of a
  // service come from one pool, and its first address must not move.
  const core::IpFamily missing = entry.ips.front().family() == entry.request.families[0]
                                     ? entry.request.families[1]
                                     : entry.request.families[0];
  auto ip = FindAddress(entry.pool, missing, entry.request.sharing);
  if (!ip) return;
  HoldAddress(entry, *ip, *pools_.Locate(*ip));
  entry.ips.push_back(*ip);
  entry.ips = PrimaryFirst(std::move(entry.ips), entry.request);
  UpdateDegraded(entry);
}

// ---------------------------------------------------------------- journal

Allocator::Entry& Allocator::EntryFor(const std::string& key) {
  auto [it, inserted] = entries_.try_emplace(key);
  Entry& entry = it->second;
  if (inserted) {
    entry.key = key;
    entry.touched = true;
    entry.existed = false;
    touched_.push_back(&entry);
  } else {
    Touch(entry);
  }
  return entry;
}

void Allocator::Touch(Entry& entry) {
  if (entry.touched) return;
  entry.touched = true;
  entry.existed = true;
  entry.before = Snapshot{entry.ips, entry.pool_name, entry.pending_reason};
  touched_.push_back(&entry);
}

void Allocator::Remove(Entry& entry) {
  Release(entry);
  pending_.erase(entry.key);
  degraded_.erase(entry.key);
  entry.removed = true;
}

std::vector<Change> Allocator::Finish() {
  // A bulk operation touches every entry: the map is already in key order.
  std::vector<Entry*> journal;
  if (touched_.size() == entries_.size()) {
    journal.reserve(entries_.size());
    for (auto& [key, entry] : entries_) journal.push_back(&entry);
  } else {
    journal = touched_;
    std::sort(journal.begin(), journal.end(),
              [](const Entry* a, const Entry* b) { return a->key < b->key; });
  }
  std::vector<Change> changes;
  changes.reserve(journal.size());
  for (Entry* e : journal) {
    Change c;
    c.service = e->key;
    if (e->existed) {
      c.old_ips = std::move(e->before.ips);
      c.old_pool = std::move(e->before.pool);
    }
    if (!e->removed) {
      c.ips = e->ips;
      c.pool = e->pool_name;
      c.reason = e->pending_reason;
    }
    const std::string old_reason = e->existed ? std::move(e->before.pending_reason) : "";
    e->touched = false;
    e->before = Snapshot{};
    if (c.old_ips.empty() && c.ips.empty()) {
      // Pending before and after (or gone): report only a new reason.
      if (e->removed || c.reason == old_reason) continue;
      c.kind = ChangeKind::kPending;
    } else if (c.ips.empty()) {
      c.kind = e->removed ? ChangeKind::kReleased : ChangeKind::kPending;
    } else if (c.old_ips.empty()) {
      c.kind = ChangeKind::kAssigned;
    } else if (LostAny(c.old_ips, c.ips)) {
      c.kind = ChangeKind::kMoved;
    } else if (c.ips != c.old_ips || c.pool != c.old_pool) {
      c.kind = ChangeKind::kAssigned;
    } else {
      continue;
    }
    changes.push_back(std::move(c));
  }
  for (Entry* e : touched_) {
    if (e->removed) entries_.erase(entries_.find(e->key));
  }
  touched_.clear();
  return changes;
}

// ---------------------------------------------------------------- queries

ServiceResult Allocator::ResultOf(const Entry& entry) const {
  return ServiceResult{entry.key, entry.ips, entry.pool_name, entry.pending_reason};
}

std::vector<ServiceResult> Allocator::Assignments() const {
  std::vector<ServiceResult> out;
  for (const auto& [key, entry] : entries_) {
    if (!entry.ips.empty()) out.push_back(ResultOf(entry));
  }
  return out;
}

std::vector<ServiceResult> Allocator::Pending() const {
  std::vector<ServiceResult> out;
  for (const auto& key : pending_) out.push_back(ResultOf(entries_.at(key)));
  return out;
}

std::vector<ServiceResult> Allocator::Results() const {
  std::vector<ServiceResult> out;
  for (const auto& [key, entry] : entries_) out.push_back(ResultOf(entry));
  return out;
}

std::optional<ServiceResult> Allocator::Find(const std::string& key) const {
  auto it = entries_.find(key);
  if (it == entries_.end()) return std::nullopt;
  return ResultOf(it->second);
}

}  // namespace vipcast::ipam
