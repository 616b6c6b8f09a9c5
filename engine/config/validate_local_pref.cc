// MetalLB's localPref consistency rule (validateBGPAdvPerPool and
// BGPAdvertisementsHaveCompatibleLocalPref in internal/config/config.go): two
// BGPAdvertisements that announce the same pool must agree on localPref
// unless their routes can never be the same BGP update, that is unless they
// differ in aggregation length (for every family the pool has), their peer
// lists are both set and disjoint, or their node sets are disjoint. The rule
// is skipped when either has serviceSelectors.
//
// Node sets are computed against the Node objects when there are some. With
// no Nodes loaded (validating only the MetalLB resources) the sets are
// unknown: two advertisements are then taken to share nodes only when one of
// them selects all nodes or both use the same selectors, so vipcast never
// reports a conflict that real nodes could not produce.
#include <algorithm>
#include <map>
#include <set>

#include "engine/config/validate.h"

namespace vipcast::config::detail {
namespace {

// Bounds the pairwise comparisons of a pathological configuration (thousands
// of advertisements on one pool); real ones make a few dozen.
constexpr size_t kMaxComparisons = 2'000'000;

struct AdInfo {
  const BGPAdvertisement* ad;
  std::vector<size_t> nodes;  // indices into the node list, sorted (when nodes are known)
};

bool Disjoint(const std::vector<size_t>& a, const std::vector<size_t>& b) {
  size_t i = 0, j = 0;
  while (i < a.size() && j < b.size()) {
    if (a[i] == b[j]) return false;
    a[i] < b[j] ? ++i : ++j;
  }
  return true;
}

bool PeersDisjoint(const BGPAdvertisement& a, const BGPAdvertisement& b) {
  if (a.peers.empty() || b.peers.empty()) return false;
  for (const auto& p : a.peers) {
    if (std::find(b.peers.begin(), b.peers.end(), p) != b.peers.end()) return false;
  }
  return true;
}

bool NodesDisjoint(const AdInfo& a, const AdInfo& b, bool nodes_known) {
  if (nodes_known) return Disjoint(a.nodes, b.nodes);
  if (a.ad->node_selectors.empty() || b.ad->node_selectors.empty()) return false;
  return a.ad->node_selectors != b.ad->node_selectors;
}

}  // namespace

void ValidateLocalPref(const Resources& resources, Reporter& report) {
  const auto& config = resources.config;
  const auto& nodes = resources.nodes.nodes;
  const bool nodes_known = !nodes.empty();

  std::vector<AdInfo> ads;
  for (const auto& ad : config.bgp_advertisements) {
    if (!ad.service_selectors.empty()) continue;
    AdInfo info{&ad, {}};
    for (size_t n = 0; nodes_known && n < nodes.size(); ++n) {
      if (AnySelectorMatches(ad.node_selectors, nodes[n].meta.labels)) info.nodes.push_back(n);
    }
    ads.push_back(std::move(info));
  }
  if (ads.size() < 2) return;

  // Pool -> the advertisements (indices into `ads`) that announce it.
  std::map<const IPAddressPool*, std::vector<size_t>> by_pool;
  for (size_t i = 0; i < ads.size(); ++i) {
    const auto& ad = *ads[i].ad;
    for (const IPAddressPool* pool :
         SelectedPools(ad.meta, ad.ip_address_pools, ad.ip_address_pool_selectors, config.pools)) {
      by_pool[pool].push_back(i);
    }
  }

  std::set<std::pair<size_t, size_t>> reported;
  size_t comparisons = 0;
  for (const IPAddressPool& pool : config.pools) {
    auto it = by_pool.find(&pool);
    if (it == by_pool.end() || it->second.size() < 2) continue;
    bool has_v4 = false, has_v6 = false;
    for (const auto& range : pool.ranges) {
      (range.family() == core::IpFamily::kV4 ? has_v4 : has_v6) = true;
    }
    const auto& members = it->second;
    for (size_t x = 0; x < members.size(); ++x) {
      for (size_t y = x + 1; y < members.size(); ++y) {
        if (++comparisons > kMaxComparisons) return;
        const AdInfo& a = ads[members[x]];
        const AdInfo& b = ads[members[y]];
        const uint32_t pref_a = a.ad->local_pref.value_or(0);  // MetalLB's default is 0
        const uint32_t pref_b = b.ad->local_pref.value_or(0);
        if (pref_a == pref_b) continue;
        const bool v4_differs = a.ad->aggregation_length != b.ad->aggregation_length;
        const bool v6_differs = a.ad->aggregation_length_v6 != b.ad->aggregation_length_v6;
        const bool lengths_differ = (!has_v4 || v4_differs) && (!has_v6 || v6_differs);
        if (lengths_differ || PeersDisjoint(*a.ad, *b.ad) || NodesDisjoint(a, b, nodes_known)) {
          continue;
        }
        if (!reported.emplace(members[x], members[y]).second) continue;
        // members are in input order, so b is the later of the two.
        report.Error("BGPAdvertisement", b.ad->meta, "spec.localPref",
                     "localPref " + std::to_string(pref_b) + " conflicts with localPref " +
                         std::to_string(pref_a) + " of " +
                         Describe("BGPAdvertisement", a.ad->meta) + ": both announce " +
                         Describe("IPAddressPool", pool.meta) +
                         " with the same aggregation length to the same peers and nodes, so "
                         "one route would need two LOCAL_PREF values");
      }
    }
  }
}

}  // namespace vipcast::config::detail
