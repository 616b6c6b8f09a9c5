#include "engine/election/service_scope.h"

#include <algorithm>

namespace vipcast::election {

bool TakesPartInElection(const config::Service& service, const ElectionOptions& options) {
  if (service.type != config::ServiceType::kLoadBalancer) return false;
  if (service.ingress_ips.empty()) return false;
  // internal/k8s/controllers filterByLoadBalancerClass: no class matches only
  // the default (empty) configuration; a class must equal ours exactly.
  if (!service.load_balancer_class) return options.load_balancer_class.empty();
  return *service.load_balancer_class == options.load_balancer_class;
}

const config::IPAddressPool* PoolFor(const std::vector<config::IPAddressPool>& pools,
                                     const std::vector<core::IpAddr>& ips) {
  for (const auto& pool : pools) {
    const bool holds_all = std::all_of(ips.begin(), ips.end(), [&](const core::IpAddr& ip) {
      return std::any_of(pool.ranges.begin(), pool.ranges.end(),
                         [&](const core::IpRange& r) { return r.Contains(ip); });
    });
    if (holds_all) return &pool;
  }
  return nullptr;
}

SlicesByService GroupSlicesByService(const std::vector<config::EndpointSlice>& slices) {
  SlicesByService out;
  for (const auto& slice : slices) {
    const std::string service = slice.ServiceName();
    if (service.empty()) continue;
    const std::string key =
        slice.meta.namespace_.empty() ? service : slice.meta.namespace_ + "/" + service;
    out[key].push_back(&slice);
  }
  return out;
}

}  // namespace vipcast::election
