// ARP for IPv4 over Ethernet (RFC 826): the 28-byte body that follows an
// Ethernet header of type 0x0806.
#pragma once

#include <cstddef>
#include <cstdint>

#include "engine/core/bytes.h"
#include "engine/core/ip.h"
#include "engine/core/mac.h"
#include "engine/wire/l2/error.h"

namespace vipcast::wire {

inline constexpr size_t kArpSize = 28;
inline constexpr uint16_t kArpHardwareEthernet = 1;  // RFC 826 ar$hrd, ARP parameters registry

enum class ArpOperation : uint16_t { kRequest = 1, kReply = 2 };

struct ArpPacket {
  ArpOperation operation = ArpOperation::kRequest;
  core::MacAddr sender_mac;  // ar$sha
  core::Ipv4Addr sender_ip;  // ar$spa; 0.0.0.0 in an RFC 5227 probe
  core::MacAddr target_mac;  // ar$tha; ignored in requests
  core::Ipv4Addr target_ip;  // ar$tpa
  bool operator==(const ArpPacket&) const = default;
};

// Parses an ARP body. Bytes after the first 28 are Ethernet padding (a
// 42-byte ARP frame is padded to 60, so the body usually arrives as 46
// bytes) and are ignored.
L2Result<ArpPacket> ParseArp(core::ByteSpan body);

// Stores the 28-byte body for Ethernet/IPv4 at `out`; returns the end.
uint8_t* PutArp(const ArpPacket& packet, uint8_t* out);
// Appends the same 28 bytes.
void WriteArp(const ArpPacket& packet, core::ByteWriter& out);

}  // namespace vipcast::wire
