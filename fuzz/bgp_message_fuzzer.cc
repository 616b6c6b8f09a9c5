// Whole BGP messages and byte streams: the first input octet picks the
// session options (4-octet AS, extended message, add-path), the rest is
// decoded as one message and framed as a stream. See bgp_checks.h.
#include <cstdio>
#include <cstdlib>

#include "fuzz/bgp_checks.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  auto problem = vipcast::fuzz::CheckBgpMessageInput(vipcast::core::ByteSpan(data, size));
  if (!problem.empty()) {
    std::fprintf(stderr, "bgp_message_fuzzer: %s\n", problem.c_str());
    std::abort();
  }
  return 0;
}
