// One-shot allocation over a whole set of manifests, as `vipcastctl
// allocate` shows it: the same Allocator, fed the config then every service.
#pragma once

#include <string>
#include <vector>

#include "engine/config/model.h"
#include "engine/ipam/options.h"
#include "engine/ipam/results.h"

namespace vipcast::ipam {

struct AllocationReport {
  std::vector<ServiceResult> services;  // handled services, sorted by key
  std::vector<PoolCounters> pools;      // sorted by pool name
  std::vector<std::string> warnings;    // pool ranges that were ignored
};

// Deterministic: the same resources give the same report, byte for byte.
// Status IPs in the services are reclaimed as on a controller restart.
AllocationReport AllocateAll(const config::Resources& resources, const AllocatorOptions& options);

}  // namespace vipcast::ipam
