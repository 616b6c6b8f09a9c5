// L2Advertisement and BGPAdvertisement against the pools and peers they
// reference.
//
// Deliberate difference from MetalLB: a name in ipAddressPools or peers that
// matches no object is an error here. MetalLB ignores it silently
// (setL2AdvertisementsToPools / setBGPAdvertisementsToPools attach only to
// pools that exist, and peers is only a filter at announce time), so a typo
// leaves a pool unannounced with no sign of why.
#include <algorithm>
#include <map>
#include <set>

#include "engine/config/scalar.h"
#include "engine/config/validate.h"

namespace vipcast::config::detail {
namespace {

using NameSet = std::set<std::pair<std::string, std::string>>;  // (namespace, name)

template <typename T>
NameSet NamesOf(const std::vector<T>& list) {
  NameSet out;
  for (const auto& item : list) out.emplace(item.meta.namespace_, item.meta.name);
  return out;
}

void CheckNames(std::string_view kind, const ObjectMeta& meta, const std::string& field,
                const std::vector<std::string>& names, const NameSet& known,
                std::string_view target_kind, Reporter& report) {
  for (size_t i = 0; i < names.size(); ++i) {
    if (names[i].empty()) continue;  // reported while parsing
    if (known.count({meta.namespace_, names[i]}) == 0) {
      report.Error(kind, meta, field + "[" + std::to_string(i) + "]",
                   std::string(target_kind) + " " + Quote(names[i]) + " not found in namespace " +
                       meta.namespace_);
    }
  }
}

// The least specific prefix length of each family across a pool's entries,
// with the entry that has it. For a range that is the shortest CIDR of its
// summary (MetalLB's validateBGPAdvPerPool does the same per entry).
struct PoolPrefixes {
  int v4 = 33, v6 = 129;  // none
  size_t v4_entry = 0, v6_entry = 0;
  bool has_v6 = false;
};

PoolPrefixes PrefixesOf(const IPAddressPool& pool) {
  PoolPrefixes out;
  for (size_t i = 0; i < pool.addresses.size(); ++i) {
    auto range = core::IpRange::Parse(pool.addresses[i]);
    if (!range) continue;
    int shortest = range->first().BitLength();
    for (const auto& prefix : range->ToPrefixes()) shortest = std::min(shortest, prefix.length());
    if (range->family() == core::IpFamily::kV4 && shortest < out.v4) {
      out.v4 = shortest;
      out.v4_entry = i;
    } else if (range->family() == core::IpFamily::kV6) {
      out.has_v6 = true;
      if (shortest < out.v6) {
        out.v6 = shortest;
        out.v6_entry = i;
      }
    }
  }
  return out;
}

void CheckAggregation(const BGPAdvertisement& adv, const IPAddressPool& pool,
                      const PoolPrefixes& prefixes, Reporter& report) {
  auto check = [&](int aggregation, int shortest, size_t entry, const char* field) {
    if (aggregation >= shortest) return;
    // MetalLB: "invalid aggregation length %d: prefix %d in this pool is more
    // specific than the aggregation length for addresses %s".
    report.Error("BGPAdvertisement", adv.meta, field,
                 std::to_string(aggregation) + " is shorter than the /" + std::to_string(shortest) +
                     " prefix of " + pool.addresses[entry] + " in " +
                     Describe("IPAddressPool", pool.meta) + "; it must be at least " +
                     std::to_string(shortest));
  };
  if (prefixes.v4 <= 32)
    check(adv.aggregation_length, prefixes.v4, prefixes.v4_entry, "spec.aggregationLength");
  if (prefixes.v6 <= 128) {
    check(adv.aggregation_length_v6, prefixes.v6, prefixes.v6_entry, "spec.aggregationLengthV6");
  }
}

// MetalLB validateConfig: FRR cannot run BFD echo mode for IPv6, so a pool
// with IPv6 addresses may not be announced to a peer whose BFD profile has
// echoMode. Returns the first such peer of the advertisement (its `peers`, or
// every peer of its namespace), so the per-pool check is O(1).
const BGPPeer* EchoPeer(
    const BGPAdvertisement& adv, const ClusterConfig& config,
    const std::map<std::pair<std::string, std::string>, const BFDProfile*>& bfd) {
  for (const auto& peer : config.bgp_peers) {
    if (peer.meta.namespace_ != adv.meta.namespace_ || peer.bfd_profile.empty()) continue;
    if (!adv.peers.empty() &&
        std::find(adv.peers.begin(), adv.peers.end(), peer.meta.name) == adv.peers.end()) {
      continue;
    }
    auto it = bfd.find({peer.meta.namespace_, peer.bfd_profile});
    if (it != bfd.end() && it->second->echo_mode) return &peer;
  }
  return nullptr;
}

}  // namespace

void ValidateAdvertisements(const ClusterConfig& config, Reporter& report) {
  const NameSet pools = NamesOf(config.pools);
  const NameSet peers = NamesOf(config.bgp_peers);
  for (const auto& adv : config.l2_advertisements) {
    CheckNames("L2Advertisement", adv.meta, "spec.ipAddressPools", adv.ip_address_pools, pools,
               "IPAddressPool", report);
  }
  if (config.bgp_advertisements.empty()) return;

  std::vector<PoolPrefixes> prefixes;
  prefixes.reserve(config.pools.size());
  std::map<const IPAddressPool*, size_t> index;
  for (const auto& pool : config.pools) {
    index.emplace(&pool, prefixes.size());
    prefixes.push_back(PrefixesOf(pool));
  }
  std::map<std::pair<std::string, std::string>, const BFDProfile*> bfd;
  for (const auto& p : config.bfd_profiles)
    bfd.emplace(std::pair(p.meta.namespace_, p.meta.name), &p);

  for (const auto& adv : config.bgp_advertisements) {
    CheckNames("BGPAdvertisement", adv.meta, "spec.ipAddressPools", adv.ip_address_pools, pools,
               "IPAddressPool", report);
    CheckNames("BGPAdvertisement", adv.meta, "spec.peers", adv.peers, peers, "BGPPeer", report);
    const BGPPeer* echo_peer = EchoPeer(adv, config, bfd);
    for (const IPAddressPool* pool : SelectedPools(adv.meta, adv.ip_address_pools,
                                                   adv.ip_address_pool_selectors, config.pools)) {
      const PoolPrefixes& p = prefixes[index.at(pool)];
      CheckAggregation(adv, *pool, p, report);
      if (p.has_v6 && echo_peer != nullptr) {
        report.Error("BGPAdvertisement", adv.meta, "spec",
                     "announces IPv6 addresses of " + Describe("IPAddressPool", pool->meta) +
                         " to " + Describe("BGPPeer", echo_peer->meta) + ", whose BFDProfile " +
                         Quote(echo_peer->bfd_profile) +
                         " enables echoMode, which BFD cannot do over IPv6");
      }
    }
  }
}

}  // namespace vipcast::config::detail
