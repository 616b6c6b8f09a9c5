// vipcastctl bgp-decode: one received BGP message as one line of JSON, judged
// the way an Established vipcast session would judge it.
#pragma once

#include <cstdint>
#include <string>
#include <utility>
#include <variant>
#include <vector>

#include "engine/core/bytes.h"
#include "engine/wire/bgp/session_options.h"

namespace vipcast::ctl {

// Where a message came from ("line", "offset", "frame", "record"...),
// written as the "source" object at the end of each line.
struct MessageSource {
  using Value = std::variant<uint64_t, std::string>;
  std::vector<std::pair<std::string, Value>> fields;

  MessageSource& Add(std::string key, Value value) {
    fields.emplace_back(std::move(key), std::move(value));
    return *this;
  }
};

// The session bgp-decode pretends to be: Established, 4-octet AS unless
// `four_octet_as` is false, Extended Message negotiated (vipcast offers it
// by default, RFC 8654), no ADD-PATH (vipcast never negotiates it).
wire::bgp::SessionOptions DecodeSessionOptions(bool four_octet_as);

// {"type": ..., <decoded fields>, "error": {...}, "source": {...}} for the
// bytes of one message (header included). Decode errors carry the RFC 4271 /
// RFC 7606 handling; a well-formed OPEN also goes through the RFC 4271 6.2 /
// RFC 6793 4.1 checks a session applies to the peer's OPEN that need no
// local configuration. "type" is null when there is no whole header.
std::string DecodedMessageJson(core::ByteSpan bytes, const wire::bgp::SessionOptions& options,
                               const MessageSource& source);

}  // namespace vipcast::ctl
