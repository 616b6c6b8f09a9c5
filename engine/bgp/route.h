// What this speaker advertises for one prefix: the attributes that policy
// decides (RFC 4271 5.1). The next hop is not here: the session fills it from
// its own local address (RFC 4271 5.1.3, RFC 4760 3 for IPv6).
#pragma once

#include <array>
#include <compare>
#include <cstdint>
#include <map>
#include <optional>
#include <vector>

#include "engine/core/ip.h"
#include "engine/wire/bgp/constants.h"

namespace vipcast::bgp {

// Invariant: communities and large_communities are sorted and unique.
struct RouteAttributes {
  // RFC 4271 5.1.5: sent to internal peers only (policy leaves it unset for
  // external ones).
  std::optional<uint32_t> local_pref;
  std::vector<uint32_t> communities;                       // RFC 1997
  std::vector<std::array<uint32_t, 3>> large_communities;  // RFC 8092
  auto operator<=>(const RouteAttributes&) const = default;
};

// The desired Adj-RIB-Out of one session.
using RibOut = std::map<core::Prefix, RouteAttributes>;

inline wire::bgp::AfiSafi FamilyOf(const core::Prefix& prefix) {
  return {prefix.family() == core::IpFamily::kV4 ? wire::bgp::kAfiIpv4 : wire::bgp::kAfiIpv6,
          wire::bgp::kSafiUnicast};
}

}  // namespace vipcast::bgp
