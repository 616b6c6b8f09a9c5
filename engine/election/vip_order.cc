#include "engine/election/vip_order.h"

#include <algorithm>

namespace vipcast::election {

void VipOrder::Assign(std::vector<OrderEntry> sorted, const std::vector<uint8_t>& live) {
  entries_ = std::move(sorted);
  RecomputePositions(live);
}

void VipOrder::Erase(NodeId node) {
  auto it = std::find_if(entries_.begin(), entries_.end(),
                         [&](const OrderEntry& e) { return e.node == node; });
  if (it != entries_.end()) entries_.erase(it);
}

uint32_t VipOrder::FirstLiveFrom(uint32_t pos, const std::vector<uint8_t>& live) const {
  for (auto i = static_cast<size_t>(pos); i < entries_.size(); ++i) {
    if (live[entries_[i].node] != 0) return static_cast<uint32_t>(i);
  }
  return kNone;
}

void VipOrder::RecomputePositions(const std::vector<uint8_t>& live) {
  winner_pos_ = FirstLiveFrom(0, live);
  next_pos_ = winner_pos_ == kNone ? kNone : FirstLiveFrom(winner_pos_ + 1, live);
}

void VipOrder::MemberUp(uint32_t pos) {
  // kNone is the largest value, so "no winner yet" compares as "after pos".
  if (pos < winner_pos_) {
    next_pos_ = winner_pos_;
    winner_pos_ = pos;
  } else if (pos < next_pos_) {
    next_pos_ = pos;
  }
}

void VipOrder::MemberDown(uint32_t pos, const std::vector<uint8_t>& live) {
  if (pos == winner_pos_) {
    winner_pos_ = next_pos_;
    next_pos_ = winner_pos_ == kNone ? kNone : FirstLiveFrom(winner_pos_ + 1, live);
  } else if (pos == next_pos_) {
    next_pos_ = FirstLiveFrom(pos + 1, live);
  }
}

}  // namespace vipcast::election
