#include "sim/ns3/world_resources.h"

#include <algorithm>

#include "engine/ipam/allocate_all.h"

namespace vipcast::sim {

namespace {

config::EndpointSlice SliceFor(const std::string& key, const std::vector<std::string>& nodes,
                               const std::map<std::string, core::IpAddr>& addresses) {
  const size_t slash = key.find('/');
  config::EndpointSlice slice;
  slice.meta.namespace_ = slash == std::string::npos ? "default" : key.substr(0, slash);
  const std::string name = slash == std::string::npos ? key : key.substr(slash + 1);
  slice.meta.name = name + "-sim";
  slice.meta.labels[config::kLabelServiceName] = name;
  for (const std::string& node : nodes) {
    config::Endpoint ep;
    ep.node_name = node;
    if (auto it = addresses.find(node); it != addresses.end()) ep.addresses.push_back(it->second);
    ep.conditions.ready = true;
    slice.endpoints.push_back(std::move(ep));
  }
  return slice;
}

}  // namespace

ControllerView ComputeControllerView(
    const config::Resources& resources,
    const std::map<std::string, std::vector<std::string>>& endpoints,
    const std::vector<std::pair<std::string, core::IpAddr>>& cluster_nodes) {
  ControllerView view;
  const std::map<std::string, core::IpAddr> addresses(cluster_nodes.begin(), cluster_nodes.end());

  config::NodeSet nodes = resources.nodes;
  for (const auto& cluster_node : cluster_nodes) {
    const std::string& name = cluster_node.first;
    const bool listed = std::any_of(nodes.nodes.begin(), nodes.nodes.end(),
                                    [&](const config::Node& n) { return n.meta.name == name; });
    if (listed) continue;
    config::Node node;
    node.meta.name = name;
    // As the kubelet labels every node (BGPPeer nodeSelectors use it).
    node.meta.labels["kubernetes.io/hostname"] = name;
    node.addresses.push_back(cluster_node.second);
    nodes.nodes.push_back(std::move(node));
  }
  std::sort(
      nodes.nodes.begin(), nodes.nodes.end(),
      [](const config::Node& a, const config::Node& b) { return a.meta.Key() < b.meta.Key(); });

  config::ServiceSet services = resources.services;
  const ipam::AllocationReport report = ipam::AllocateAll(resources, ipam::AllocatorOptions{});
  for (const ipam::ServiceResult& r : report.services) {
    view.assignments[r.service] = r.ips;
    if (r.pending()) view.pending_reasons[r.service] = r.pending_reason;
    for (config::Service& s : services.services) {
      if (s.meta.Key() == r.service) s.ingress_ips = r.ips;
    }
  }
  for (const auto& [key, on_nodes] : endpoints) {
    config::EndpointSlice slice = SliceFor(key, on_nodes, addresses);
    std::erase_if(services.endpoint_slices, [&](const config::EndpointSlice& e) {
      return e.meta.namespace_ == slice.meta.namespace_ &&
             e.ServiceName() == slice.meta.labels[config::kLabelServiceName];
    });
    services.endpoint_slices.push_back(std::move(slice));
  }
  std::sort(services.endpoint_slices.begin(), services.endpoint_slices.end(),
            [](const config::EndpointSlice& a, const config::EndpointSlice& b) {
              return a.meta.Key() < b.meta.Key();
            });

  view.config = std::make_shared<const config::ClusterConfig>(resources.config);
  view.services = std::make_shared<const config::ServiceSet>(std::move(services));
  view.nodes = std::make_shared<const config::NodeSet>(std::move(nodes));
  return view;
}

}  // namespace vipcast::sim
