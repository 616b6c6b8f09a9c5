// UPDATE bodies: the first octet picks 2-/4-octet AS and extended message,
// the rest is the body (attributes, NLRI, RFC 7606 handling). See
// bgp_checks.h.
#include <cstdio>
#include <cstdlib>

#include "fuzz/bgp_checks.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  auto problem = vipcast::fuzz::CheckBgpUpdateInput(vipcast::core::ByteSpan(data, size));
  if (!problem.empty()) {
    std::fprintf(stderr, "bgp_update_fuzzer: %s\n", problem.c_str());
    std::abort();
  }
  return 0;
}
