#include "engine/ipam/capacity.h"

namespace vipcast::ipam {
namespace {

// How many values v in [0, n] have v % 256 == residue.
core::Uint128 CountWithLastOctetUpTo(core::Uint128 n, core::Uint128 residue) {
  return n >= residue ? (n - residue) / 256 + 1 : 0;
}

core::Uint128 CountWithLastOctet(core::Uint128 first, core::Uint128 last, core::Uint128 residue) {
  const core::Uint128 below = first == 0 ? 0 : CountWithLastOctetUpTo(first - 1, residue);
  return CountWithLastOctetUpTo(last, residue) - below;
}

}  // namespace

core::Uint128 UsableAddresses(const core::IpRange& range, bool avoid_buggy_ips) {
  core::Uint128 size = range.Size();
  if (!avoid_buggy_ips || range.family() != core::IpFamily::kV4) return size;
  const core::Uint128 first = range.first().ToUint128();
  const core::Uint128 last = range.last().ToUint128();
  return size - CountWithLastOctet(first, last, 0) - CountWithLastOctet(first, last, 255);
}

core::Uint128 SaturatingAdd(core::Uint128 a, core::Uint128 b) {
  const core::Uint128 sum = a + b;
  return sum < a ? ~core::Uint128{0} : sum;
}

uint64_t SaturatedCount(core::Uint128 value) {
  return value >= kCountSaturation ? kCountSaturation : static_cast<uint64_t>(value);
}

}  // namespace vipcast::ipam
