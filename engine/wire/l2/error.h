// Why an Ethernet frame was not decoded. Each value is either "not for this
// codec" (a frame we simply do not speak, e.g. IPv4 or an ICMPv6 echo) or
// "malformed" (a frame of a protocol we speak that breaks its RFC). Callers
// count both by reason; only malformed ones indicate a broken or hostile
// sender.
#pragma once

#include <cstdint>
#include <string_view>

#include "engine/core/result.h"

namespace vipcast::wire {

enum class L2Error : uint8_t {
  // ---- not ours: well-formed as far as we looked, but not ARP/NDP
  kUnsupportedEtherType,     // not ARP, not IPv6 (or an 802.3 length field)
  kUnsupportedArpOperation,  // ARP opcode other than request/reply (e.g. InARP)
  kUnsupportedNextHeader,    // IPv6 payload is not ICMPv6 (or has extension headers)
  kUnsupportedIcmpv6Type,    // ICMPv6 other than Neighbor Solicitation/Advertisement

  // ---- malformed: Ethernet
  kTruncatedEthernet,  // fewer than 14 bytes
  kTruncatedVlanTag,   // 802.1Q TPID without a full tag behind it

  // ---- malformed: ARP (RFC 826)
  kTruncatedArp,       // fewer than 28 bytes of ARP body
  kArpHardwareType,    // ar$hrd != 1 (Ethernet)
  kArpProtocolType,    // ar$pro != 0x0800 (IPv4)
  kArpHardwareLength,  // ar$hln != 6
  kArpProtocolLength,  // ar$pln != 4

  // ---- malformed: IPv6 (RFC 8200)
  kTruncatedIpv6,        // fewer than 40 bytes of header
  kIpv6Version,          // version field != 6
  kIpv6PayloadLength,    // payload length runs past the end of the frame
  kIpv6SourceMulticast,  // RFC 4291 2.7: multicast is never a source

  // ---- malformed: ICMPv6 / NDP (RFC 4443, RFC 4861)
  kTruncatedIcmpv6,           // fewer than 4 bytes of ICMPv6
  kIcmpv6Checksum,            // RFC 4443 2.3 checksum does not verify
  kNdpHopLimit,               // RFC 4861 7.1.1/7.1.2: hop limit != 255
  kNdpCode,                   // ICMP code != 0
  kNdpTooShort,               // ICMP length < 24
  kNdpTargetMulticast,        // target address is multicast
  kNdpOptionLengthZero,       // RFC 4861 4.6: option length 0
  kNdpOptionTruncated,        // option runs past the end of the message
  kNdpLinkLayerOptionLength,  // RFC 2464 8: Ethernet link-layer option must be length 1
  kNdpDadWithSourceLla,       // NS from :: carries a source link-layer option
  kNdpDadDestination,         // NS from :: not sent to a solicited-node group
  kNdpSolicitedToMulticast,   // NA with S=1 sent to a multicast destination
};

// Every value, in declaration order, for tests and counters.
inline constexpr L2Error kAllL2Errors[] = {
    L2Error::kUnsupportedEtherType,
    L2Error::kUnsupportedArpOperation,
    L2Error::kUnsupportedNextHeader,
    L2Error::kUnsupportedIcmpv6Type,
    L2Error::kTruncatedEthernet,
    L2Error::kTruncatedVlanTag,
    L2Error::kTruncatedArp,
    L2Error::kArpHardwareType,
    L2Error::kArpProtocolType,
    L2Error::kArpHardwareLength,
    L2Error::kArpProtocolLength,
    L2Error::kTruncatedIpv6,
    L2Error::kIpv6Version,
    L2Error::kIpv6PayloadLength,
    L2Error::kIpv6SourceMulticast,
    L2Error::kTruncatedIcmpv6,
    L2Error::kIcmpv6Checksum,
    L2Error::kNdpHopLimit,
    L2Error::kNdpCode,
    L2Error::kNdpTooShort,
    L2Error::kNdpTargetMulticast,
    L2Error::kNdpOptionLengthZero,
    L2Error::kNdpOptionTruncated,
    L2Error::kNdpLinkLayerOptionLength,
    L2Error::kNdpDadWithSourceLla,
    L2Error::kNdpDadDestination,
    L2Error::kNdpSolicitedToMulticast,
};

// False for the kUnsupported* values: those frames are merely not ours.
bool IsMalformed(L2Error error);
// A stable snake_case label for metrics, e.g. "icmpv6_checksum".
std::string_view ToString(L2Error error);
// One sentence for logs, citing the rule that was broken.
std::string_view Describe(L2Error error);

template <typename T>
using L2Result = core::Result<T, L2Error>;

}  // namespace vipcast::wire
