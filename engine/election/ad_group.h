// Per-node facts for one set of L2Advertisements: does any of them select the
// node, and what preference score they give it. Every service whose pool and
// labels lead to the same set shares one group, so a node label change is
// evaluated once per distinct set, not once per service.
//
// Invariant: for every id below the vectors' size the entries equal
// AnySelectsNode/Score for the node's current object (0 without one); ids at
// or beyond the size have no Node object.
#pragma once

#include <cstdint>
#include <map>
#include <vector>

#include "engine/config/model.h"
#include "engine/election/advertisements.h"
#include "engine/election/node_table.h"

namespace vipcast::election {

class AdGroup {
 public:
  explicit AdGroup(AdvertisementSet ads) : ads_(std::move(ads)) {}
  const AdvertisementSet& ads() const { return ads_; }
  bool Selects(NodeId id) const { return id < selects_.size() && selects_[id] != 0; }
  int64_t ScoreOf(NodeId id) const { return id < scores_.size() ? scores_[id] : 0; }
  // Re-evaluates one node from its current object in `nodes`.
  void Update(const config::ClusterConfig& config, const NodeTable& nodes, NodeId id);

 private:
  AdvertisementSet ads_;
  std::vector<uint8_t> selects_;
  std::vector<int64_t> scores_;
};

// The groups in use, keyed by their advertisement set. Addresses of groups
// are stable until Clear() or Retain() drops them.
class AdGroups {
 public:
  // The group for `ads`, created and evaluated for every node when new.
  const AdGroup* Get(const AdvertisementSet& ads, const config::ClusterConfig& config,
                     const NodeTable& nodes);
  void UpdateNodes(const config::ClusterConfig& config, const NodeTable& nodes,
                   const std::vector<NodeId>& ids);
  // Drops every group not in `used` (services went away or changed pool).
  void Retain(const std::vector<const AdGroup*>& used);
  void Clear() { groups_.clear(); }
  size_t size() const { return groups_.size(); }

 private:
  std::map<AdvertisementSet, AdGroup> groups_;
};

}  // namespace vipcast::election
