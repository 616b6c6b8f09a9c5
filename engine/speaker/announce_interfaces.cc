#include "engine/speaker/announce_interfaces.h"

#include "engine/election/advertisements.h"
#include "engine/election/service_scope.h"

namespace vipcast::speaker {

std::set<std::string> AnnounceInterfaces(const config::ClusterConfig& config,
                                         const config::Service& service, const config::Node& node) {
  std::set<std::string> out;
  const config::IPAddressPool* pool = election::PoolFor(config.pools, service.ingress_ips);
  if (pool == nullptr) return out;
  for (size_t index : election::AdvertisementsFor(config, *pool, service)) {
    const config::L2Advertisement& ad = config.l2_advertisements[index];
    if (!election::SelectsNode(ad, node)) continue;
    if (ad.interfaces.empty()) return {};  // every interface
    out.insert(ad.interfaces.begin(), ad.interfaces.end());
  }
  return out;
}

}  // namespace vipcast::speaker
