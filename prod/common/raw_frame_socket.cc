#include "prod/common/raw_frame_socket.h"

#include <arpa/inet.h>
#include <linux/filter.h>
#include <linux/if_ether.h>
#include <linux/if_packet.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include <array>
#include <cerrno>
#include <cstring>

namespace vipcast::prod {

namespace {

// A larger frame is neither ARP nor a Neighbor Solicitation anyone expects
// an answer to (RFC 4861 keeps ND within one link MTU); it is dropped.
constexpr size_t kMaxFrame = 2048;
constexpr int kMaxFramesPerWake = 64;  // fairness with the other sockets

constexpr uint16_t kEtherTypeVlan = ETH_P_8021Q;  // 0x8100
constexpr uint8_t kNextHeaderIcmpv6 = 58;         // IANA protocol number
constexpr uint8_t kIcmpv6NeighborSolicitation = 135;
constexpr uint8_t kIcmpv6NeighborAdvertisement = 136;

// Offsets in an untagged Ethernet II frame (SOCK_RAW: the filter sees the
// frame from its MAC header; the kernel strips an offloaded VLAN tag).
constexpr uint32_t kEtherTypeOffset = 12;
constexpr uint32_t kNextHeaderOffset = 14 + 6;  // RFC 8200 3
constexpr uint32_t kIcmpv6TypeOffset = 14 + 40;

// Classic BPF: accept (whole frame) IPv6 whose next header is ICMPv6 and
// whose ICMPv6 type is NS or NA; drop everything else. Jump offsets count
// from the next instruction: 8 is the drop, 7 the accept.
constexpr std::array<sock_filter, 9> kNdpFilter = {{
    /*0*/ BPF_STMT(BPF_LD | BPF_H | BPF_ABS, kEtherTypeOffset),
    /*1*/ BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, ETH_P_IPV6, 0, 6),
    /*2*/ BPF_STMT(BPF_LD | BPF_B | BPF_ABS, kNextHeaderOffset),
    /*3*/ BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, kNextHeaderIcmpv6, 0, 4),
    /*4*/ BPF_STMT(BPF_LD | BPF_B | BPF_ABS, kIcmpv6TypeOffset),
    /*5*/ BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, kIcmpv6NeighborSolicitation, 1, 0),
    /*6*/ BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, kIcmpv6NeighborAdvertisement, 0, 1),
    /*7*/ BPF_STMT(BPF_RET | BPF_K, 0x40000),
    /*8*/ BPF_STMT(BPF_RET | BPF_K, 0),
}};

uint16_t EtherTypeOf(FrameProtocol protocol) {
  return protocol == FrameProtocol::kArp ? ETH_P_ARP : ETH_P_IPV6;
}

std::string Errno(const std::string& what) { return what + ": " + std::strerror(errno); }

}  // namespace

std::string_view ToString(FrameProtocol protocol) {
  return protocol == FrameProtocol::kArp ? "arp" : "ndp";
}

std::optional<FrameProtocol> FrameProtocolOf(const core::Bytes& frame) {
  auto be16 = [&](size_t at) { return static_cast<uint16_t>(frame[at] << 8 | frame[at + 1]); };
  if (frame.size() < kEtherTypeOffset + 2) return std::nullopt;
  uint16_t type = be16(kEtherTypeOffset);
  if (type == kEtherTypeVlan) {
    if (frame.size() < kEtherTypeOffset + 6) return std::nullopt;
    type = be16(kEtherTypeOffset + 4);
  }
  if (type == ETH_P_ARP) return FrameProtocol::kArp;
  if (type == ETH_P_IPV6) return FrameProtocol::kNdp;
  return std::nullopt;
}

std::optional<core::MacAddr> EthernetMulticastMac(const core::IpAddr& group) {
  if (group.is_v6()) {
    // A copy: v6() returns by value, a reference into it would dangle.
    const auto b = group.v6().bytes();
    if (b[0] != 0xff) return std::nullopt;
    return core::MacAddr({0x33, 0x33, b[12], b[13], b[14], b[15]});
  }
  const uint32_t v = group.v4().value();
  if ((v >> 28) != 0xe) return std::nullopt;  // 224.0.0.0/4
  return core::MacAddr({0x01, 0x00, 0x5e, static_cast<uint8_t>((v >> 16) & 0x7f),
                        static_cast<uint8_t>(v >> 8), static_cast<uint8_t>(v)});
}

RawFrameSocket::RawFrameSocket(boost::asio::io_context& io, std::string interface, int ifindex,
                               FrameProtocol protocol, FrameHandler on_frame)
    : interface_(std::move(interface)),
      ifindex_(ifindex),
      protocol_(protocol),
      on_frame_(std::move(on_frame)),
      descriptor_(io) {}

RawFrameSocket::~RawFrameSocket() {
  boost::system::error_code ignored;
  descriptor_.close(ignored);
  if (group_fd_ >= 0) close(group_fd_);
}

std::string RawFrameSocket::Open() {
  // Protocol 0: the socket receives nothing until bind names the protocol,
  // by which time the filter is in place.
  const int fd = socket(AF_PACKET, SOCK_RAW | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
  if (fd < 0) return Errno("socket(AF_PACKET)");
  if (protocol_ == FrameProtocol::kNdp) {
    sock_fprog program{static_cast<unsigned short>(kNdpFilter.size()),
                       const_cast<sock_filter*>(kNdpFilter.data())};
    if (setsockopt(fd, SOL_SOCKET, SO_ATTACH_FILTER, &program, sizeof(program)) != 0) {
      const std::string error = Errno("SO_ATTACH_FILTER " + interface_);
      close(fd);
      return error;
    }
  }
  sockaddr_ll addr{};
  addr.sll_family = AF_PACKET;
  addr.sll_protocol = htons(EtherTypeOf(protocol_));
  addr.sll_ifindex = ifindex_;
  if (bind(fd, reinterpret_cast<const sockaddr*>(&addr), sizeof(addr)) != 0) {
    const std::string error = Errno("bind(AF_PACKET " + interface_ + ")");
    close(fd);
    return error;
  }
  descriptor_.assign(fd);
  if (protocol_ == FrameProtocol::kNdp) {
    // Not fatal: without it (IPv6 disabled in the kernel) frames still flow
    // and link-layer joins still work; JoinIpv6Group reports why.
    group_fd_ = socket(AF_INET6, SOCK_DGRAM | SOCK_CLOEXEC, 0);
    if (group_fd_ < 0) group_fd_error_ = Errno("socket(AF_INET6)");
  }
  Wait();
  return {};
}

bool RawFrameSocket::Send(const core::Bytes& frame) {
  if (!descriptor_.is_open()) return false;
  // Bound to the interface and SOCK_RAW: the frame goes out as given,
  // Ethernet header included.
  const ssize_t n = send(descriptor_.native_handle(), frame.data(), frame.size(), MSG_DONTWAIT);
  if (n != static_cast<ssize_t>(frame.size())) {
    ++send_errors_;
    return false;
  }
  ++sent_;
  return true;
}

std::string RawFrameSocket::JoinLinkMulticast(const core::MacAddr& mac) {
  return LinkMembership(PACKET_ADD_MEMBERSHIP, mac);
}

std::string RawFrameSocket::LeaveLinkMulticast(const core::MacAddr& mac) {
  return LinkMembership(PACKET_DROP_MEMBERSHIP, mac);
}

std::string RawFrameSocket::JoinIpv6Group(const core::Ipv6Addr& group) {
  return Ipv6Membership(IPV6_ADD_MEMBERSHIP, group);
}

std::string RawFrameSocket::LeaveIpv6Group(const core::Ipv6Addr& group) {
  return Ipv6Membership(IPV6_DROP_MEMBERSHIP, group);
}

std::string RawFrameSocket::LinkMembership(int option, const core::MacAddr& mac) {
  if (!descriptor_.is_open()) return "socket not open";
  packet_mreq request{};
  request.mr_ifindex = ifindex_;
  request.mr_type = PACKET_MR_MULTICAST;
  request.mr_alen = static_cast<unsigned short>(mac.bytes().size());
  std::memcpy(request.mr_address, mac.bytes().data(), mac.bytes().size());
  if (setsockopt(descriptor_.native_handle(), SOL_PACKET, option, &request, sizeof(request)) != 0) {
    return Errno(std::string(option == PACKET_ADD_MEMBERSHIP ? "PACKET_ADD_MEMBERSHIP "
                                                             : "PACKET_DROP_MEMBERSHIP ") +
                 mac.ToString() + " on " + interface_);
  }
  return {};
}

std::string RawFrameSocket::Ipv6Membership(int option, const core::Ipv6Addr& group) {
  if (!descriptor_.is_open()) return "socket not open";
  if (protocol_ != FrameProtocol::kNdp) return "not an NDP socket";
  if (group_fd_ < 0) return group_fd_error_;
  ipv6_mreq request{};
  std::memcpy(request.ipv6mr_multiaddr.s6_addr, group.bytes().data(), group.bytes().size());
  request.ipv6mr_interface = static_cast<unsigned>(ifindex_);
  if (setsockopt(group_fd_, IPPROTO_IPV6, option, &request, sizeof(request)) != 0) {
    return Errno(std::string(option == IPV6_ADD_MEMBERSHIP ? "IPV6_ADD_MEMBERSHIP "
                                                           : "IPV6_DROP_MEMBERSHIP ") +
                 group.ToString() + " on " + interface_);
  }
  return {};
}

void RawFrameSocket::Wait() {
  descriptor_.async_wait(boost::asio::posix::stream_descriptor::wait_read,
                         [this](const boost::system::error_code& ec) {
                           if (ec) return;  // closed (operation_aborted) or failed
                           Drain();
                           if (descriptor_.is_open()) Wait();
                         });
}

void RawFrameSocket::Drain() {
  for (int i = 0; i < kMaxFramesPerWake; ++i) {
    core::Bytes frame(kMaxFrame);
    sockaddr_ll from{};
    socklen_t from_len = sizeof(from);
    // MSG_TRUNC: the return value is the frame's real length, so a frame
    // cut by the buffer is recognised.
    const ssize_t n =
        recvfrom(descriptor_.native_handle(), frame.data(), frame.size(), MSG_DONTWAIT | MSG_TRUNC,
                 reinterpret_cast<sockaddr*>(&from), &from_len);
    if (n < 0) return;  // EAGAIN: drained; other errors: wait again
    if (static_cast<size_t>(n) > kMaxFrame) continue;
    if (from.sll_pkttype == PACKET_OUTGOING || from.sll_pkttype == PACKET_OTHERHOST) continue;
    frame.resize(static_cast<size_t>(n));
    ++received_;
    on_frame_(interface_, std::move(frame));
  }
}

}  // namespace vipcast::prod
