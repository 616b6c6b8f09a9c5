// Which services take part in the layer 2 election at all, and which pool
// their IPs come from. Mirrors what MetalLB's speaker checks before it asks
// the layer 2 controller (speaker/main.go SetBalancer, and the service
// controller's loadBalancerClass filter).
#pragma once

#include <map>
#include <optional>
#include <string>
#include <vector>

#include "engine/config/model.h"
#include "engine/election/options.h"

namespace vipcast::election {

// A LoadBalancer service of our class with at least one ingress IP. Others
// have nothing to announce (MetalLB: "notLoadBalancer", "noIPAllocated", or
// the service is filtered out by class before the speaker sees it).
bool TakesPartInElection(const config::Service& service, const ElectionOptions& options);

// The pool whose ranges hold every one of `ips` (MetalLB poolFor). Pools never
// overlap after validation, so at most one does; nullptr when none.
const config::IPAddressPool* PoolFor(const std::vector<config::IPAddressPool>& pools,
                                     const std::vector<core::IpAddr>& ips);

// EndpointSlices grouped by the service they belong to: key "namespace/name"
// from the slice's namespace and its kubernetes.io/service-name label. Slices
// without that label belong to no service. Input order within a group.
using SlicesByService = std::map<std::string, std::vector<const config::EndpointSlice*>>;
SlicesByService GroupSlicesByService(const std::vector<config::EndpointSlice>& slices);

}  // namespace vipcast::election
