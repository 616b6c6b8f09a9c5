// Autonomous system numbers and BGP identifiers: 32-bit values that are
// neither plain integers nor IPv4 addresses.
#pragma once

#include <compare>
#include <cstdint>
#include <string>
#include <string_view>

#include "engine/core/result.h"

namespace vipcast::core {

// RFC 6793: a 4-octet AS number. AS_TRANS (23456) stands in for a 4-octet AS
// on 2-octet sessions.
class Asn {
 public:
  constexpr Asn() = default;
  constexpr explicit Asn(uint32_t value) : value_(value) {}
  static constexpr Asn Trans() { return Asn(23456); }
  // "64500" (asplain) or "1.10" (asdot, RFC 5396).
  static Result<Asn> Parse(std::string_view text);

  constexpr uint32_t value() const { return value_; }
  constexpr bool Fits2Octets() const { return value_ <= 0xffff; }
  // RFC 6996 / RFC 1930: 64512-65534 and 4200000000-4294967294 are private.
  constexpr bool IsPrivate() const {
    return (value_ >= 64512 && value_ <= 65534) || (value_ >= 4200000000u && value_ <= 4294967294u);
  }
  std::string ToString() const { return std::to_string(value_); }
  constexpr auto operator<=>(const Asn&) const = default;

 private:
  uint32_t value_ = 0;
};

// RFC 4271 4.2 / RFC 6286: a 32-bit BGP identifier. Written like a dotted
// quad but not an address: it is never routed to or compared with one.
class RouterId {
 public:
  constexpr RouterId() = default;
  constexpr explicit RouterId(uint32_t value) : value_(value) {}
  static Result<RouterId> Parse(std::string_view text);  // dotted quad
  constexpr uint32_t value() const { return value_; }
  std::string ToString() const;
  constexpr auto operator<=>(const RouterId&) const = default;

 private:
  uint32_t value_ = 0;
};

}  // namespace vipcast::core
