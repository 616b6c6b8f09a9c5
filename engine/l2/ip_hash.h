// A hash for IP addresses, for the responder's lookup-only indexes on the
// per-frame path. Containers using it must never be iterated where the
// order could reach an output (ARCHITECTURE.md: determinism).
#pragma once

#include <cstddef>
#include <cstdint>
#include <cstring>

#include "engine/core/ip.h"

namespace vipcast::l2 {

struct IpAddrHash {
  size_t operator()(const core::IpAddr& ip) const noexcept {
    if (ip.is_v4()) return Mix(ip.v4().value());
    uint64_t hi;
    uint64_t lo;
    std::memcpy(&hi, ip.v6().bytes().data(), 8);
    std::memcpy(&lo, ip.v6().bytes().data() + 8, 8);
    return Mix(hi ^ Mix(lo));
  }
  // splitmix64's finaliser: every input bit affects every output bit.
  static size_t Mix(uint64_t x) {
    x += 0x9e3779b97f4a7c15ULL;
    x = (x ^ (x >> 30)) * 0xbf58476d1ce4e5b9ULL;
    x = (x ^ (x >> 27)) * 0x94d049bb133111ebULL;
    return static_cast<size_t>(x ^ (x >> 31));
  }
};

// Equality without IpAddr's out-of-line three-way comparison.
struct IpAddrEqual {
  bool operator()(const core::IpAddr& a, const core::IpAddr& b) const noexcept {
    if (a.family() != b.family()) return false;
    return a.is_v4() ? a.v4() == b.v4() : a.v6() == b.v6();
  }
};

}  // namespace vipcast::l2
