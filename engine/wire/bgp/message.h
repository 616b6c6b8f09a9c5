// A whole BGP message: header plus one of the five bodies. The codec entry
// points: DecodeMessage and EncodeMessage.
#pragma once

#include <string>
#include <variant>

#include "engine/core/bytes.h"
#include "engine/core/result.h"
#include "engine/wire/bgp/decode_error.h"
#include "engine/wire/bgp/header.h"
#include "engine/wire/bgp/notification.h"
#include "engine/wire/bgp/open.h"
#include "engine/wire/bgp/route_refresh.h"
#include "engine/wire/bgp/session_options.h"
#include "engine/wire/bgp/update.h"

namespace vipcast::wire::bgp {

using Message = std::variant<OpenMessage, UpdateMessage, NotificationMessage, KeepaliveMessage,
                             RouteRefreshMessage>;

MessageType TypeOf(const Message& message);

// Decodes exactly one message: `bytes` must hold the header and the body
// and nothing else (a length field that disagrees is 1/2 Bad Message Length).
core::Result<Message, DecodeError> DecodeMessage(core::ByteSpan bytes,
                                                 const SessionOptions& options);

// Encodes a message with its header. Fails only when the result would be
// longer than the session allows (RFC 4271 4.1, RFC 8654 4).
core::Result<core::Bytes, std::string> EncodeMessage(const Message& message,
                                                     const SessionOptions& options);

}  // namespace vipcast::wire::bgp
