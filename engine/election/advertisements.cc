#include "engine/election/advertisements.h"

#include <algorithm>

namespace vipcast::election {

bool AppliesToPool(const config::L2Advertisement& ad, const config::IPAddressPool& pool) {
  if (ad.ip_address_pools.empty() && ad.ip_address_pool_selectors.empty()) return true;
  if (std::find(ad.ip_address_pools.begin(), ad.ip_address_pools.end(), pool.meta.name) !=
      ad.ip_address_pools.end()) {
    return true;
  }
  // An empty selector list selects no pool here (filterPoolsWithLabelSelector),
  // unlike nodeSelectors where it means all nodes.
  return std::any_of(ad.ip_address_pool_selectors.begin(), ad.ip_address_pool_selectors.end(),
                     [&](const config::LabelSelector& s) { return s.Matches(pool.meta.labels); });
}

AdvertisementSet AdvertisementsFor(const config::ClusterConfig& config,
                                   const config::IPAddressPool& pool,
                                   const config::Service& service) {
  AdvertisementSet out;
  for (size_t i = 0; i < config.l2_advertisements.size(); ++i) {
    const auto& ad = config.l2_advertisements[i];
    if (AppliesToPool(ad, pool) &&
        config::AnySelectorMatches(ad.service_selectors, service.meta.labels)) {
      out.push_back(i);
    }
  }
  return out;
}

bool SelectsNode(const config::L2Advertisement& ad, const config::Node& node) {
  return config::AnySelectorMatches(ad.node_selectors, node.meta.labels);
}

int64_t PreferenceScore(const config::L2Advertisement& ad, const config::Node& node) {
  if (ad.preferred_node_selectors.empty() || !SelectsNode(ad, node)) return 0;
  int64_t total = 0;
  for (const auto& preferred : ad.preferred_node_selectors) {
    if (preferred.preference.Matches(node.meta.labels)) total += preferred.weight;
  }
  return total > 0 ? total : 0;
}

bool AnySelectsNode(const config::ClusterConfig& config, const AdvertisementSet& ads,
                    const config::Node& node) {
  return std::any_of(ads.begin(), ads.end(),
                     [&](size_t i) { return SelectsNode(config.l2_advertisements[i], node); });
}

int64_t Score(const config::ClusterConfig& config, const AdvertisementSet& ads,
              const config::Node& node) {
  int64_t total = 0;
  for (size_t i : ads) total += PreferenceScore(config.l2_advertisements[i], node);
  return total;
}

bool SharedIpConflict(const config::ClusterConfig& config, const AdvertisementSet& ads,
                      const config::Service& service) {
  if (!service.Annotation("allow-shared-ip")) return false;
  return std::any_of(ads.begin(), ads.end(), [&](size_t i) {
    return !config.l2_advertisements[i].service_selectors.empty();
  });
}

}  // namespace vipcast::election
