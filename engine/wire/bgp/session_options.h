// What the codec must know about a session to read its bytes: the outcome of
// capability negotiation (RFC 5492). Decoding and encoding take the same
// options so that a message re-encodes to the bytes it came from.
#pragma once

#include <cstddef>

#include "engine/wire/bgp/constants.h"

namespace vipcast::wire::bgp {

struct SessionOptions {
  // RFC 6793: both sides sent the 4-octet AS capability; AS_PATH and
  // AGGREGATOR carry 4-octet AS numbers.
  bool four_octet_as = false;
  // RFC 8654: both sides sent the Extended Message capability; messages other
  // than OPEN and KEEPALIVE may be up to 65535 octets.
  bool extended_message = false;
  // RFC 7911 ADD-PATH is not supported: the session never negotiates it. If
  // set, UPDATE decoding fails with a session reset rather than misread path
  // identifiers as prefix bytes.
  bool add_path = false;

  bool operator==(const SessionOptions&) const = default;
};

// RFC 8654 4: the bound a message must respect on this session.
constexpr size_t MaxMessageSize(const SessionOptions& options) {
  return options.extended_message ? kMaxExtendedMessageSize : kMaxMessageSize;
}

}  // namespace vipcast::wire::bgp
