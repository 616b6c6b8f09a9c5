#include "sim/ns3/kube_proxy.h"

#include <algorithm>

namespace vipcast::sim {

bool KubeProxyAdmits(const ControllerView& view,
                     const std::map<std::string, std::vector<std::string>>& endpoints,
                     const std::string& node, const core::IpAddr& local) {
  for (const auto& [key, vips] : view.assignments) {
    if (std::find(vips.begin(), vips.end(), local) == vips.end()) continue;
    const auto ready = endpoints.find(key);
    if (ready == endpoints.end() || ready->second.empty()) return false;
    bool local_policy = false;
    if (view.services) {
      for (const config::Service& s : view.services->services) {
        if (s.meta.Key() == key) {
          local_policy = s.external_traffic_policy == config::TrafficPolicy::kLocal;
        }
      }
    }
    if (!local_policy) return true;
    return std::find(ready->second.begin(), ready->second.end(), node) != ready->second.end();
  }
  return true;
}

}  // namespace vipcast::sim
