// The walk over the messages of one datagram read from a NETLINK_ROUTE
// socket (rtnetlink(7)): bytes from the kernel, parsed defensively, kept
// apart from the socket (and from Boost) so that the unit tests and the
// libFuzzer target (fuzz/netlink_walk_fuzzer.cc) exercise it alone.
#pragma once

#include <cstddef>
#include <cstdint>
#include <span>

namespace vipcast::prod {

// What one datagram from a NETLINK_ROUTE socket carried.
struct NetlinkSummary {
  size_t messages = 0;         // well-formed headers walked
  size_t link_changes = 0;     // RTM_NEWLINK, RTM_DELLINK
  size_t address_changes = 0;  // RTM_NEWADDR, RTM_DELADDR
  bool truncated = false;      // trailing bytes that are not a whole message
  bool kernel_error = false;   // an NLMSG_ERROR with a non-zero code
  bool overrun = false;        // NLMSG_OVERRUN: data was lost

  bool changed() const { return link_changes + address_changes > 0; }
};

// Walks the netlink messages in `bytes` as NLMSG_OK/NLMSG_NEXT do
// (netlink(7)): a header must fit, its nlmsg_len must cover the header and
// lie within what is left, and the next one starts at NLMSG_ALIGN(len).
// Headers are copied out, so `bytes` need not be aligned. Never reads past
// `bytes`; garbage yields truncated=true and whatever came before it.
NetlinkSummary WalkNetlinkMessages(std::span<const uint8_t> bytes);

}  // namespace vipcast::prod
