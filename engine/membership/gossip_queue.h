// Pending gossip updates, bounded, in the order SWIM's infection-style
// dissemination wants them sent (Das et al. 2002, section 4.1; memberlist's
// TransmitLimitedQueue): updates transmitted the fewest times first and, among
// those, the newest first. Each update is retired after `limit` transmissions
// (retransmit_mult * ceil(log10(N + 1)), profile.h), which is enough for an
// epidemic to reach every member with high probability.
//
// Invariants: at most one queued update per node (a newer assertion about a
// node replaces the older one, whatever their incarnations: the receiver's
// incarnation rules settle which one wins); size() <= max_items.
#pragma once

#include <cstddef>
#include <cstdint>
#include <map>
#include <utility>
#include <vector>

#include "engine/core/node_name.h"
#include "engine/wire/membership/member_update.h"

namespace vipcast::membership {

class GossipQueue {
 public:
  explicit GossipQueue(size_t max_items) : max_items_(max_items) {}

  // Queues `update`, replacing any queued update about the same node. When
  // full, drops the update that has been transmitted the most (oldest first).
  void Push(wire::membership::MemberUpdate update);

  // Picks updates for one datagram: in queue order, every update that still
  // fits in `budget` bytes (wire size), at most `max_count`, skipping any
  // about `skip` (already carried by the caller). Picked updates count one
  // transmission; those that reach `limit` are retired.
  std::vector<wire::membership::MemberUpdate> Take(size_t budget, size_t max_count, int limit,
                                                   const core::NodeName* skip = nullptr);

  size_t size() const { return by_node_.size(); }
  bool empty() const { return by_node_.empty(); }
  size_t dropped() const { return dropped_; }
  // The queued update about `node`, if any (for tests and diagnostics).
  const wire::membership::MemberUpdate* Find(const core::NodeName& node) const;

 private:
  // Sort key: fewer transmissions first, then newer (higher id) first.
  struct Key {
    int transmits = 0;
    uint64_t id = 0;
    bool operator<(const Key& o) const {
      if (transmits != o.transmits) return transmits < o.transmits;
      return id > o.id;
    }
  };
  void Erase(const core::NodeName& node);

  size_t max_items_;
  uint64_t next_id_ = 0;
  size_t dropped_ = 0;
  std::map<core::NodeName, Key> by_node_;
  std::map<Key, wire::membership::MemberUpdate> ordered_;
};

}  // namespace vipcast::membership
