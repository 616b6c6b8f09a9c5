// Drives a Responder with arbitrary frames and ownership changes; see
// responder_check.h for the properties.
#include <cstddef>
#include <cstdint>

#include "fuzz/responder_check.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  vipcast::fuzz::CheckResponder(vipcast::core::ByteSpan(data, size));
  return 0;
}
