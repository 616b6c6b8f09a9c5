// Frames for codec and responder tests. The kLinux* frames were captured
// with dumpcap on a veth pair between two Linux 6.x network namespaces
// (02:00:00:00:00:0a = 192.0.2.1 / 2001:db8::1 pinging 02:00:00:00:00:0b =
// 192.0.2.2 / 2001:db8::2); veth does not pad, so ARP frames are 42 bytes.
#pragma once

#include <cstdint>
#include <string_view>

#include "engine/core/bytes.h"
#include "engine/wire/l2/checksum.h"
#include "engine/wire/l2/ethernet.h"
#include "engine/wire/l2/ipv6.h"

namespace vipcast::wire::testing {

// ARP request "who has 192.0.2.2? tell 192.0.2.1", broadcast.
inline constexpr std::string_view kLinuxArpRequest =
    "ffffffffffff 02000000000a 0806"  // dst broadcast, src, EtherType ARP
    "0001 0800 06 04 0001"            // Ethernet, IPv4, hlen 6, plen 4, request
    "02000000000a c0000201"           // sender MAC, sender IP 192.0.2.1
    "000000000000 c0000202";          // target MAC (unknown), target IP 192.0.2.2

// The Linux reply to it: "192.0.2.2 is at 02:00:00:00:00:0b", unicast.
inline constexpr std::string_view kLinuxArpReply =
    "02000000000a 02000000000b 0806"
    "0001 0800 06 04 0002"
    "02000000000b c0000202"
    "02000000000a c0000201";

// Neighbor Solicitation for 2001:db8::2 from 2001:db8::1 to its
// solicited-node group ff02::1:ff00:2, with a source link-layer option.
//
// Checksum 0x1c1e, checked by hand (RFC 1071 sum of 16-bit words):
//   pseudo-header: src 2001+0db8+0001 = 2dba; dst ff02+0001+ff00+0002 =
//     1fe05; length 0020; next header 003a            -> 22c19
//   ICMPv6: 8700 + 0000 (checksum) + 0000 0000 (reserved)
//     + target 2001+0db8+0002 = 2dbb + option 0101+0200+0000+000a = 030b
//                                                     -> b7c6
//   total 2e3df; fold e3df + 2 = e3e1; complement      -> 1c1e
inline constexpr std::string_view kLinuxNeighborSolicitation =
    "3333ff000002 02000000000a 86dd"    // to 33:33:ff:00:00:02
    "60000000 0020 3a ff"               // v6, len 32, ICMPv6, hop 255
    "20010db8000000000000000000000001"  // src 2001:db8::1
    "ff0200000000000000000001ff000002"  // dst ff02::1:ff00:2
    "87 00 1c1e 00000000"               // NS, code 0, checksum
    "20010db8000000000000000000000002"  // target 2001:db8::2
    "01 01 02000000000a";               // SLLA option

// Neighbor Advertisement answering it: S=1, O=1, R=0, target LLA option.
//
// Checksum 0x8a68, checked by hand:
//   pseudo-header: src 2dbb + dst 2dba + 0020 + 003a    -> 5bcf
//   ICMPv6: 8800 + 6000 (flags) + target 2dbb
//     + option 0201+0200+0000+000b = 040c              -> 119c7
//   total 17596; fold 7596 + 1 = 7597; complement       -> 8a68
inline constexpr std::string_view kLinuxNeighborAdvertisement =
    "02000000000a 02000000000b 86dd"
    "60000000 0020 3a ff"
    "20010db8000000000000000000000002"  // src 2001:db8::2
    "20010db8000000000000000000000001"  // dst 2001:db8::1
    "88 00 8a68 60000000"               // NA, S|O
    "20010db8000000000000000000000002"
    "02 01 02000000000b";  // TLLA option

inline core::Bytes Hex(std::string_view text) { return *core::FromHex(text); }

// Recomputes the ICMPv6 checksum of an untagged Ethernet/IPv6 frame in
// place, after a test has edited the message.
// Reads the header fields directly, so it works on frames the parser
// rejects (e.g. a multicast source).
inline void FixIcmpv6Checksum(core::Bytes& frame) {
  core::ByteReader r(core::ByteSpan(frame).subspan(kEthernetHeaderSize + 4));
  const size_t length = *r.U16();
  r.Skip(2);
  const core::Ipv6Addr src = *ReadIpv6Addr(r);
  const core::Ipv6Addr dst = *ReadIpv6Addr(r);
  const size_t icmp_at = kEthernetHeaderSize + kIpv6HeaderSize;
  const uint16_t sum = Icmpv6Checksum(src, dst, core::ByteSpan(frame).subspan(icmp_at, length));
  frame[icmp_at + 2] = static_cast<uint8_t>(sum >> 8);
  frame[icmp_at + 3] = static_cast<uint8_t>(sum);
}

}  // namespace vipcast::wire::testing
