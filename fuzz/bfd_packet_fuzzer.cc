// libFuzzer target: the BFD Control packet codec and a live BfdEngine fed
// arbitrary datagrams (see bfd_packet_fuzz.h for the input format and the
// invariants checked).
#include <cstdio>
#include <cstdlib>

#include "fuzz/bfd_packet_fuzz.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const std::string failure = vipcast::fuzz::FuzzBfdPacket(data, size);
  if (!failure.empty()) {
    std::fprintf(stderr, "bfd_packet invariant broken: %s\n", failure.c_str());
    std::abort();
  }
  return 0;
}
