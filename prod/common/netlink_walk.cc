#include "prod/common/netlink_walk.h"

#include <linux/netlink.h>
#include <linux/rtnetlink.h>

#include <cstring>

namespace vipcast::prod {

NetlinkSummary WalkNetlinkMessages(std::span<const uint8_t> bytes) {
  NetlinkSummary summary;
  size_t offset = 0;
  while (offset < bytes.size()) {
    const size_t left = bytes.size() - offset;
    // NLMSG_OK: the header fits, and its length covers the header and lies
    // within what is left.
    if (left < sizeof(nlmsghdr)) {
      summary.truncated = true;
      break;
    }
    nlmsghdr header;
    std::memcpy(&header, bytes.data() + offset, sizeof(header));
    const size_t length = header.nlmsg_len;
    if (length < sizeof(nlmsghdr) || length > left) {
      summary.truncated = true;
      break;
    }
    ++summary.messages;
    bool done = false;
    switch (header.nlmsg_type) {
      case RTM_NEWLINK:
      case RTM_DELLINK:
        ++summary.link_changes;
        break;
      case RTM_NEWADDR:
      case RTM_DELADDR:
        ++summary.address_changes;
        break;
      case NLMSG_ERROR: {
        // struct nlmsgerr starts with the (negative) errno; 0 is an ACK.
        int error = 0;
        if (length >= sizeof(nlmsghdr) + sizeof(error)) {
          std::memcpy(&error, bytes.data() + offset + sizeof(nlmsghdr), sizeof(error));
          summary.kernel_error = summary.kernel_error || error != 0;
        } else {
          summary.truncated = true;
        }
        break;
      }
      case NLMSG_OVERRUN:
        summary.overrun = true;
        break;
      case NLMSG_DONE:
        done = true;
        break;
      default:  // NLMSG_NOOP and families this socket did not ask for
        break;
    }
    if (done) break;
    // NLMSG_NEXT: the next header starts at the aligned length; the last
    // message of a datagram may lack its padding.
    const size_t step = NLMSG_ALIGN(length);
    offset = step >= left ? bytes.size() : offset + step;
  }
  return summary;
}

}  // namespace vipcast::prod
