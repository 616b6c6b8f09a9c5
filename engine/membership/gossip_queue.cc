#include "engine/membership/gossip_queue.h"

namespace vipcast::membership {

using wire::membership::MemberUpdate;
using wire::membership::MemberUpdateSize;

void GossipQueue::Push(MemberUpdate update) {
  Erase(update.node);
  if (by_node_.size() >= max_items_ && !ordered_.empty()) {
    auto last = std::prev(ordered_.end());
    by_node_.erase(last->second.node);
    ordered_.erase(last);
    ++dropped_;
  }
  const Key key{0, ++next_id_};
  by_node_[update.node] = key;
  ordered_.emplace(key, std::move(update));
}

std::vector<MemberUpdate> GossipQueue::Take(size_t budget, size_t max_count, int limit,
                                            const core::NodeName* skip) {
  // The smallest update on the wire: status, incarnation, 1-character name,
  // IPv4 endpoint.
  constexpr size_t kSmallestUpdate = 1 + 4 + 2 + 7;
  std::vector<MemberUpdate> out;
  std::vector<Key> picked;
  for (const auto& [key, update] : ordered_) {
    if (out.size() >= max_count || budget < kSmallestUpdate) break;
    if (skip != nullptr && update.node == *skip) continue;
    const size_t cost = MemberUpdateSize(update);
    if (cost > budget) continue;
    budget -= cost;
    out.push_back(update);
    picked.push_back(key);
  }
  for (const Key& key : picked) {
    auto node = ordered_.extract(key);
    Key next{key.transmits + 1, key.id};
    if (next.transmits >= limit) {
      by_node_.erase(node.mapped().node);
      continue;
    }
    by_node_[node.mapped().node] = next;
    node.key() = next;
    ordered_.insert(std::move(node));
  }
  return out;
}

const MemberUpdate* GossipQueue::Find(const core::NodeName& node) const {
  auto it = by_node_.find(node);
  if (it == by_node_.end()) return nullptr;
  return &ordered_.at(it->second);
}

void GossipQueue::Erase(const core::NodeName& node) {
  auto it = by_node_.find(node);
  if (it == by_node_.end()) return;
  ordered_.erase(it->second);
  by_node_.erase(it);
}

}  // namespace vipcast::membership
