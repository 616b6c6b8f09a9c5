// How an allocator instance is configured (as opposed to what it allocates
// from, which is the ClusterConfig).
#pragma once

#include <optional>
#include <string>

namespace vipcast::ipam {

struct AllocatorOptions {
  // MetalLB's --lb-class. Unset: only services without
  // spec.loadBalancerClass are handled; set: only services whose class is
  // exactly this value. Other services are left to another implementation.
  std::optional<std::string> load_balancer_class;
};

}  // namespace vipcast::ipam
