#include "engine/bgp/tx_queue.h"

namespace vipcast::bgp {

bool TxQueue::Push(TxPriority priority, core::Bytes message) {
  auto& slot = slots_[static_cast<size_t>(priority)];
  if (slot) return false;
  slot = std::move(message);
  return true;
}

std::optional<TxPriority> TxQueue::FrontPriority() const {
  // RFC 4271 8.2.2: a KEEPALIVE confirms the peer's OPEN and is an FSM error
  // (5/1) at a peer still in OpenSent, so it may never overtake our own OPEN.
  // Both are waiting only when the peer's OPEN arrived before the transport
  // had room for ours; then the OPEN goes first (as in BIRD's bgp_fire_tx).
  if (!slots_[static_cast<size_t>(TxPriority::kNotification)] &&
      slots_[static_cast<size_t>(TxPriority::kOpen)]) {
    return TxPriority::kOpen;
  }
  for (size_t i = 0; i < slots_.size(); ++i) {
    if (slots_[i]) return static_cast<TxPriority>(i);
  }
  return std::nullopt;
}

const core::Bytes* TxQueue::Front() const {
  auto p = FrontPriority();
  return p ? &*slots_[static_cast<size_t>(*p)] : nullptr;
}

void TxQueue::Pop() {
  if (auto p = FrontPriority()) slots_[static_cast<size_t>(*p)].reset();
}

bool TxQueue::empty() const { return !FrontPriority().has_value(); }

}  // namespace vipcast::bgp
