// The frames the responder sends: answers to ARP requests and Neighbor
// Solicitations, and gratuitous announcements. Pure functions of their
// arguments, so the rules they encode are tested on their own.
#pragma once

#include <array>
#include <optional>

#include "engine/core/ip.h"
#include "engine/core/mac.h"
#include "engine/wire/l2/frame.h"

namespace vipcast::l2 {

// RFC 826 reception algorithm: swap sender and target, put our MAC and the
// VIP in the sender fields, set REPLY and unicast it to the requester's
// hardware address. An RFC 5227 probe (sender IP 0.0.0.0) gets the same
// treatment, so its target IP is 0.0.0.0, as Linux answers probes.
// The reply keeps the request's 802.1Q tag so it returns on the same VLAN.
wire::L2Frame ArpReply(const wire::EthernetHeader& request_ethernet, const wire::ArpPacket& request,
                       const core::MacAddr& our_mac);

// One gratuitous round for `vip`: an ARP request and an ARP reply, both
// broadcast, sender IP = target IP = VIP, sender MAC = ours. The request is
// an RFC 5227 3 ARP Announcement (target MAC zero); the reply, for stacks
// that only update caches from replies, carries the broadcast target MAC as
// MetalLB's does.
std::array<wire::L2Frame, 2> GratuitousArp(const core::Ipv4Addr& vip, const core::MacAddr& our_mac);

// RFC 4861 7.2.4 answer to a Neighbor Solicitation for `vip`:
// - source unspecified (DAD): S=0, multicast to all-nodes ff02::1;
// - otherwise: S=1, unicast to the solicitation's source address, at
//   `solicitor_mac` (its source link-layer option, else its Ethernet source).
// R=0 (we are not a router), O=1 (the VIP is ours, not anycast or proxied),
// with our target link-layer address. The NA's IPv6 source is the VIP
// itself, as Linux does for addresses it owns (ndisc_send_na).
wire::L2Frame SolicitedNa(const wire::EthernetHeader& request_ethernet,
                          const core::Ipv6Addr& solicitation_source,
                          const core::MacAddr& solicitor_mac, const core::Ipv6Addr& vip,
                          const core::MacAddr& our_mac);

// RFC 4861 7.2.6 unsolicited advertisement for a gained VIP: to all-nodes
// (33:33:00:00:00:01), S=0, O=1 so caches switch to our MAC, with our
// target link-layer address.
wire::L2Frame UnsolicitedNa(const core::Ipv6Addr& vip, const core::MacAddr& our_mac);

}  // namespace vipcast::l2
