// RFC 4271 4.1 message header: marker, length, type. Validated before the
// body is read, so a framer can reject a bad stream as early as possible.
#pragma once

#include <cstdint>
#include <string_view>

#include "engine/core/bytes.h"
#include "engine/core/result.h"
#include "engine/wire/bgp/constants.h"
#include "engine/wire/bgp/decode_error.h"
#include "engine/wire/bgp/session_options.h"

namespace vipcast::wire::bgp {

// Invariant after a successful DecodeHeader: `type` is one of MessageType and
// `length` is within that type's bounds for the session.
struct MessageHeader {
  uint16_t length = 0;
  MessageType type = MessageType::kKeepalive;
  bool operator==(const MessageHeader&) const = default;
};

// "OPEN", "UPDATE", "NOTIFICATION", "KEEPALIVE", "ROUTE-REFRESH".
std::string_view ToString(MessageType type);

// Reads and checks the first 19 octets (RFC 4271 6.1). Errors are always
// session resets: 1/1 marker not all ones, 1/2 bad length (data = the length
// field), 1/3 unknown type (data = the type octet).
core::Result<MessageHeader, DecodeError> DecodeHeader(core::ByteSpan bytes,
                                                      const SessionOptions& options);

// Writes marker, length and type.
void EncodeHeader(core::ByteWriter& out, MessageType type, uint16_t length);

}  // namespace vipcast::wire::bgp
