#include "engine/election/node_table.h"

#include "engine/election/node_rules.h"

namespace vipcast::election {

NodeId NodeTable::Intern(std::string_view name) {
  if (auto it = ids_.find(name); it != ids_.end()) return it->second;
  const auto id = static_cast<NodeId>(entries_.size());
  entries_.push_back({std::string(name), std::nullopt, std::nullopt});
  live_.push_back(0);
  ids_.emplace(std::string(name), id);
  return id;
}

std::optional<NodeId> NodeTable::Find(std::string_view name) const {
  if (auto it = ids_.find(name); it != ids_.end()) return it->second;
  return std::nullopt;
}

std::vector<NodeId> NodeTable::SetNodes(const config::NodeSet& nodes,
                                        const ElectionOptions& options) {
  std::vector<const config::Node*> incoming(entries_.size(), nullptr);
  for (const auto& node : nodes.nodes) {
    const NodeId id = Intern(node.meta.name);
    incoming.resize(entries_.size(), nullptr);
    if (incoming[id] == nullptr) incoming[id] = &node;
  }
  std::vector<NodeId> changed;
  with_object_.clear();
  for (NodeId id = 0; id < entries_.size(); ++id) {
    Entry& e = entries_[id];
    const config::Node* now = incoming[id];
    const bool same = now == nullptr ? !e.node : (e.node && *e.node == *now);
    if (!same) {
      changed.push_back(id);
      if (now == nullptr) {
        e.node.reset();
        e.failure.reset();
      } else {
        e.node = *now;
        e.failure = NodeRuleFailure(*now, options);
      }
    }
    if (e.node) with_object_.push_back(id);
  }
  return changed;
}

}  // namespace vipcast::election
