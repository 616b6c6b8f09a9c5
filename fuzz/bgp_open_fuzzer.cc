// OPEN bodies (capabilities, RFC 9072 extended parameters). See bgp_checks.h.
#include <cstdio>
#include <cstdlib>

#include "fuzz/bgp_checks.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  auto problem = vipcast::fuzz::CheckBgpOpenInput(vipcast::core::ByteSpan(data, size));
  if (!problem.empty()) {
    std::fprintf(stderr, "bgp_open_fuzzer: %s\n", problem.c_str());
    std::abort();
  }
  return 0;
}
