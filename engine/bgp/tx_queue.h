// The bounded queue of control messages waiting for transport room, written
// in the priority order NOTIFICATION > OPEN > KEEPALIVE > ROUTE-REFRESH, as
// BIRD's bgp_fire_tx does. An OPEN and a KEEPALIVE wait together only when
// the peer's OPEN arrived before the transport had room for ours; the
// KEEPALIVE confirming it must not overtake our OPEN, since a peer still in
// OpenSent takes it as an FSM error (RFC 4271 8.2.2, NOTIFICATION 5/1).
// UPDATEs are not queued here but built on demand from the Adj-RIB-Out when
// nothing of higher priority waits.
#pragma once

#include <array>
#include <cstddef>
#include <optional>

#include "engine/core/bytes.h"

namespace vipcast::bgp {

enum class TxPriority : uint8_t { kNotification = 0, kOpen = 1, kKeepalive = 2, kRefresh = 3 };

// Invariant: at most one message per priority is held (a second KEEPALIVE
// or OPEN before the first is written is redundant; a second NOTIFICATION
// is never sent, RFC 4271 6: the connection closes after the first).
class TxQueue {
 public:
  // False when a message of that priority is already waiting.
  bool Push(TxPriority priority, core::Bytes message);
  // The highest-priority message, if any.
  const core::Bytes* Front() const;
  std::optional<TxPriority> FrontPriority() const;
  void Pop();
  bool empty() const;
  void Clear() { slots_ = {}; }
  bool Has(TxPriority priority) const { return slots_[static_cast<size_t>(priority)].has_value(); }

 private:
  std::array<std::optional<core::Bytes>, 4> slots_;
};

}  // namespace vipcast::bgp
