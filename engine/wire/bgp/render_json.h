// JSON rendering of decoded BGP messages and decode errors, for logs and
// `vipcastctl bgp-decode`. One JSON object per message:
//   {"type": "OPEN" | "UPDATE" | "NOTIFICATION" | "KEEPALIVE" | "ROUTE-REFRESH" | <number>,
//    ...decoded fields...,
//    "error": {"code": N, "subcode": N, "handling": "session-reset" | ..., "reason": "..."}}
#pragma once

#include <string>

#include "engine/core/bytes.h"
#include "engine/wire/bgp/json.h"
#include "engine/wire/bgp/message.h"

namespace vipcast::wire::bgp {

// Writes the fields of a message (without the enclosing braces).
void WriteMessageFields(JsonWriter& json, const Message& message);
// Writes {"code":..,"subcode":..,"handling":..,"reason":..,...}.
void WriteDecodeError(JsonWriter& json, const DecodeError& error);

std::string MessageToJson(const Message& message);
// Decodes `bytes` (one whole message) and renders the message, or the error
// with the message type and, for UPDATE errors, the prefixes to withdraw.
std::string DecodeToJson(core::ByteSpan bytes, const SessionOptions& options);

}  // namespace vipcast::wire::bgp
