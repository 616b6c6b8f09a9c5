// The texts that tell a user why a service has no address. They are shown
// in events and in `vipcastctl allocate`, so they name pools and families
// instead of MetalLB's bare "no available IPs".
#pragma once

#include <string>
#include <vector>

#include "engine/core/ip.h"
#include "engine/ipam/service_request.h"

namespace vipcast::ipam {

// Why one candidate pool could not serve the service.
struct PoolShortfall {
  std::string pool;
  std::vector<core::IpFamily> full;     // families the pool has, all taken
  std::vector<core::IpFamily> missing;  // families the pool has no range for
};

// `no available IPs in pool "first-pool" for IPv4`, or one clause per pool.
std::string NoAddressReason(const std::vector<PoolShortfall>& shortfalls, StackMode mode);

// No pool may be used by the service at all.
std::string NoCandidatePoolReason(bool any_pool, bool any_auto_assign_pool,
                                  const std::string& namespace_);

}  // namespace vipcast::ipam
