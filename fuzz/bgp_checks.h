// The properties every BGP fuzz target checks, shared with the ctest that
// replays fuzz/regressions/ so a fixed crash stays fixed:
//   - decoding never crashes (ASan/UBSan catch what a return value cannot);
//   - a message that decodes re-encodes, and decodes back to itself;
//   - the JSON rendering of any outcome works.
// Each Check* returns an empty string on success or a description of the
// violated property; the fuzzers abort on a non-empty result.
#pragma once

#include <algorithm>
#include <cstdint>
#include <string>

#include "engine/core/bytes.h"
#include "engine/wire/bgp/framer.h"
#include "engine/wire/bgp/message.h"
#include "engine/wire/bgp/render_json.h"

namespace vipcast::fuzz {

// Bits 0-2 of a selector octet choose the session options.
inline wire::bgp::SessionOptions BgpOptionsFromByte(uint8_t selector) {
  wire::bgp::SessionOptions options;
  options.four_octet_as = (selector & 1) != 0;
  options.extended_message = (selector & 2) != 0;
  options.add_path = (selector & 4) != 0;
  return options;
}

// Decodes one whole message and checks the round trip.
inline std::string CheckBgpRoundTrip(core::ByteSpan bytes,
                                     const wire::bgp::SessionOptions& options) {
  namespace bgp = wire::bgp;
  auto decoded = bgp::DecodeMessage(bytes, options);
  (void)bgp::DecodeToJson(bytes, options);
  if (!decoded) {
    const auto& error = decoded.error();
    if (error.handling != bgp::ErrorHandling::kSessionReset && !error.update) {
      return "UPDATE error short of session reset carries no usable message";
    }
    if (error.update) {
      // The usable rest must still be encodable (it may exceed nothing: it
      // is smaller than the input).
      auto encoded = bgp::EncodeMessage(bgp::Message(*error.update), options);
      if (!encoded) return "usable part of a bad UPDATE does not encode: " + encoded.error();
    }
    return "";
  }
  auto encoded = bgp::EncodeMessage(*decoded, options);
  if (!encoded) return "decoded message does not re-encode: " + encoded.error();
  auto again = bgp::DecodeMessage(*encoded, options);
  if (!again) return "re-encoded message does not decode: " + again.error().reason;
  if (!(*again == *decoded)) return "decode(encode(m)) != m";
  return "";
}

// Feeds `stream` through a framer in chunks of `chunk` octets and checks
// every framed message.
inline std::string CheckBgpStream(core::ByteSpan stream, const wire::bgp::SessionOptions& options,
                                  size_t chunk) {
  wire::bgp::MessageFramer framer(options);
  size_t offset = 0;
  while (true) {
    size_t n = std::min(chunk, stream.size() - offset);
    size_t taken = framer.Feed(stream.subspan(offset, n));
    offset += taken;
    bool progressed = taken > 0;
    while (true) {
      auto next = framer.Next();
      if (!next) return "";  // header error: the stream ends here
      if (!next->has_value()) break;
      progressed = true;
      if (auto problem = CheckBgpRoundTrip(**next, options); !problem.empty()) return problem;
    }
    if (framer.buffered() > framer.capacity()) return "framer buffer exceeds its bound";
    if (offset == stream.size() || !progressed) return "";
  }
}

// What bgp_message_fuzzer runs: the first octet picks the options, the rest
// is both one message and a stream.
inline std::string CheckBgpMessageInput(core::ByteSpan data) {
  if (data.empty()) return "";
  auto options = BgpOptionsFromByte(data[0]);
  auto rest = data.subspan(1);
  if (auto problem = CheckBgpRoundTrip(rest, options); !problem.empty()) return problem;
  return CheckBgpStream(rest, options, 1 + data[0] % 61);
}

// What bgp_open_fuzzer runs: the input is an OPEN body.
inline std::string CheckBgpOpenInput(core::ByteSpan body) {
  core::ByteWriter out;
  wire::bgp::EncodeHeader(out, wire::bgp::MessageType::kOpen,
                          static_cast<uint16_t>(std::min<size_t>(body.size() + 19, 0xffff)));
  out.Append(body);
  return CheckBgpRoundTrip(out.bytes(), wire::bgp::SessionOptions{});
}

// What bgp_update_fuzzer runs: the first octet picks the options, the rest
// is an UPDATE body.
inline std::string CheckBgpUpdateInput(core::ByteSpan data) {
  if (data.empty()) return "";
  auto options = BgpOptionsFromByte(data[0]);
  options.add_path = false;  // the add-path path is a single early return
  auto body = data.subspan(1);
  core::ByteWriter out;
  wire::bgp::EncodeHeader(out, wire::bgp::MessageType::kUpdate,
                          static_cast<uint16_t>(std::min<size_t>(body.size() + 19, 0xffff)));
  out.Append(body);
  return CheckBgpRoundTrip(out.bytes(), options);
}

}  // namespace vipcast::fuzz
