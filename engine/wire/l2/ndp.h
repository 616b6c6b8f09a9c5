// ICMPv6 Neighbor Solicitation and Neighbor Advertisement (RFC 4861 4.3,
// 4.4) with their link-layer address options (RFC 4861 4.6.1), validated as
// RFC 4861 7.1.1 and 7.1.2 require of a receiver.
#pragma once

#include <cstddef>
#include <cstdint>
#include <optional>
#include <variant>

#include "engine/core/bytes.h"
#include "engine/core/ip.h"
#include "engine/core/mac.h"
#include "engine/wire/l2/error.h"
#include "engine/wire/l2/ipv6.h"

namespace vipcast::wire {

inline constexpr uint8_t kIcmpv6NeighborSolicitation = 135;
inline constexpr uint8_t kIcmpv6NeighborAdvertisement = 136;
// RFC 4861 7.1: a message that crossed a router arrives with less than this.
inline constexpr uint8_t kNdpHopLimit = 255;
// Type, code, checksum, reserved/flags and the 16-byte target.
inline constexpr size_t kNdpFixedSize = 24;
inline constexpr uint8_t kOptionSourceLinkLayer = 1;
inline constexpr uint8_t kOptionTargetLinkLayer = 2;
// RFC 2464 8: on Ethernet a link-layer address option is one 8-byte unit.
inline constexpr size_t kLinkLayerOptionSize = 8;

struct NeighborSolicitation {
  core::Ipv6Addr target;
  // RFC 4861 4.3: present unless the source is :: (DAD) and, optionally,
  // when the solicitation is unicast.
  std::optional<core::MacAddr> source_lla;
  bool operator==(const NeighborSolicitation&) const = default;
};

struct NeighborAdvertisement {
  bool router_flag = false;     // R: the sender is a router
  bool solicited_flag = false;  // S: sent in response to a solicitation
  bool override_flag = false;   // O: replace an existing cache entry
  core::Ipv6Addr target;
  std::optional<core::MacAddr> target_lla;
  bool operator==(const NeighborAdvertisement&) const = default;
};

using NdpMessage = std::variant<NeighborSolicitation, NeighborAdvertisement>;

// Decodes the ICMPv6 message `icmp` that arrived under `ip`. Unknown options
// are skipped by their length (RFC 4861 4.6); a repeated link-layer option is
// ignored after the first, as Linux does. Errors name the broken rule.
L2Result<NdpMessage> ParseNdp(const Ipv6Header& ip, core::ByteSpan icmp);

// Bytes WriteNdp appends for `message`.
size_t NdpSize(const NdpMessage& message);

// Stores the ICMPv6 message (NdpSize bytes) at `out` with its checksum
// computed for ip.src and ip.dst (RFC 4443 2.3); returns the end. The IPv6
// header itself is not written.
uint8_t* PutNdp(const Ipv6Header& ip, const NdpMessage& message, uint8_t* out);
// Appends the same bytes.
void WriteNdp(const Ipv6Header& ip, const NdpMessage& message, core::ByteWriter& out);

}  // namespace vipcast::wire
