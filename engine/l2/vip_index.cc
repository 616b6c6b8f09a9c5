#include "engine/l2/vip_index.h"

#include <utility>

namespace vipcast::l2 {

size_t VipIndex::Probe(const core::IpAddr& vip) const {
  const size_t mask = slots_.size() - 1;
  size_t i = Home(vip);
  while (slots_[i].used && !IpAddrEqual{}(slots_[i].key, vip)) i = (i + 1) & mask;
  return i;  // terminates: the table is never more than half full
}

const uint32_t* VipIndex::Find(const core::IpAddr& vip) const {
  if (slots_.empty()) return nullptr;
  const Slot& s = slots_[Probe(vip)];
  return s.used ? &s.value : nullptr;
}

void VipIndex::Insert(const core::IpAddr& vip, uint32_t value) {
  if ((size_ + 1) * 2 > slots_.size()) Grow();
  Slot& s = slots_[Probe(vip)];
  if (!s.used) {
    s.used = true;
    s.key = vip;
    ++size_;
  }
  s.value = value;
}

bool VipIndex::Erase(const core::IpAddr& vip) {
  if (slots_.empty()) return false;
  const size_t mask = slots_.size() - 1;
  size_t hole = Probe(vip);
  if (!slots_[hole].used) return false;
  // Backward-shift deletion: pull later members of the probe run into the
  // hole unless their home lies cyclically in (hole, j].
  for (size_t j = (hole + 1) & mask; slots_[j].used; j = (j + 1) & mask) {
    const size_t home = Home(slots_[j].key);
    const bool stays = hole <= j ? (hole < home && home <= j) : (hole < home || home <= j);
    if (stays) continue;
    slots_[hole] = slots_[j];
    hole = j;
  }
  slots_[hole] = Slot{};
  --size_;
  return true;
}

void VipIndex::Grow() {
  std::vector<Slot> old = std::exchange(slots_, {});
  slots_.assign(old.empty() ? 16 : old.size() * 2, Slot{});
  size_ = 0;
  for (const Slot& s : old) {
    if (s.used) Insert(s.key, s.value);
  }
}

}  // namespace vipcast::l2
