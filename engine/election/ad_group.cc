#include "engine/election/ad_group.h"

#include <algorithm>
#include <functional>

namespace vipcast::election {

void AdGroup::Update(const config::ClusterConfig& config, const NodeTable& nodes, NodeId id) {
  const config::Node* node = nodes.NodeObject(id);
  if (id >= selects_.size()) {
    if (node == nullptr) return;  // beyond the size already means "no object"
    selects_.resize(nodes.size(), 0);
    scores_.resize(nodes.size(), 0);
  }
  selects_[id] = node != nullptr && AnySelectsNode(config, ads_, *node) ? 1 : 0;
  scores_[id] = node != nullptr ? Score(config, ads_, *node) : 0;
}

const AdGroup* AdGroups::Get(const AdvertisementSet& ads, const config::ClusterConfig& config,
                             const NodeTable& nodes) {
  auto [it, inserted] = groups_.try_emplace(ads, ads);
  if (inserted) {
    for (NodeId id : nodes.WithNodeObject()) it->second.Update(config, nodes, id);
  }
  return &it->second;
}

void AdGroups::UpdateNodes(const config::ClusterConfig& config, const NodeTable& nodes,
                           const std::vector<NodeId>& ids) {
  for (auto& [ads, group] : groups_) {
    for (NodeId id : ids) group.Update(config, nodes, id);
  }
}

void AdGroups::Retain(const std::vector<const AdGroup*>& used) {
  std::vector<const AdGroup*> sorted = used;
  std::sort(sorted.begin(), sorted.end(), std::less<const AdGroup*>());
  for (auto it = groups_.begin(); it != groups_.end();) {
    // Comparing addresses only tests membership; nothing depends on their order.
    if (std::binary_search(sorted.begin(), sorted.end(), &it->second,
                           std::less<const AdGroup*>())) {
      ++it;
    } else {
      it = groups_.erase(it);
    }
  }
}

}  // namespace vipcast::election
