// ROUTE-REFRESH message (RFC 2918 3) with the RFC 7313 3.2 Message Subtype
// in the formerly reserved octet (BoRR / EoRR for Enhanced Route Refresh).
#pragma once

#include <cstdint>

#include "engine/core/bytes.h"
#include "engine/core/result.h"
#include "engine/wire/bgp/decode_error.h"

namespace vipcast::wire::bgp {

// Invariant after decoding: subtypes 1 and 2 have no ORF data.
struct RouteRefreshMessage {
  static constexpr uint8_t kNormal = 0;  // RFC 2918 route refresh request
  static constexpr uint8_t kBorr = 1;    // RFC 7313 Beginning of Route Refresh
  static constexpr uint8_t kEorr = 2;    // RFC 7313 End of Route Refresh

  uint16_t afi = 0;
  uint8_t subtype = kNormal;  // other values: RFC 7313 4 says ignore the message
  uint8_t safi = 0;
  // RFC 5291 ORF entries after the AFI/SAFI, kept undecoded.
  core::Bytes orf;

  bool operator==(const RouteRefreshMessage&) const = default;
};

// RFC 7313 5: BoRR/EoRR with a body other than 4 octets is a 7/1 error; the
// caller sets the data to the whole message.
core::Result<RouteRefreshMessage, DecodeError> DecodeRouteRefreshBody(core::ByteSpan body);

void EncodeRouteRefreshBody(const RouteRefreshMessage& refresh, core::ByteWriter& out);

// KEEPALIVE is the bare header (RFC 4271 4.4).
struct KeepaliveMessage {
  bool operator==(const KeepaliveMessage&) const = default;
};

}  // namespace vipcast::wire::bgp
