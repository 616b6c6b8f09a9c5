// Why a received datagram was not accepted as a BFD Control packet. Every
// value corresponds to a discard rule of RFC 5880 6.8.6 (or a structural rule
// of 4.1-4.4); the receiver drops the packet and counts it by reason. There is
// nothing to send back: BFD has no error message.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

namespace vipcast::wire::bfd {

enum class DecodeErrorKind : uint8_t {
  kTruncated,                  // fewer bytes than the 4-byte header that holds Length
  kBadVersion,                 // 6.8.6: version is not 1
  kLengthTooSmall,             // 6.8.6: Length < 24, or < 26 with the A bit set
  kLengthExceedsPayload,       // 6.8.6: Length greater than the UDP payload
  kZeroDetectMult,             // 6.8.6: Detect Mult is zero
  kMultipoint,                 // 6.8.6: Multipoint (M) bit is set
  kZeroMyDiscriminator,        // 6.8.6: My Discriminator is zero
  kZeroYourDiscriminator,      // 6.8.6: Your Discriminator zero while State is Init or Up
  kAuthMalformed,              // 4.2-4.4: Auth Len wrong for its type or beyond Length
  kAuthUnknownType,            // 4.1: Auth Type reserved (0) or unassigned (6-255)
  kAuthenticationUnsupported,  // 6.8.6: A bit set, but no authentication is in use here
};

inline constexpr DecodeErrorKind kAllDecodeErrorKinds[] = {
    DecodeErrorKind::kTruncated,
    DecodeErrorKind::kBadVersion,
    DecodeErrorKind::kLengthTooSmall,
    DecodeErrorKind::kLengthExceedsPayload,
    DecodeErrorKind::kZeroDetectMult,
    DecodeErrorKind::kMultipoint,
    DecodeErrorKind::kZeroMyDiscriminator,
    DecodeErrorKind::kZeroYourDiscriminator,
    DecodeErrorKind::kAuthMalformed,
    DecodeErrorKind::kAuthUnknownType,
    DecodeErrorKind::kAuthenticationUnsupported,
};

// Stable snake_case names, usable as metric label values ("bad_version").
std::string_view ToString(DecodeErrorKind kind);

struct DecodeError {
  DecodeErrorKind kind = DecodeErrorKind::kTruncated;
  std::string detail;  // human-readable, with the offending values

  bool operator==(const DecodeError&) const = default;
};

}  // namespace vipcast::wire::bfd
