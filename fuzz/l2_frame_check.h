// The property l2_frame_fuzzer checks, shared with the regression replay
// test: any input either fails to parse with a reason, or parses into a
// frame that re-encodes to a valid frame which parses back to the same
// value, and whose encoding is a fixed point.
#pragma once

#include <cstdlib>

#include "engine/core/bytes.h"
#include "engine/wire/l2/frame.h"

namespace vipcast::fuzz {

inline void CheckL2Frame(core::ByteSpan data) {
  auto parsed = wire::ParseFrame(data);
  if (!parsed.ok()) {
    // Every rejection carries a reason with a label and a description.
    if (wire::ToString(parsed.error()) == "unknown" || wire::Describe(parsed.error()).empty()) {
      std::abort();
    }
    return;
  }
  const core::Bytes encoded = wire::EncodeFrame(*parsed);
  if (encoded.size() < wire::kMinFrameSize) std::abort();
  auto again = wire::ParseFrame(encoded);
  if (!again.ok()) std::abort();
  if (!(*again == *parsed)) std::abort();
  if (wire::EncodeFrame(*again) != encoded) std::abort();
}

}  // namespace vipcast::fuzz
