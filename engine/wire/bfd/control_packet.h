// A BFD Control packet (RFC 5880 4.1) as a value. Bits and intervals are
// named fields; Version and Length are not stored because they are not free:
// the only version spoken is 1 and the length follows from the contents.
#pragma once

#include <cstdint>
#include <optional>

#include "engine/core/time.h"
#include "engine/wire/bfd/auth_section.h"
#include "engine/wire/bfd/codes.h"

namespace vipcast::wire::bfd {

inline constexpr uint8_t kVersion = 1;            // RFC 5880 4.1 "Version (Vers)"
inline constexpr size_t kMandatoryLength = 24;    // RFC 5880 4.1 mandatory section
inline constexpr size_t kMinLengthWithAuth = 26;  // RFC 5880 6.8.6 minimum with A set

// Invariants: none beyond the field types. Whether a packet may be sent or
// accepted is decided by the codec (RFC 5880 6.8.6) and the session, not by
// construction, so that tests and fuzzers can build any packet.
struct ControlPacket {
  Diag diag = Diag::kNone;
  State state = State::kDown;
  bool poll = false;                       // P: parameter change or verification requested
  bool final = false;                      // F: answers a packet with P set
  bool control_plane_independent = false;  // C
  bool demand = false;                     // D
  bool multipoint = false;                 // M: reserved, must be 0
  uint8_t detect_mult = 0;
  uint32_t my_discriminator = 0;
  uint32_t your_discriminator = 0;
  // Intervals are microsecond counts on the wire (32 bits). Encoding rounds
  // down to whole microseconds and saturates at 2^32-1 us (~71 minutes).
  core::Duration desired_min_tx;
  core::Duration required_min_rx;
  core::Duration required_min_echo_rx;
  // Present exactly when the A bit is set.
  std::optional<AuthSection> auth;

  // Length field value this packet encodes to (24, or 24 + Auth Len).
  size_t EncodedLength() const;
  bool operator==(const ControlPacket&) const = default;
};

}  // namespace vipcast::wire::bfd
