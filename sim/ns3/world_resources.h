// What the simulated controller hands the speakers: the manifests'
// resources completed the way a cluster would complete them.
//  - Services handled by vipcast get status.loadBalancer.ingress from
//    ipam::AllocateAll (as vipcast-controller and `vipcastctl allocate`
//    compute it); pending ones get none.
//  - Every cluster node missing from the Nodes gets a default Node (its
//    name and InternalIP, no labels, no conditions).
//  - Services named in the scenario's endpoints get one EndpointSlice with a
//    ready endpoint per listed node (replacing the manifests' slices for that
//    service); the others keep the manifests' slices.
#pragma once

#include <map>
#include <memory>
#include <string>
#include <utility>
#include <vector>

#include "engine/config/model.h"
#include "engine/core/ip.h"

namespace vipcast::sim {

struct ControllerView {
  std::shared_ptr<const config::ClusterConfig> config;
  std::shared_ptr<const config::ServiceSet> services;
  std::shared_ptr<const config::NodeSet> nodes;
  // Every handled service: its VIPs (primary family first), empty = pending.
  std::map<std::string, std::vector<core::IpAddr>> assignments;
  std::map<std::string, std::string> pending_reasons;
};

ControllerView ComputeControllerView(
    const config::Resources& resources,
    const std::map<std::string, std::vector<std::string>>& endpoints,
    const std::vector<std::pair<std::string, core::IpAddr>>& cluster_nodes);

}  // namespace vipcast::sim
