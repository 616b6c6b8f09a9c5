// Wire constants of BGP-4 shared by every message codec: sizes, message
// types, path attribute type codes and flag bits, address families.
#pragma once

#include <cstddef>
#include <cstdint>

namespace vipcast::wire::bgp {

// RFC 4271 4.1: 16-octet marker, 2-octet length, 1-octet type.
inline constexpr size_t kHeaderSize = 19;
inline constexpr size_t kMarkerSize = 16;
// RFC 4271 4.1: the largest message is 4096 octets; RFC 8654 raises it to
// 65535 once both sides advertise the Extended Message capability.
inline constexpr size_t kMaxMessageSize = 4096;
inline constexpr size_t kMaxExtendedMessageSize = 65535;
// RFC 4271 4.2: the only version this codec speaks.
inline constexpr uint8_t kBgpVersion = 4;

// RFC 4271 4.1, RFC 2918 3 (ROUTE-REFRESH).
enum class MessageType : uint8_t {
  kOpen = 1,
  kUpdate = 2,
  kNotification = 3,
  kKeepalive = 4,
  kRouteRefresh = 5,
};

// RFC 4271 4.3 attribute flags (high-order bits of the flags octet). The low
// four bits are unused: senders set them to zero, receivers MUST ignore them.
namespace attr_flags {
inline constexpr uint8_t kOptional = 0x80;
inline constexpr uint8_t kTransitive = 0x40;
inline constexpr uint8_t kPartial = 0x20;
inline constexpr uint8_t kExtendedLength = 0x10;
inline constexpr uint8_t kUnused = 0x0f;
}  // namespace attr_flags

// Path attribute type codes (IANA "BGP Path Attributes").
namespace attr_type {
inline constexpr uint8_t kOrigin = 1;                    // RFC 4271 5.1.1
inline constexpr uint8_t kAsPath = 2;                    // RFC 4271 5.1.2
inline constexpr uint8_t kNextHop = 3;                   // RFC 4271 5.1.3
inline constexpr uint8_t kMed = 4;                       // RFC 4271 5.1.4
inline constexpr uint8_t kLocalPref = 5;                 // RFC 4271 5.1.5
inline constexpr uint8_t kAtomicAggregate = 6;           // RFC 4271 5.1.6
inline constexpr uint8_t kAggregator = 7;                // RFC 4271 5.1.7
inline constexpr uint8_t kCommunities = 8;               // RFC 1997
inline constexpr uint8_t kOriginatorId = 9;              // RFC 4456
inline constexpr uint8_t kClusterList = 10;              // RFC 4456
inline constexpr uint8_t kMpReachNlri = 14;              // RFC 4760 3
inline constexpr uint8_t kMpUnreachNlri = 15;            // RFC 4760 4
inline constexpr uint8_t kExtendedCommunities = 16;      // RFC 4360
inline constexpr uint8_t kAs4Path = 17;                  // RFC 6793
inline constexpr uint8_t kAs4Aggregator = 18;            // RFC 6793
inline constexpr uint8_t kIpv6ExtendedCommunities = 25;  // RFC 5701
inline constexpr uint8_t kLargeCommunities = 32;         // RFC 8092
}  // namespace attr_type

// IANA Address Family Numbers / SAFI values this codec decodes; others are
// carried as raw bytes.
inline constexpr uint16_t kAfiIpv4 = 1;
inline constexpr uint16_t kAfiIpv6 = 2;
inline constexpr uint8_t kSafiUnicast = 1;

struct AfiSafi {
  uint16_t afi = 0;
  uint8_t safi = 0;
  bool operator==(const AfiSafi&) const = default;
};

// True for the families whose NLRI are plain prefixes decoded by this codec.
constexpr bool IsIpUnicast(uint16_t afi, uint8_t safi) {
  return (afi == kAfiIpv4 || afi == kAfiIpv6) && safi == kSafiUnicast;
}

}  // namespace vipcast::wire::bgp
