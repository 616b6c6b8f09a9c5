// Which L2Advertisements speak for a service, which nodes they allow, and the
// preference score they give each node. Follows MetalLB's
// internal/config/config.go (setL2AdvertisementsToPools, selectedNodes,
// preferredNodeScores) and speaker/layer2_controller.go (l2AdsForService,
// preferredScoresFor).
#pragma once

#include <cstddef>
#include <cstdint>
#include <vector>

#include "engine/config/model.h"

namespace vipcast::election {

// Indices into ClusterConfig::l2_advertisements, ascending. Each
// advertisement appears once even when it reaches the pool both by name and by
// selector, so its preference weights are not counted twice (as in MetalLB).
using AdvertisementSet = std::vector<size_t>;

// No ipAddressPools and no ipAddressPoolSelectors means every pool. Names of
// pools that don't exist are ignored, as MetalLB does.
bool AppliesToPool(const config::L2Advertisement& ad, const config::IPAddressPool& pool);

// The advertisements of `pool` whose serviceSelectors are empty or match the
// service's labels (MetalLB adsForService).
AdvertisementSet AdvertisementsFor(const config::ClusterConfig& config,
                                   const config::IPAddressPool& pool,
                                   const config::Service& service);

// nodeSelectors empty, or any of them matching the node's labels.
bool SelectsNode(const config::L2Advertisement& ad, const config::Node& node);

// The node's preference score under one advertisement: the summed weights of
// the preferredNodeSelectors that match it, counted only when the
// advertisement selects the node and only when the sum is positive (MetalLB
// keeps `total > 0` entries only, so a negative sum scores 0).
int64_t PreferenceScore(const config::L2Advertisement& ad, const config::Node& node);

// Over a set: does any advertisement select the node, and the summed score.
bool AnySelectsNode(const config::ClusterConfig& config, const AdvertisementSet& ads,
                    const config::Node& node);
int64_t Score(const config::ClusterConfig& config, const AdvertisementSet& ads,
              const config::Node& node);

// MetalLB refuses to announce a service with the allow-shared-ip annotation
// (either prefix, any value) when one of its advertisements has
// serviceSelectors: sharing services could otherwise be split across nodes.
bool SharedIpConflict(const config::ClusterConfig& config, const AdvertisementSet& ads,
                      const config::Service& service);

}  // namespace vipcast::election
