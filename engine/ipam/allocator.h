// The controller's address allocator: MetalLB's allocation semantics with
// every choice made deterministically. Driven incrementally (config and
// service events) and queried for results and metrics. Pure: no I/O.
//
// Order of preference for a service without an address:
//   1. the IPs it requests (metallb.io/loadBalancerIPs or
//      spec.loadBalancerIP), from any pool that allows it, autoAssign or not;
//   2. the pool it names (metallb.io/address-pool), autoAssign or not;
//   3. autoAssign pools with a serviceAllocation that allows it, by
//      priority (lower first, unset last), ties by pool name;
//   4. the other autoAssign pools, by name.
// Inside a pool: the pool's ranges in the order written, lowest address
// first; with a sharing key, the first already-used address it may share
// if that comes earlier than the first free one (MetalLB's auto-packing).
// A dual-stack service takes both families from one pool; PreferDualStack
// falls back to one family (primary first) when no pool of a tier has both.
//
// Stability: a service keeps its addresses while they stay allowed (in a
// pool that allows it, matching its request, compatible with the other
// holders), across config changes and restarts (status IPs are reclaimed
// before anything new is allocated). Pending services are retried, most
// constrained first then by namespace/name, whenever addresses are freed.
//
// Invariants (checked by the property tests):
//  - an address held by several services is held only by services whose
//    sharing is compatible (same non-empty key, same backend, disjoint ports);
//  - every held address lies in a pool that exists, contains it, allows
//    the service, and is of a family the service uses;
//  - after every operation no pending service could be given an address
//    (the state is what a restart from the current status would produce);
//  - the same sequence of operations gives the same results.
#pragma once

#include <map>
#include <optional>
#include <set>
#include <string>
#include <vector>

#include "engine/config/model.h"
#include "engine/core/ip.h"
#include "engine/core/result.h"
#include "engine/ipam/options.h"
#include "engine/ipam/pool_set.h"
#include "engine/ipam/results.h"
#include "engine/ipam/service_request.h"
#include "engine/ipam/sharing.h"

namespace vipcast::ipam {

class Allocator {
 public:
  explicit Allocator(AllocatorOptions options = {});

  // New pools or Namespace labels. Each service keeps its addresses if
  // still allowed, otherwise moves (or becomes pending); pending services
  // are retried.
  std::vector<Change> SetConfig(const config::ClusterConfig& config);
  // A service was created or changed. Services that are not type
  // LoadBalancer or have another loadBalancerClass are released and ignored.
  std::vector<Change> Upsert(const config::Service& service);
  // A service was deleted; `key` is "namespace/name".
  std::vector<Change> Delete(const std::string& key);
  // A full resync (startup, relist): `services` are all the services there
  // are. Addresses in status.loadBalancer.ingress are reclaimed first.
  std::vector<Change> ReplaceServices(const std::vector<config::Service>& services);

  // Sorted by service key.
  std::vector<ServiceResult> Assignments() const;
  std::vector<ServiceResult> Pending() const;
  std::vector<ServiceResult> Results() const;
  std::optional<ServiceResult> Find(const std::string& key) const;
  // Sorted by pool name.
  std::vector<PoolCounters> PoolStats() const;
  // Ranges the last SetConfig ignored (overlaps, unparsable addresses).
  const std::vector<std::string>& config_warnings() const { return config_warnings_; }

 private:
  struct Snapshot {
    std::vector<core::IpAddr> ips;
    std::string pool;
    std::string pending_reason;
  };
  struct Entry {
    std::string key;  // its address is what AddressUse holders point to
    config::Service service;
    ServiceRequest request;
    std::vector<core::IpAddr> ips;  // held, primary family first
    size_t pool = 0;                // index into pools_, valid while ips is non-empty
    std::string pool_name;
    std::string pending_reason;  // set while ips is empty
    // During a reconcile pass: the addresses held before, to reclaim first.
    std::vector<core::IpAddr> previous;
    // Journal of the current operation (see Touch).
    bool touched = false;
    bool existed = false;  // before the operation
    bool removed = false;  // gone at the end of the operation
    Snapshot before;
  };
  struct Choice {
    size_t pool = 0;
    std::vector<core::IpAddr> ips;
  };

  // Journal: the first time an operation touches a service, its state is
  // recorded in the entry; Finish compares, emits the change log and erases
  // removed entries (entries stay in place during an operation so the
  // journal can point at them).
  Entry& EntryFor(const std::string& key);  // creates a new, touched entry if needed
  void Touch(Entry& entry);
  void Remove(Entry& entry);
  std::vector<Change> Finish();

  // Decides every entry of `batch` (sorted by key), in three phases:
  // reclaim held or status addresses; allocate the rest, most constrained
  // first; then try to give PreferDualStack services holding one family
  // their second.
  void Reconcile(const std::vector<Entry*>& batch);
  void RetryPending();

  bool TryClaim(Entry& entry, const std::vector<core::IpAddr>& ips);
  void AllocateFresh(Entry& entry);
  void TryUpgrade(Entry& entry);

  core::Result<Choice> ChooseFresh(const Entry& entry) const;
  core::Result<size_t> ValidateExplicit(const Entry& entry,
                                        const std::vector<core::IpAddr>& ips) const;
  core::Result<Choice> ChooseFromNamedPool(const Entry& entry) const;
  core::Result<Choice> ChooseAuto(const Entry& entry) const;
  // The first usable address of `family` in the pool for this service.
  std::optional<core::IpAddr> FindAddress(size_t pool, core::IpFamily family,
                                          const SharingIdentity& identity) const;

  void Hold(Entry& entry, const std::vector<core::IpAddr>& ips, size_t pool);
  void HoldAddress(Entry& entry, const core::IpAddr& ip, const PoolSet::Location& location);
  void Release(Entry& entry);
  void SetPending(Entry& entry, std::string reason);
  void UpdateDegraded(const Entry& entry);
  ServiceResult ResultOf(const Entry& entry) const;

  AllocatorOptions options_;
  PoolSet pools_;
  std::vector<std::string> config_warnings_;
  std::map<std::string, Entry> entries_;
  std::map<core::IpAddr, AddressUse> uses_;
  std::set<std::string> pending_;  // entries without addresses
  // Auto-assigned PreferDualStack entries holding one family of two.
  std::set<std::string> degraded_;
  std::vector<Entry*> touched_;  // this operation's journal, in touch order
};

}  // namespace vipcast::ipam
