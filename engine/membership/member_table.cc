#include "engine/membership/member_table.h"

#include <algorithm>
#include <cassert>
#include <utility>

namespace vipcast::membership {

MemberRecord* MemberTable::Find(const core::NodeName& name) {
  auto it = records_.find(name);
  return it == records_.end() ? nullptr : &it->second;
}

const MemberRecord* MemberTable::Find(const core::NodeName& name) const {
  auto it = records_.find(name);
  return it == records_.end() ? nullptr : &it->second;
}

MemberRecord& MemberTable::Insert(MemberRecord record, core::Rng& rng) {
  auto [it, inserted] = records_.emplace(record.name, std::move(record));
  assert(inserted);
  MemberRecord& r = it->second;
  ++counts_[static_cast<size_t>(r.state)];
  if (!r.is_self) {
    order_.push_back(&r);
    const size_t offset = rng.Uniform(order_.size());
    std::swap(order_[offset], order_.back());
  }
  return r;
}

void MemberTable::Erase(const core::NodeName& name) {
  auto it = records_.find(name);
  if (it == records_.end()) return;
  MemberRecord* r = &it->second;
  auto pos = std::find(order_.begin(), order_.end(), r);
  if (pos != order_.end()) {
    const size_t index = static_cast<size_t>(pos - order_.begin());
    order_.erase(pos);
    if (index < next_) --next_;
  }
  --counts_[static_cast<size_t>(r->state)];
  records_.erase(it);
}

void MemberTable::SetState(MemberRecord& record, MemberState state) {
  --counts_[static_cast<size_t>(record.state)];
  record.state = state;
  ++counts_[static_cast<size_t>(state)];
}

MemberRecord* MemberTable::NextProbeTarget(core::Rng& rng) {
  // At most one full pass plus the reshuffle.
  for (size_t checked = 0; checked <= order_.size(); ++checked) {
    if (next_ >= order_.size()) {
      Shuffle(rng);
      next_ = 0;
      if (order_.empty()) return nullptr;
    }
    MemberRecord* r = order_[next_++];
    if (IsActive(r->state)) return r;
  }
  return nullptr;
}

void MemberTable::Shuffle(core::Rng& rng) {
  // Fisher-Yates with our own Rng: std::shuffle's algorithm differs between
  // standard libraries, and a seed must reproduce a run everywhere.
  for (size_t i = order_.size(); i > 1; --i) {
    const size_t j = rng.Uniform(i);
    std::swap(order_[i - 1], order_[j]);
  }
}

}  // namespace vipcast::membership
