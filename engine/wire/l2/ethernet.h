// Ethernet II framing (IEEE 802.3 clause 3 with a type field), with an
// optional single IEEE 802.1Q tag tolerated on receive. Frames are handled
// without the FCS, as sockets and ns-3 devices deliver them.
#pragma once

#include <cstddef>
#include <cstdint>
#include <optional>

#include "engine/core/bytes.h"
#include "engine/core/mac.h"
#include "engine/wire/l2/error.h"

namespace vipcast::wire {

inline constexpr uint16_t kEtherTypeIpv4 = 0x0800;
inline constexpr uint16_t kEtherTypeArp = 0x0806;
inline constexpr uint16_t kEtherTypeVlan = 0x8100;  // IEEE 802.1Q C-tag TPID
inline constexpr uint16_t kEtherTypeIpv6 = 0x86dd;

inline constexpr size_t kEthernetHeaderSize = 14;
inline constexpr size_t kVlanTagSize = 4;
// IEEE 802.3 minimum frame is 64 bytes including the 4-byte FCS; without the
// FCS a frame must carry at least 60 bytes, so short ones are zero-padded.
inline constexpr size_t kMinFrameSize = 60;
// IEEE 802.3 3.2.6: values below 0x0600 are a length (802.3/LLC), not a type.
inline constexpr uint16_t kMinEtherType = 0x0600;

struct EthernetHeader {
  core::MacAddr dst;
  core::MacAddr src;
  // The 802.1Q tag control information (PCP, DEI, VID) when the frame was
  // tagged; the encoder writes a tag when this is set.
  std::optional<uint16_t> vlan_tci;
  uint16_t ether_type = 0;  // of the payload, after any tag
  bool operator==(const EthernetHeader&) const = default;
};

struct EthernetFrame {
  EthernetHeader header;
  // Everything after the header, including any padding the sender added.
  core::ByteSpan payload;
};

// Reads a 6-byte MAC address; nullopt (reader unchanged) when fewer remain.
std::optional<core::MacAddr> ReadMac(core::ByteReader& in);

// Parses the header. Fails on truncation; a length field (< 0x0600) or a
// second tag (QinQ) is reported as kUnsupportedEtherType.
L2Result<EthernetFrame> ParseEthernet(core::ByteSpan frame);

// 14 bytes, or 18 with a tag.
size_t EthernetHeaderSize(const EthernetHeader& header);
// Stores dst, src, the tag if any, and `header.ether_type` at `out`, which
// must have EthernetHeaderSize(header) bytes; returns the end.
uint8_t* PutEthernetHeader(const EthernetHeader& header, uint8_t* out);
// Appends the same bytes.
void WriteEthernetHeader(const EthernetHeader& header, core::ByteWriter& out);

// Zero-pads `frame` to kMinFrameSize bytes (no-op when already that long).
void PadToMinimumFrame(core::Bytes& frame);

}  // namespace vipcast::wire
