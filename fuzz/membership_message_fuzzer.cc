// libFuzzer target: the membership codec before and after authentication,
// and a live Membership engine fed authenticated messages (see
// membership_message_fuzz.h for the input format and the invariants).
#include <cstdio>
#include <cstdlib>

#include "fuzz/membership_message_fuzz.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const std::string failure = vipcast::fuzz::FuzzMembershipMessage(data, size);
  if (!failure.empty()) {
    std::fprintf(stderr, "membership_message invariant broken: %s\n", failure.c_str());
    std::abort();
  }
  return 0;
}
