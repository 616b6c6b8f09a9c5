// Capabilities advertised in OPEN (RFC 5492). Known capabilities are decoded
// into typed values; any other is kept as its code and value bytes so that
// it re-encodes unchanged.
#pragma once

#include <cstdint>
#include <string>
#include <variant>
#include <vector>

#include "engine/core/asn.h"
#include "engine/core/bytes.h"
#include "engine/core/result.h"

namespace vipcast::wire::bgp {

namespace capability_code {
inline constexpr uint8_t kMultiprotocol = 1;          // RFC 4760 8
inline constexpr uint8_t kRouteRefresh = 2;           // RFC 2918
inline constexpr uint8_t kExtendedMessage = 6;        // RFC 8654
inline constexpr uint8_t kGracefulRestart = 64;       // RFC 4724
inline constexpr uint8_t kFourOctetAs = 65;           // RFC 6793
inline constexpr uint8_t kEnhancedRouteRefresh = 70;  // RFC 7313
}  // namespace capability_code

// RFC 4760 8: AFI (2), reserved (1, sent as 0, kept as received), SAFI (1).
struct MultiprotocolCapability {
  uint16_t afi = 0;
  uint8_t reserved = 0;
  uint8_t safi = 0;
  bool operator==(const MultiprotocolCapability&) const = default;
};

// RFC 2918 2: empty value.
struct RouteRefreshCapability {
  bool operator==(const RouteRefreshCapability&) const = default;
};

// RFC 7313 3: empty value.
struct EnhancedRouteRefreshCapability {
  bool operator==(const EnhancedRouteRefreshCapability&) const = default;
};

// RFC 8654 3: empty value.
struct ExtendedMessageCapability {
  bool operator==(const ExtendedMessageCapability&) const = default;
};

// RFC 6793 3: the speaker's 4-octet AS number.
struct FourOctetAsCapability {
  core::Asn asn;
  bool operator==(const FourOctetAsCapability&) const = default;
};

// RFC 4724 3 (and RFC 8538 3 for the N bit). Invariants: flags < 16,
// restart_time < 4096 (they share one 16-bit field).
struct GracefulRestartCapability {
  static constexpr uint8_t kRestartStateBit = 0x8;      // R
  static constexpr uint8_t kNotificationBit = 0x4;      // N (RFC 8538)
  static constexpr uint8_t kForwardingStateBit = 0x80;  // per-family F

  struct Family {
    uint16_t afi = 0;
    uint8_t safi = 0;
    uint8_t flags = 0;  // F bit 0x80; other bits reserved, kept as received
    bool forwarding_state_preserved() const { return (flags & kForwardingStateBit) != 0; }
    bool operator==(const Family&) const = default;
  };

  uint8_t flags = 0;          // the 4 high-order bits of the first field
  uint16_t restart_time = 0;  // seconds, 12 bits
  std::vector<Family> families;

  bool restart_state() const { return (flags & kRestartStateBit) != 0; }
  bool notification() const { return (flags & kNotificationBit) != 0; }
  bool operator==(const GracefulRestartCapability&) const = default;
};

// Any capability this codec does not interpret (RFC 5492 3: ignored, but kept
// so that logs and re-encoding see it). Invariant: value.size() <= 255.
struct UnknownCapability {
  uint8_t code = 0;
  core::Bytes value;
  bool operator==(const UnknownCapability&) const = default;
};

using Capability =
    std::variant<MultiprotocolCapability, RouteRefreshCapability, EnhancedRouteRefreshCapability,
                 ExtendedMessageCapability, FourOctetAsCapability, GracefulRestartCapability,
                 UnknownCapability>;

uint8_t CapabilityCode(const Capability& capability);

// Decodes one capability value. Fails with a human reason when a known
// capability has a length its RFC does not allow; the OPEN decoder turns that
// into a NOTIFICATION.
core::Result<Capability, std::string> DecodeCapability(uint8_t code, core::ByteSpan value);

// Writes code, length and value.
void EncodeCapability(const Capability& capability, core::ByteWriter& out);

}  // namespace vipcast::wire::bgp
