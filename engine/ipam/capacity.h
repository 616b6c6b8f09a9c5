// Address counting for pool capacity metrics, and the avoidBuggyIPs rule.
#pragma once

#include <cstdint>

#include "engine/core/ip.h"

namespace vipcast::ipam {

// MetalLB's avoidBuggyIPs: some old firmware treats x.x.x.0 and x.x.x.255 as
// broadcast addresses whatever the prefix length, so with the option those
// IPv4 addresses are never handed out. IPv6 has no such addresses.
inline bool IsBuggyV4Value(core::Uint128 value) {
  const auto last_octet = static_cast<uint8_t>(value & 0xff);
  return last_octet == 0 || last_octet == 255;
}
inline bool IsBuggyIp(const core::IpAddr& address) {
  return address.is_v4() && IsBuggyV4Value(address.ToUint128());
}

// Number of addresses of `range` that can be handed out: all of them, minus
// the .0/.255 ones when `avoid_buggy_ips` is set. Saturates at 2^128 - 1
// (only ::/0 reaches it).
core::Uint128 UsableAddresses(const core::IpRange& range, bool avoid_buggy_ips);

// a + b, saturating at 2^128 - 1.
core::Uint128 SaturatingAdd(core::Uint128 a, core::Uint128 b);

// Counts are exported as Prometheus gauges and in JSON, where a 128-bit
// number does not fit. Like MetalLB, values at or above 2^63 - 1
// (math.MaxInt64) are reported as 2^63 - 1; unlike MetalLB, smaller pools
// still add up exactly and a big IPv6 range never overwrites or overflows
// the sum of the others.
inline constexpr uint64_t kCountSaturation = 0x7fffffffffffffffULL;
uint64_t SaturatedCount(core::Uint128 value);

}  // namespace vipcast::ipam
