// The election order of one VIP over every node that is eligible apart from
// membership, plus the positions of the first two live nodes in it.
//
// The order depends only on node labels/conditions, the advertisements, the
// endpoints and the VIP's first IP; membership never changes it. So a member
// going up or down moves at most these two positions, and only for VIPs whose
// order holds that member: O(1) amortised per affected VIP instead of a
// re-sort.
//
// Invariants: entries are sorted by the election's order and hold each node
// at most once; winner_pos is the first position whose node is live and
// next_pos the second, kNone when there are fewer live entries.
#pragma once

#include <algorithm>
#include <cstdint>
#include <optional>
#include <vector>

#include "engine/election/node_table.h"

namespace vipcast::election {

struct OrderEntry {
  // DigestPrefix of sha256(node#ip): decides almost every comparison without
  // storing (or recomputing) the 32-byte digest.
  uint32_t prefix = 0;
  NodeId node = 0;
};

class VipOrder {
 public:
  static constexpr uint32_t kNone = UINT32_MAX;

  const std::vector<OrderEntry>& entries() const { return entries_; }
  uint32_t winner_pos() const { return winner_pos_; }
  uint32_t next_pos() const { return next_pos_; }
  std::optional<NodeId> Winner() const { return At(winner_pos_); }
  std::optional<NodeId> NextInLine() const { return At(next_pos_); }

  // Replaces the whole order (already sorted) and finds the live positions.
  void Assign(std::vector<OrderEntry> sorted, const std::vector<uint8_t>& live);
  // Removes `node` if present. Positions must be recomputed afterwards.
  void Erase(NodeId node);
  // Inserts where `less` (the election order) puts it. Positions must be
  // recomputed afterwards.
  template <typename Less>
  void Insert(OrderEntry entry, Less less) {
    auto it = std::upper_bound(entries_.begin(), entries_.end(), entry, less);
    entries_.insert(it, entry);
  }
  void RecomputePositions(const std::vector<uint8_t>& live);

  // The node at `pos` became live / stopped being live; `live` already says so.
  void MemberUp(uint32_t pos);
  void MemberDown(uint32_t pos, const std::vector<uint8_t>& live);

 private:
  std::optional<NodeId> At(uint32_t pos) const {
    if (pos == kNone) return std::nullopt;
    return entries_[pos].node;
  }
  uint32_t FirstLiveFrom(uint32_t pos, const std::vector<uint8_t>& live) const;

  std::vector<OrderEntry> entries_;
  uint32_t winner_pos_ = kNone;
  uint32_t next_pos_ = kNone;
};

}  // namespace vipcast::election
