#include "engine/wire/l2/error.h"

namespace vipcast::wire {

bool IsMalformed(L2Error error) {
  switch (error) {
    case L2Error::kUnsupportedEtherType:
    case L2Error::kUnsupportedArpOperation:
    case L2Error::kUnsupportedNextHeader:
    case L2Error::kUnsupportedIcmpv6Type:
      return false;
    default:
      return true;
  }
}

std::string_view ToString(L2Error error) {
  switch (error) {
    case L2Error::kUnsupportedEtherType:
      return "unsupported_ether_type";
    case L2Error::kUnsupportedArpOperation:
      return "unsupported_arp_operation";
    case L2Error::kUnsupportedNextHeader:
      return "unsupported_next_header";
    case L2Error::kUnsupportedIcmpv6Type:
      return "unsupported_icmpv6_type";
    case L2Error::kTruncatedEthernet:
      return "truncated_ethernet";
    case L2Error::kTruncatedVlanTag:
      return "truncated_vlan_tag";
    case L2Error::kTruncatedArp:
      return "truncated_arp";
    case L2Error::kArpHardwareType:
      return "arp_hardware_type";
    case L2Error::kArpProtocolType:
      return "arp_protocol_type";
    case L2Error::kArpHardwareLength:
      return "arp_hardware_length";
    case L2Error::kArpProtocolLength:
      return "arp_protocol_length";
    case L2Error::kTruncatedIpv6:
      return "truncated_ipv6";
    case L2Error::kIpv6Version:
      return "ipv6_version";
    case L2Error::kIpv6PayloadLength:
      return "ipv6_payload_length";
    case L2Error::kIpv6SourceMulticast:
      return "ipv6_source_multicast";
    case L2Error::kTruncatedIcmpv6:
      return "truncated_icmpv6";
    case L2Error::kIcmpv6Checksum:
      return "icmpv6_checksum";
    case L2Error::kNdpHopLimit:
      return "ndp_hop_limit";
    case L2Error::kNdpCode:
      return "ndp_code";
    case L2Error::kNdpTooShort:
      return "ndp_too_short";
    case L2Error::kNdpTargetMulticast:
      return "ndp_target_multicast";
    case L2Error::kNdpOptionLengthZero:
      return "ndp_option_length_zero";
    case L2Error::kNdpOptionTruncated:
      return "ndp_option_truncated";
    case L2Error::kNdpLinkLayerOptionLength:
      return "ndp_link_layer_option_length";
    case L2Error::kNdpDadWithSourceLla:
      return "ndp_dad_with_source_lla";
    case L2Error::kNdpDadDestination:
      return "ndp_dad_destination";
    case L2Error::kNdpSolicitedToMulticast:
      return "ndp_solicited_to_multicast";
  }
  return "unknown";
}

std::string_view Describe(L2Error error) {
  switch (error) {
    case L2Error::kUnsupportedEtherType:
      return "EtherType is neither ARP (0x0806) nor IPv6 (0x86dd)";
    case L2Error::kUnsupportedArpOperation:
      return "ARP operation is neither request (1) nor reply (2)";
    case L2Error::kUnsupportedNextHeader:
      return "IPv6 next header is not ICMPv6 (58)";
    case L2Error::kUnsupportedIcmpv6Type:
      return "ICMPv6 type is neither Neighbor Solicitation (135) nor Advertisement (136)";
    case L2Error::kTruncatedEthernet:
      return "frame shorter than the 14-byte Ethernet II header";
    case L2Error::kTruncatedVlanTag:
      return "IEEE 802.1Q tag cut short";
    case L2Error::kTruncatedArp:
      return "ARP body shorter than 28 bytes (RFC 826)";
    case L2Error::kArpHardwareType:
      return "ARP hardware type is not Ethernet (1) (RFC 826)";
    case L2Error::kArpProtocolType:
      return "ARP protocol type is not IPv4 (0x0800) (RFC 826)";
    case L2Error::kArpHardwareLength:
      return "ARP hardware address length is not 6 (RFC 826)";
    case L2Error::kArpProtocolLength:
      return "ARP protocol address length is not 4 (RFC 826)";
    case L2Error::kTruncatedIpv6:
      return "IPv6 header shorter than 40 bytes (RFC 8200 3)";
    case L2Error::kIpv6Version:
      return "IPv6 version field is not 6 (RFC 8200 3)";
    case L2Error::kIpv6PayloadLength:
      return "IPv6 payload length runs past the end of the frame (RFC 8200 3)";
    case L2Error::kIpv6SourceMulticast:
      return "IPv6 source address is multicast (RFC 4291 2.7)";
    case L2Error::kTruncatedIcmpv6:
      return "ICMPv6 message shorter than its 4-byte header (RFC 4443 2.1)";
    case L2Error::kIcmpv6Checksum:
      return "ICMPv6 checksum does not verify (RFC 4443 2.3)";
    case L2Error::kNdpHopLimit:
      return "Neighbor Discovery hop limit is not 255 (RFC 4861 7.1)";
    case L2Error::kNdpCode:
      return "Neighbor Discovery ICMP code is not 0 (RFC 4861 7.1)";
    case L2Error::kNdpTooShort:
      return "Neighbor Discovery message shorter than 24 bytes (RFC 4861 7.1)";
    case L2Error::kNdpTargetMulticast:
      return "Neighbor Discovery target address is multicast (RFC 4861 7.1)";
    case L2Error::kNdpOptionLengthZero:
      return "Neighbor Discovery option with length 0 (RFC 4861 4.6)";
    case L2Error::kNdpOptionTruncated:
      return "Neighbor Discovery option runs past the end of the message (RFC 4861 4.6)";
    case L2Error::kNdpLinkLayerOptionLength:
      return "link-layer address option is not 8 bytes on Ethernet (RFC 2464 8)";
    case L2Error::kNdpDadWithSourceLla:
      return "solicitation from :: carries a source link-layer address (RFC 4861 7.1.1)";
    case L2Error::kNdpDadDestination:
      return "solicitation from :: not sent to a solicited-node group (RFC 4861 7.1.1)";
    case L2Error::kNdpSolicitedToMulticast:
      return "advertisement with S=1 sent to a multicast address (RFC 4861 7.1.2)";
  }
  return "unknown L2 decode error";
}

}  // namespace vipcast::wire
