// Raw Ethernet frames of one address-resolution protocol (ARP, or IPv6
// Neighbor Discovery) on one interface, in and out, on the Asio event loop.
//
// Written on an AF_PACKET socket by hand rather than with libtins: libtins'
// Sniffer runs a blocking pcap loop (sniff_loop/next_packet) that cannot be
// driven by an io_context without a thread per interface, and the engine
// already builds and parses every byte of the frames; all this needs is a
// file descriptor to wait on.
//
// What reaches the socket:
//  - kArp: bound to one ifindex and ETH_P_ARP; the kernel's protocol demux
//    filters everything else.
//  - kNdp: bound to one ifindex and ETH_P_IPV6, with a classic BPF filter
//    that passes only ICMPv6 Neighbor Solicitations (135) and
//    Advertisements (136), RFC 4861 4.3/4.4, right after the IPv6 header
//    (next header 58). ND behind extension headers is not seen: RFC 6980 5
//    makes receivers drop fragmented ND, and NS/NA are sent without any.
//    The filter runs in the kernel before a frame is queued to the socket,
//    so the rest of the node's IPv6 traffic costs one filter run each. It
//    is attached before the socket is bound to the protocol, so no
//    unfiltered frame is ever queued.
//    Protocol sockets (not ETH_P_ALL) also keep the node's transmit path
//    free of a per-packet copy for this tap.
//
// Frames this host sent itself (PACKET_OUTGOING) and unicast frames for
// other hosts (PACKET_OTHERHOST, seen when the NIC is promiscuous) are
// dropped, as a NIC outside promiscuous mode would. Frames longer than the
// receive buffer are dropped rather than handed on truncated.
//
// Multicast memberships, two kinds, both dropped by the kernel when the
// socket closes (a killed speaker leaves none behind) and neither needing
// CAP_NET_ADMIN:
//  - link layer (PACKET_ADD_MEMBERSHIP, PACKET_MR_MULTICAST on the packet
//    socket): the NIC's filter passes a multicast MAC such as a
//    solicited-node group's 33:33:ff:xx:xx:xx;
//  - IPv6 (IPV6_ADD_MEMBERSHIP on a companion AF_INET6 datagram socket of
//    the kNdp socket, bound to nothing): the same NIC filter entry, and the
//    kernel sends MLD reports and answers MLD queries for the group. A
//    switch that snoops MLD forwards a solicited-node group only to ports
//    that reported it (RFC 4541 3: only ff02::1 is always flooded), so
//    without the report solicitations for a VIP may never reach its owner.
//    The kernel's own IPv6 stack then receives those solicitations too and
//    ignores them: it answers only for targets assigned to the receiving
//    interface (or proxied), and a VIP is not.
//
// Invariant: while open, exactly one wait is pending on the descriptor.
#pragma once

#include <boost/asio/io_context.hpp>
#include <boost/asio/posix/stream_descriptor.hpp>
#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <string_view>

#include "engine/core/bytes.h"
#include "engine/core/ip.h"
#include "engine/core/mac.h"

namespace vipcast::prod {

enum class FrameProtocol : uint8_t { kArp, kNdp };

std::string_view ToString(FrameProtocol protocol);

// Which socket an outgoing Ethernet II frame belongs on, from its EtherType
// (after one 802.1Q tag, if any): ARP -> kArp, IPv6 -> kNdp; nullopt for
// anything else or a frame too short to say.
std::optional<FrameProtocol> FrameProtocolOf(const core::Bytes& frame);

// The Ethernet multicast address of an IP multicast group: RFC 2464 7
// (33:33 and the group's last four bytes) for IPv6, RFC 1112 6.4
// (01:00:5e and the low 23 bits) for IPv4. nullopt for a unicast address.
std::optional<core::MacAddr> EthernetMulticastMac(const core::IpAddr& group);

class RawFrameSocket {
 public:
  using FrameHandler = std::function<void(const std::string& interface, core::Bytes frame)>;

  RawFrameSocket(boost::asio::io_context& io, std::string interface, int ifindex,
                 FrameProtocol protocol, FrameHandler on_frame);
  ~RawFrameSocket();
  RawFrameSocket(const RawFrameSocket&) = delete;
  RawFrameSocket& operator=(const RawFrameSocket&) = delete;

  // Opens, filters and binds; on failure returns errno's text (e.g. EPERM
  // without CAP_NET_RAW) and stays closed.
  std::string Open();
  // Sends one whole Ethernet II frame; returns false when the kernel refused.
  bool Send(const core::Bytes& frame);
  // Adds/drops one reference on a link-layer multicast address of the
  // interface; returns errno's text on failure, empty on success.
  std::string JoinLinkMulticast(const core::MacAddr& mac);
  std::string LeaveLinkMulticast(const core::MacAddr& mac);
  // Joins/leaves an IPv6 multicast group on the interface (with MLD), kNdp
  // sockets only; returns errno's text on failure, empty on success.
  std::string JoinIpv6Group(const core::Ipv6Addr& group);
  std::string LeaveIpv6Group(const core::Ipv6Addr& group);

  const std::string& interface() const { return interface_; }
  int ifindex() const { return ifindex_; }
  FrameProtocol protocol() const { return protocol_; }
  bool is_open() const { return descriptor_.is_open(); }
  uint64_t sent() const { return sent_; }
  uint64_t received() const { return received_; }
  uint64_t send_errors() const { return send_errors_; }

 private:
  void Wait();
  void Drain();
  std::string LinkMembership(int option, const core::MacAddr& mac);
  std::string Ipv6Membership(int option, const core::Ipv6Addr& group);

  std::string interface_;
  int ifindex_;
  FrameProtocol protocol_;
  FrameHandler on_frame_;
  boost::asio::posix::stream_descriptor descriptor_;
  int group_fd_ = -1;           // kNdp: the AF_INET6 socket holding IPv6 groups
  std::string group_fd_error_;  // why group_fd_ is -1 after Open
  uint64_t sent_ = 0;
  uint64_t received_ = 0;
  uint64_t send_errors_ = 0;
};

}  // namespace vipcast::prod
