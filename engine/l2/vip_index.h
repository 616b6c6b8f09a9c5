// An open-addressing hash map from VIP to a small integer, for the lookups
// made on every received frame ("is this target one of ours here?"). Flat
// and probe-friendly where std::unordered_map chases a node per lookup.
// Lookup only: it has no iteration, so hashing can never reach an output.
//
// Invariants: capacity is zero or a power of two; at most half the slots
// are used; linear probing with backward-shift deletion keeps every key
// reachable from its home slot without tombstones.
#pragma once

#include <cstddef>
#include <cstdint>
#include <vector>

#include "engine/core/ip.h"
#include "engine/l2/ip_hash.h"

namespace vipcast::l2 {

class VipIndex {
 public:
  // Inserts `vip`, or updates its value.
  void Insert(const core::IpAddr& vip, uint32_t value);
  // Removes `vip`; false when it was absent.
  bool Erase(const core::IpAddr& vip);
  // The value for `vip`, or nullptr.
  const uint32_t* Find(const core::IpAddr& vip) const;
  bool Contains(const core::IpAddr& vip) const { return Find(vip) != nullptr; }
  size_t size() const { return size_; }

 private:
  struct Slot {
    core::IpAddr key;
    uint32_t value = 0;
    bool used = false;
  };
  size_t Home(const core::IpAddr& vip) const { return IpAddrHash{}(vip) & (slots_.size() - 1); }
  // The slot holding `vip`, or the empty slot where it would go.
  size_t Probe(const core::IpAddr& vip) const;
  void Grow();

  std::vector<Slot> slots_;
  size_t size_ = 0;
};

}  // namespace vipcast::l2
