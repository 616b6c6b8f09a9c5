#include "engine/bgp/tx_queue.h"

namespace vipcast::bgp {

bool TxQueue::Push(TxPriority priority, core::Bytes message) {
  auto& slot = slots_[static_cast<size_t>(priority)];
  if (slot) return false;
  slot = std::move(message);
  return true;
}

std::optional<TxPriority> TxQueue::FrontPriority() const {
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
