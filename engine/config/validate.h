// The validation passes that run once every document is parsed: rules across
// fields of one object that need the whole object, and rules across objects
// (names, references, overlaps). Each pass appends diagnostics and keeps
// going; none stops at the first problem.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "engine/config/diagnostic.h"
#include "engine/config/model.h"

namespace vipcast::config::detail {

// Builds diagnostics about a parsed object; the line comes from its
// SourceInfo, the most specific recorded ancestor of `field`.
class Reporter {
 public:
  explicit Reporter(std::vector<Diagnostic>& out) : out_(out) {}
  void Error(std::string_view kind, const ObjectMeta& meta, const std::string& field,
             std::string message);
  void Warning(std::string_view kind, const ObjectMeta& meta, const std::string& field,
               std::string message);

 private:
  void Add(Severity severity, std::string_view kind, const ObjectMeta& meta,
           const std::string& field, std::string message);
  std::vector<Diagnostic>& out_;
};

// "metallb-system/first-pool (pools.yaml:3)": how one object names another.
std::string Describe(std::string_view kind, const ObjectMeta& meta);

// Same kind, namespace and name twice: the later ones are reported and dropped.
void RemoveDuplicates(Resources& resources, Reporter& report);

// Addresses that overlap, within a pool or across pools (O(n log n)).
void ValidatePoolOverlaps(const std::vector<IPAddressPool>& pools, Reporter& report);

// Per-peer rules and the peer's references (BFD profile, password Secret).
void ValidatePeers(const ClusterConfig& config, Reporter& report);

// Advertisements: pool and peer references, aggregation length against the
// selected pools, BFD echo mode on IPv6 pools.
void ValidateAdvertisements(const ClusterConfig& config, Reporter& report);

// MetalLB's rule that advertisements of the same pool, aggregation, peers
// and nodes agree on localPref.
void ValidateLocalPref(const Resources& resources, Reporter& report);

// Community aliases (duplicates) and the communities of each BGPAdvertisement,
// which this pass resolves into resolved_communities.
void ValidateCommunities(ClusterConfig& config, Reporter& report);

// Service annotation and field rules.
void ValidateServices(const Resources& resources, Reporter& report);

// The pools an advertisement applies to, in `pools` order: all pools of its
// namespace when it names none and selects none (MetalLB's default), else
// those named plus those whose labels match a selector.
std::vector<const IPAddressPool*> SelectedPools(const ObjectMeta& adv_meta,
                                                const std::vector<std::string>& names,
                                                const std::vector<LabelSelector>& selectors,
                                                const std::vector<IPAddressPool>& pools);

}  // namespace vipcast::config::detail
