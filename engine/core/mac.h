// 48-bit IEEE 802 MAC address.
#pragma once

#include <array>
#include <compare>
#include <cstdint>
#include <string>
#include <string_view>

#include "engine/core/result.h"

namespace vipcast::core {

class MacAddr {
 public:
  constexpr MacAddr() = default;
  constexpr explicit MacAddr(std::array<uint8_t, 6> bytes) : bytes_(bytes) {}
  static constexpr MacAddr Broadcast() { return MacAddr({0xff, 0xff, 0xff, 0xff, 0xff, 0xff}); }
  // "aa:bb:cc:dd:ee:ff" or "aa-bb-cc-dd-ee-ff", either case.
  static Result<MacAddr> Parse(std::string_view text);

  constexpr const std::array<uint8_t, 6>& bytes() const { return bytes_; }
  constexpr bool IsBroadcast() const { return *this == Broadcast(); }
  constexpr bool IsMulticast() const { return (bytes_[0] & 0x01) != 0; }
  constexpr bool IsZero() const { return *this == MacAddr(); }
  std::string ToString() const;  // lower-case, colon separated
  constexpr auto operator<=>(const MacAddr&) const = default;

 private:
  std::array<uint8_t, 6> bytes_{};
};

}  // namespace vipcast::core
