// Why a received membership datagram was not accepted. The receiver drops the
// datagram and counts it under ToString(kind); nothing is sent back, as in
// SWIM (Das et al. 2002) where a lost or bad message is indistinguishable from
// a slow one and the protocol tolerates both.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

namespace vipcast::wire::membership {

enum class DecodeErrorKind : uint8_t {
  // Envelope (checked before and while authenticating).
  kTooShort,    // shorter than the fixed header plus the MAC
  kTooLong,     // longer than kMaxDatagramSize: we never send such a thing
  kBadVersion,  // version byte is not kVersion
  kBadFlags,    // reserved header bits set
  kBadMac,      // HMAC-SHA-256-128 mismatch: forged, corrupted or another key
  // Body (checked only after the MAC verified, or when decoding directly).
  kTruncated,         // a field runs past the end
  kBadNodeName,       // not an RFC 1123 subdomain, or empty where one is required
  kBadAddressFamily,  // endpoint family byte is neither 4 nor 6
  kUnknownType,       // message type byte unknown to this version
  kBadStatus,         // member status byte unknown
  kBadField,          // a field has a value the format forbids (e.g. flag bits)
  kTrailingBytes,     // bytes left after the last field
};

inline constexpr DecodeErrorKind kAllDecodeErrorKinds[] = {
    DecodeErrorKind::kTooShort,    DecodeErrorKind::kTooLong,
    DecodeErrorKind::kBadVersion,  DecodeErrorKind::kBadFlags,
    DecodeErrorKind::kBadMac,      DecodeErrorKind::kTruncated,
    DecodeErrorKind::kBadNodeName, DecodeErrorKind::kBadAddressFamily,
    DecodeErrorKind::kUnknownType, DecodeErrorKind::kBadStatus,
    DecodeErrorKind::kBadField,    DecodeErrorKind::kTrailingBytes,
};

// Stable snake_case names, usable as metric label values ("bad_mac").
std::string_view ToString(DecodeErrorKind kind);

struct DecodeError {
  DecodeErrorKind kind = DecodeErrorKind::kTruncated;
  size_t offset = 0;   // where in the datagram (or payload) the problem was seen
  std::string detail;  // human-readable

  bool operator==(const DecodeError&) const = default;
};

}  // namespace vipcast::wire::membership
