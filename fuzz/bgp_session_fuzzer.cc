// A live bgp::Session driven by a structured sequence of TCP chunks, stream
// events, timer advances, route changes and stops. See bgp_session_fuzz.h
// for the operations and the invariants checked after each one.
#include <cstdio>
#include <cstdlib>

#include "fuzz/bgp_session_fuzz.h"

extern "C" int LLVMFuzzerInitialize(int* /*argc*/, char*** /*argv*/) {
  vipcast::fuzz::tolerate_keepalive_before_open =
      std::getenv("BGP_SESSION_FUZZ_TOLERATE_KEEPALIVE_FIRST") != nullptr;
  return 0;
}

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  auto problem = vipcast::fuzz::CheckBgpSessionInput(vipcast::core::ByteSpan(data, size));
  if (!problem.empty()) {
    std::fprintf(stderr, "bgp_session_fuzzer: %s\n", problem.c_str());
    std::abort();
  }
  return 0;
}
