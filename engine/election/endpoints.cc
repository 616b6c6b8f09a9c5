#include "engine/election/endpoints.h"

#include <algorithm>

namespace vipcast::election {

bool EndpointCanServe(const config::Endpoint& endpoint) {
  return endpoint.conditions.ready.value_or(true) || endpoint.conditions.serving.value_or(false);
}

bool AnyServingEndpoint(const std::vector<const config::EndpointSlice*>& slices) {
  for (const auto* slice : slices) {
    for (const auto& endpoint : slice->endpoints) {
      if (EndpointCanServe(endpoint)) return true;
    }
  }
  return false;
}

std::vector<std::string> NodesWithServingEndpoint(
    const std::vector<const config::EndpointSlice*>& slices) {
  std::vector<std::string> nodes;
  for (const auto* slice : slices) {
    for (const auto& endpoint : slice->endpoints) {
      if (EndpointCanServe(endpoint) && !endpoint.node_name.empty()) {
        nodes.push_back(endpoint.node_name);
      }
    }
  }
  std::sort(nodes.begin(), nodes.end());
  nodes.erase(std::unique(nodes.begin(), nodes.end()), nodes.end());
  return nodes;
}

}  // namespace vipcast::election
