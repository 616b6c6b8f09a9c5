// Parses arbitrary bytes as an Ethernet frame carrying ARP or NDP; see
// l2_frame_check.h for the property.
#include <cstddef>
#include <cstdint>

#include "fuzz/l2_frame_check.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  vipcast::fuzz::CheckL2Frame(vipcast::core::ByteSpan(data, size));
  return 0;
}
