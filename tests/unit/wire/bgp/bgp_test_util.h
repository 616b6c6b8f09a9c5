// Builders for hand-made BGP messages in tests.
#pragma once

#include <gtest/gtest.h>

#include <initializer_list>
#include <string_view>

#include "engine/core/bytes.h"
#include "engine/core/ip.h"
#include "engine/wire/bgp/message.h"

namespace vipcast::wire::bgp::testing {

using core::Bytes;

inline Bytes Hex(std::string_view hex) {
  auto bytes = core::FromHex(hex);
  EXPECT_TRUE(bytes.has_value()) << hex;
  return bytes.value_or(Bytes{});
}

inline Bytes Cat(std::initializer_list<Bytes> parts) {
  Bytes out;
  for (const auto& p : parts) out.insert(out.end(), p.begin(), p.end());
  return out;
}

// Header + body with the right length field.
inline Bytes Msg(uint8_t type, const Bytes& body) {
  core::ByteWriter w;
  for (int i = 0; i < 16; ++i) w.U8(0xff);
  w.U16(static_cast<uint16_t>(body.size() + 19));
  w.U8(type);
  w.Append(body);
  return w.Take();
}

// One path attribute; the Extended Length flag in `flags` selects the
// 2-octet length form.
inline Bytes Attr(uint8_t flags, uint8_t type, const Bytes& value) {
  core::ByteWriter w;
  w.U8(flags);
  w.U8(type);
  if (flags & 0x10) {
    w.U16(static_cast<uint16_t>(value.size()));
  } else {
    w.U8(static_cast<uint8_t>(value.size()));
  }
  w.Append(value);
  return w.Take();
}

inline Bytes UpdateMsg(const Bytes& withdrawn, const Bytes& attributes, const Bytes& nlri) {
  core::ByteWriter w;
  w.U16(static_cast<uint16_t>(withdrawn.size()));
  w.Append(withdrawn);
  w.U16(static_cast<uint16_t>(attributes.size()));
  w.Append(attributes);
  w.Append(nlri);
  return Msg(2, w.Take());
}

inline core::Prefix P(std::string_view text) { return core::Prefix::Parse(text).value(); }

inline SessionOptions Opts(bool four_octet_as, bool extended_message = false) {
  SessionOptions o;
  o.four_octet_as = four_octet_as;
  o.extended_message = extended_message;
  return o;
}

// Common well-formed attributes.
inline Bytes OriginAttr() { return Attr(0x40, 1, {0}); }
inline Bytes AsPath4() { return Attr(0x40, 2, {2, 1, 0, 0, 0xfd, 0xe8}); }  // 65000
inline Bytes AsPath2() { return Attr(0x40, 2, {2, 1, 0xfd, 0xe8}); }
inline Bytes NextHop() { return Attr(0x40, 3, {192, 0, 2, 1}); }
inline Bytes Nlri24() { return {24, 198, 51, 100}; }  // 198.51.100.0/24

}  // namespace vipcast::wire::bgp::testing
