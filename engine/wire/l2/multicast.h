// IPv6 multicast addresses used by Neighbor Discovery and their Ethernet
// mapping.
#pragma once

#include "engine/core/ip.h"
#include "engine/core/mac.h"

namespace vipcast::wire {

// ff02::1, the link-local all-nodes group (RFC 4291 2.7.1).
inline constexpr core::Ipv6Addr kAllNodes(std::array<uint8_t, 16>{0xff, 0x02, 0, 0, 0, 0, 0, 0, 0,
                                                                  0, 0, 0, 0, 0, 0, 0x01});

// RFC 4291 2.7.1: ff02::1:ff00:0/104 with the low 24 bits of `address`.
// Every unicast or anycast address has one; Neighbor Solicitations for it
// are sent there.
core::Ipv6Addr SolicitedNodeAddress(const core::Ipv6Addr& address);
bool IsSolicitedNodeAddress(const core::Ipv6Addr& address);

// RFC 2464 7: an IPv6 multicast group maps to 33:33 followed by its last
// four bytes (so solicited-node groups map to 33:33:ff:xx:xx:xx).
core::MacAddr MulticastMac(const core::Ipv6Addr& group);

}  // namespace vipcast::wire
