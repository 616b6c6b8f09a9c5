// What the allocator reports: per-service results, the change log of each
// operation, and per-pool counters for metrics.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "engine/core/ip.h"

namespace vipcast::ipam {

struct ServiceResult {
  std::string service;            // "namespace/name"
  std::vector<core::IpAddr> ips;  // primary family first; empty while pending
  std::string pool;               // the metallb.io/ip-allocated-from-pool value
  std::string pending_reason;     // set iff ips is empty
  bool pending() const { return ips.empty(); }
  bool operator==(const ServiceResult&) const = default;
};

enum class ChangeKind {
  kAssigned,  // got addresses (or, keeping all it had, more addresses or a new pool name)
  kMoved,     // lost at least one address and got others
  kReleased,  // lost its addresses because it is gone or no longer handled
  kPending,   // has no address: newly pending, lost its addresses, or a new reason
};
std::string_view ToString(ChangeKind kind);

// One service's net change over one operation. An operation reports at
// most one Change per service, ordered by service key.
struct Change {
  ChangeKind kind = ChangeKind::kAssigned;
  std::string service;
  std::vector<core::IpAddr> old_ips;
  std::string old_pool;
  std::vector<core::IpAddr> ips;
  std::string pool;
  std::string reason;  // kPending only
  // "moved default/web 192.168.1.240 -> 192.168.1.241 pool=first-pool"
  std::string ToString() const;
  bool operator==(const Change&) const = default;
};

// The metallb_allocator_* gauges of one pool. Counts saturate at
// kCountSaturation (see capacity.h). A shared address counts once.
struct PoolCounters {
  std::string pool;
  uint64_t addresses_total = 0;  // usable capacity (avoidBuggyIPs respected)
  uint64_t ipv4_addresses_total = 0;
  uint64_t ipv6_addresses_total = 0;
  uint64_t addresses_in_use = 0;
  uint64_t ipv4_addresses_in_use = 0;
  uint64_t ipv6_addresses_in_use = 0;
  uint64_t services = 0;  // services holding addresses from the pool
  bool operator==(const PoolCounters&) const = default;
};

}  // namespace vipcast::ipam
