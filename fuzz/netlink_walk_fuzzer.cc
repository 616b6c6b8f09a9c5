// Walks arbitrary bytes as one datagram from a NETLINK_ROUTE socket
// (prod/common/netlink_walk.h), as the speaker's interface monitor does with
// what the kernel sends. Properties: never reads out of bounds (ASan), no
// undefined behaviour (UBSan), every counted message had a whole header
// within the input, changes are a subset of messages, and the result does
// not depend on the buffer's alignment.
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <cstring>
#include <span>
#include <vector>

#include "prod/common/netlink_walk.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  using vipcast::prod::NetlinkSummary;
  using vipcast::prod::WalkNetlinkMessages;
  const NetlinkSummary s = WalkNetlinkMessages(std::span<const uint8_t>(data, size));
  if (s.messages * 16 > size) std::abort();  // sizeof(struct nlmsghdr) == 16
  if (s.link_changes + s.address_changes > s.messages) std::abort();
  // The same bytes one byte off their alignment.
  std::vector<uint8_t> shifted(size + 1);
  if (size != 0) std::memcpy(shifted.data() + 1, data, size);
  const NetlinkSummary t = WalkNetlinkMessages(std::span<const uint8_t>(shifted.data() + 1, size));
  if (t.messages != s.messages || t.link_changes != s.link_changes ||
      t.address_changes != s.address_changes || t.truncated != s.truncated ||
      t.kernel_error != s.kernel_error || t.overrun != s.overrun) {
    std::abort();
  }
  return 0;
}
