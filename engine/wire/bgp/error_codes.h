// NOTIFICATION error codes and subcodes (IANA "BGP Error (Notification)
// Codes" and "BGP Error Subcodes"), with their registered names.
#pragma once

#include <cstdint>
#include <string_view>

namespace vipcast::wire::bgp {

// RFC 4271 4.5, RFC 4486, RFC 7313.
enum class ErrorCode : uint8_t {
  kMessageHeader = 1,
  kOpenMessage = 2,
  kUpdateMessage = 3,
  kHoldTimerExpired = 4,
  kFsm = 5,            // RFC 4271, subcodes RFC 6608
  kCease = 6,          // subcodes RFC 4486, RFC 8538
  kRouteRefresh = 7,   // RFC 7313
  kSendHoldTimer = 8,  // RFC 9687
};

// RFC 4271 6.1.
namespace header_error {
inline constexpr uint8_t kConnectionNotSynchronized = 1;
inline constexpr uint8_t kBadMessageLength = 2;
inline constexpr uint8_t kBadMessageType = 3;
}  // namespace header_error

// RFC 4271 6.2, RFC 5492 (7), RFC 9234 (11).
namespace open_error {
inline constexpr uint8_t kUnspecific = 0;
inline constexpr uint8_t kUnsupportedVersion = 1;
inline constexpr uint8_t kBadPeerAs = 2;
inline constexpr uint8_t kBadBgpIdentifier = 3;
inline constexpr uint8_t kUnsupportedOptionalParameter = 4;
inline constexpr uint8_t kUnacceptableHoldTime = 6;
inline constexpr uint8_t kUnsupportedCapability = 7;
inline constexpr uint8_t kRoleMismatch = 11;
}  // namespace open_error

// RFC 4271 6.3.
namespace update_error {
inline constexpr uint8_t kUnspecific = 0;
inline constexpr uint8_t kMalformedAttributeList = 1;
inline constexpr uint8_t kUnrecognizedWellKnownAttribute = 2;
inline constexpr uint8_t kMissingWellKnownAttribute = 3;
inline constexpr uint8_t kAttributeFlagsError = 4;
inline constexpr uint8_t kAttributeLengthError = 5;
inline constexpr uint8_t kInvalidOriginAttribute = 6;
inline constexpr uint8_t kInvalidNextHopAttribute = 8;
inline constexpr uint8_t kOptionalAttributeError = 9;
inline constexpr uint8_t kInvalidNetworkField = 10;
inline constexpr uint8_t kMalformedAsPath = 11;
}  // namespace update_error

// RFC 4486 3, RFC 8538 (9).
namespace cease {
inline constexpr uint8_t kMaxPrefixes = 1;
inline constexpr uint8_t kAdministrativeShutdown = 2;
inline constexpr uint8_t kPeerDeConfigured = 3;
inline constexpr uint8_t kAdministrativeReset = 4;
inline constexpr uint8_t kConnectionRejected = 5;
inline constexpr uint8_t kOtherConfigurationChange = 6;
inline constexpr uint8_t kConnectionCollisionResolution = 7;
inline constexpr uint8_t kOutOfResources = 8;
inline constexpr uint8_t kHardReset = 9;
inline constexpr uint8_t kBfdDown = 10;
}  // namespace cease

// Registered name of a code ("Message Header Error"), or "" when unassigned.
std::string_view ErrorCodeName(uint8_t code);
// Registered name of a subcode within a code ("Bad Message Length"), or ""
// when unassigned. Subcode 0 is "Unspecific" for every code that defines it.
std::string_view ErrorSubcodeName(uint8_t code, uint8_t subcode);

}  // namespace vipcast::wire::bgp
