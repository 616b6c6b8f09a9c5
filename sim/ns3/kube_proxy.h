// What kube-proxy on a cluster node does with client traffic that reached
// it for a LoadBalancer VIP (the probes' responders ask before answering):
//  - a service without any ready endpoint: dropped (kube-proxy installs a
//    reject/drop rule for it);
//  - externalTrafficPolicy Local: answered only on a node with a ready
//    endpoint of its own, dropped elsewhere (no hop to another node, which
//    is the point of Local: the client's source address is kept);
//  - externalTrafficPolicy Cluster: answered (forwarded to some endpoint).
// Traffic to anything but a VIP (the node's own address) is answered.
#pragma once

#include <map>
#include <string>
#include <vector>

#include "engine/core/ip.h"
#include "sim/ns3/world_resources.h"

namespace vipcast::sim {

bool KubeProxyAdmits(const ControllerView& view,
                     const std::map<std::string, std::vector<std::string>>& endpoints,
                     const std::string& node, const core::IpAddr& local);

}  // namespace vipcast::sim
