// Endpoint readiness as MetalLB's speaker judges it
// (internal/k8s/epslices EndpointCanServe).
#pragma once

#include <string>
#include <vector>

#include "engine/config/model.h"

namespace vipcast::election {

// Ready, where an absent ready condition means ready (discovery.k8s.io/v1
// semantics), or explicitly serving: MetalLB keeps announcing for endpoints
// that are terminating but still serving, so connections drain.
bool EndpointCanServe(const config::Endpoint& endpoint);

// At least one endpoint of the service, on any node, can serve. MetalLB
// announces nothing otherwise, whatever the traffic policy.
bool AnyServingEndpoint(const std::vector<const config::EndpointSlice*>& slices);

// The names of nodes hosting an endpoint that can serve, sorted, without
// duplicates. Endpoints without a nodeName count for AnyServingEndpoint but
// put no node here (MetalLB nodesWithEndpoint skips them).
std::vector<std::string> NodesWithServingEndpoint(
    const std::vector<const config::EndpointSlice*>& slices);

}  // namespace vipcast::election
