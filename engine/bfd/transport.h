// UDP encapsulation constants of RFC 5881 (single-hop) and RFC 5883
// (multihop). The session FSM knows nothing of UDP; the engine applies these.
#pragma once

#include <cstdint>

#include "engine/bfd/session_key.h"

namespace vipcast::bfd {

// RFC 5881 4: "BFD Control packets MUST be transmitted in UDP packets with
// destination port 3784".
inline constexpr uint16_t kSingleHopControlPort = 3784;
// RFC 5883 5: multihop Control packets use destination port 4784.
inline constexpr uint16_t kMultiHopControlPort = 4784;
// RFC 5881 4: "The source port MUST be in the range 49152 through 65535."
// RFC 5883 5 applies the same rule to multihop.
inline constexpr uint16_t kMinSourcePort = 49152;
inline constexpr uint16_t kMaxSourcePort = 65535;
// RFC 5881 5: "all BFD Control packets for the session MUST be sent with a
// TTL or Hop Limit value of 255"; RFC 5883 keeps 255 so that the receiver's
// minimum-TTL check measures the real hop count.
inline constexpr uint8_t kTransmitTtl = 255;
// RFC 5881 5: single-hop packets received with any other TTL "MUST be
// discarded" (without authentication, which vipcast does not do).
inline constexpr uint8_t kSingleHopRequiredTtl = 255;

constexpr uint16_t ControlPort(HopMode mode) {
  return mode == HopMode::kSingleHop ? kSingleHopControlPort : kMultiHopControlPort;
}

}  // namespace vipcast::bfd
