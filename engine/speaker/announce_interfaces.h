// On which interfaces this node answers for a service it wins: the
// `interfaces` of the L2Advertisements that speak for the service and select
// this node (MetalLB speaker/layer2_controller.go and internal/layer2: an
// advertisement without interfaces means every interface, and wins over any
// list).
#pragma once

#include <set>
#include <string>

#include "engine/config/model.h"

namespace vipcast::speaker {

// Empty means every interface. Uses the election's own advertisement
// matching (election/advertisements.h), so the set of advertisements is the
// one that made the node eligible.
std::set<std::string> AnnounceInterfaces(const config::ClusterConfig& config,
                                         const config::Service& service, const config::Node& node);

}  // namespace vipcast::speaker
