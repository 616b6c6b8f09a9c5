// Every node name the election has heard of (from Node objects, membership
// or endpoints), interned to a dense id so per-VIP lists hold 4-byte ids and
// liveness is one byte per node.
//
// Invariants: ids are assigned in order of first appearance and never
// reused, so they stay valid for the table's lifetime; the table grows with
// the number of distinct names ever seen (bounded by the cluster's nodes).
// ByName() iterates in name order, which keeps every output deterministic.
#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "engine/config/model.h"
#include "engine/election/exclusion.h"
#include "engine/election/options.h"

namespace vipcast::election {

using NodeId = uint32_t;

class NodeTable {
 public:
  NodeId Intern(std::string_view name);
  std::optional<NodeId> Find(std::string_view name) const;
  size_t size() const { return entries_.size(); }

  const std::string& Name(NodeId id) const { return entries_[id].name; }
  // The Node object, or nullptr when none describes this name.
  const config::Node* NodeObject(NodeId id) const {
    return entries_[id].node ? &*entries_[id].node : nullptr;
  }
  // The cached NodeRuleFailure of the Node object (nullopt when it passes or
  // when there is no object).
  std::optional<ExclusionReason> RuleFailure(NodeId id) const { return entries_[id].failure; }
  // A Node object that passes the node-level rules: the part of eligibility
  // that doesn't depend on the service or on membership.
  bool PassesNodeRules(NodeId id) const { return entries_[id].node && !entries_[id].failure; }

  bool Live(NodeId id) const { return live_[id] != 0; }
  void SetLive(NodeId id, bool live) { live_[id] = live ? 1 : 0; }
  const std::vector<uint8_t>& LiveBits() const { return live_; }

  // Replaces the Node objects (the first object wins when two share a name).
  // Returns the ids whose object appeared, disappeared or changed, ascending.
  std::vector<NodeId> SetNodes(const config::NodeSet& nodes, const ElectionOptions& options);
  // Ids that have a Node object, ascending.
  const std::vector<NodeId>& WithNodeObject() const { return with_object_; }
  const std::map<std::string, NodeId, std::less<>>& ByName() const { return ids_; }

 private:
  struct Entry {
    std::string name;
    std::optional<config::Node> node;
    std::optional<ExclusionReason> failure;
  };
  std::vector<Entry> entries_;
  std::vector<uint8_t> live_;  // by id; kept apart so membership updates touch one byte
  std::vector<NodeId> with_object_;
  std::map<std::string, NodeId, std::less<>> ids_;
};

}  // namespace vipcast::election
