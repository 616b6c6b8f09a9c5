#include "prod/common/udp_port.h"

#include <arpa/inet.h>
#include <net/if.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include <array>
#include <cerrno>
#include <cstring>

namespace vipcast::prod {

namespace {
constexpr size_t kMaxDatagram = 65536;
constexpr int kMaxDatagramsPerWake = 64;  // fairness with the other sockets

std::string Errno(const std::string& what) { return what + ": " + std::strerror(errno); }

// ::ffff:a.b.c.d (RFC 4291 2.5.5.2) <-> a.b.c.d
core::IpAddr FromSockaddr6(const in6_addr& a) {
  if (IN6_IS_ADDR_V4MAPPED(&a)) {
    uint32_t v4 = 0;
    std::memcpy(&v4, &a.s6_addr[12], 4);
    return core::Ipv4Addr(ntohl(v4));
  }
  std::array<uint8_t, 16> bytes{};
  std::memcpy(bytes.data(), a.s6_addr, 16);
  return core::Ipv6Addr(bytes);
}

in6_addr ToSockaddr6(const core::IpAddr& address) {
  in6_addr out{};
  if (address.is_v4()) {
    out.s6_addr[10] = 0xff;
    out.s6_addr[11] = 0xff;
    const uint32_t v4 = htonl(address.v4().value());
    std::memcpy(&out.s6_addr[12], &v4, 4);
  } else {
    std::memcpy(out.s6_addr, address.v6().bytes().data(), 16);
  }
  return out;
}

}  // namespace

UdpPort::UdpPort(boost::asio::io_context& io, uint16_t port, DatagramHandler on_datagram)
    : port_(port), on_datagram_(std::move(on_datagram)), descriptor_(io), buffer_(kMaxDatagram) {}

UdpPort::~UdpPort() {
  boost::system::error_code ignored;
  descriptor_.close(ignored);
}

std::string UdpPort::Open() {
  // One dual-stack socket: IPv4 arrives as v4-mapped addresses with the
  // IPv4 ancillary data (IP_TTL, IP_PKTINFO), IPv6 with its own (hop
  // limit, IPV6_PKTINFO). A kernel without IPv6 gets an IPv4-only socket.
  int fd = socket(AF_INET6, SOCK_DGRAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
  dual_stack_ = fd >= 0;
  if (!dual_stack_) fd = socket(AF_INET, SOCK_DGRAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
  if (fd < 0) return Errno("socket(udp)");
  const int on = 1;
  const int off = 0;
  setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &on, sizeof(on));
  bool ok = setsockopt(fd, IPPROTO_IP, IP_RECVTTL, &on, sizeof(on)) == 0 &&
            setsockopt(fd, IPPROTO_IP, IP_PKTINFO, &on, sizeof(on)) == 0;
  if (ok && dual_stack_) {
    ok = setsockopt(fd, IPPROTO_IPV6, IPV6_V6ONLY, &off, sizeof(off)) == 0 &&
         setsockopt(fd, IPPROTO_IPV6, IPV6_RECVHOPLIMIT, &on, sizeof(on)) == 0 &&
         setsockopt(fd, IPPROTO_IPV6, IPV6_RECVPKTINFO, &on, sizeof(on)) == 0;
  }
  if (!ok) {
    const std::string error = Errno("setsockopt(TTL/hop limit and PKTINFO)");
    close(fd);
    return error;
  }
  int rc = 0;
  if (dual_stack_) {
    sockaddr_in6 addr{};
    addr.sin6_family = AF_INET6;
    addr.sin6_port = htons(port_);
    addr.sin6_addr = in6addr_any;
    rc = bind(fd, reinterpret_cast<const sockaddr*>(&addr), sizeof(addr));
  } else {
    sockaddr_in addr{};
    addr.sin_family = AF_INET;
    addr.sin_port = htons(port_);
    addr.sin_addr.s_addr = htonl(INADDR_ANY);
    rc = bind(fd, reinterpret_cast<const sockaddr*>(&addr), sizeof(addr));
  }
  if (rc != 0) {
    const std::string error = Errno("bind(udp port " + std::to_string(port_) + ")");
    close(fd);
    return error;
  }
  descriptor_.assign(fd);
  Wait();
  return {};
}

bool UdpPort::Send(const core::SendDatagram& datagram) {
  if (!descriptor_.is_open()) return false;
  const core::IpAddr& remote = datagram.remote.address;
  if (!remote.is_v4() && !dual_stack_) return false;
  const int fd = descriptor_.native_handle();
  int& current = remote.is_v4() ? ttl_ : hop_limit_;
  if (current != datagram.ttl) {
    const int ttl = datagram.ttl;
    const bool set = remote.is_v4()
                         ? setsockopt(fd, IPPROTO_IP, IP_TTL, &ttl, sizeof(ttl)) == 0
                         : setsockopt(fd, IPPROTO_IPV6, IPV6_UNICAST_HOPS, &ttl, sizeof(ttl)) == 0;
    if (set) current = datagram.ttl;
  }
  ssize_t n = -1;
  if (dual_stack_) {
    sockaddr_in6 to{};
    to.sin6_family = AF_INET6;
    to.sin6_port = htons(datagram.remote.port);
    to.sin6_addr = ToSockaddr6(remote);
    n = sendto(fd, datagram.payload.data(), datagram.payload.size(), MSG_DONTWAIT,
               reinterpret_cast<const sockaddr*>(&to), sizeof(to));
  } else {
    sockaddr_in to{};
    to.sin_family = AF_INET;
    to.sin_port = htons(datagram.remote.port);
    to.sin_addr.s_addr = htonl(remote.v4().value());
    n = sendto(fd, datagram.payload.data(), datagram.payload.size(), MSG_DONTWAIT,
               reinterpret_cast<const sockaddr*>(&to), sizeof(to));
  }
  if (n != static_cast<ssize_t>(datagram.payload.size())) {
    ++send_errors_;
    return false;
  }
  return true;
}

void UdpPort::Wait() {
  descriptor_.async_wait(boost::asio::posix::stream_descriptor::wait_read,
                         [this](const boost::system::error_code& ec) {
                           if (ec) return;  // closed (operation_aborted) or failed
                           Drain();
                           if (descriptor_.is_open()) Wait();
                         });
}

void UdpPort::Drain() {
  const int fd = descriptor_.native_handle();
  for (int i = 0; i < kMaxDatagramsPerWake; ++i) {
    sockaddr_storage from{};
    iovec iov{buffer_.data(), buffer_.size()};
    alignas(cmsghdr) char control[2 * CMSG_SPACE(sizeof(int)) + CMSG_SPACE(sizeof(in6_pktinfo)) +
                                  CMSG_SPACE(sizeof(in_pktinfo))];
    msghdr msg{};
    msg.msg_name = &from;
    msg.msg_namelen = sizeof(from);
    msg.msg_iov = &iov;
    msg.msg_iovlen = 1;
    msg.msg_control = control;
    msg.msg_controllen = sizeof(control);
    const ssize_t n = recvmsg(fd, &msg, MSG_DONTWAIT);
    if (n < 0) return;                        // EAGAIN: drained
    if (msg.msg_flags & MSG_TRUNC) continue;  // larger than any message we accept
    core::DatagramReceived in;
    if (from.ss_family == AF_INET6) {
      const auto& from6 = reinterpret_cast<const sockaddr_in6&>(from);
      in.remote = {FromSockaddr6(from6.sin6_addr), ntohs(from6.sin6_port)};
    } else {
      const auto& from4 = reinterpret_cast<const sockaddr_in&>(from);
      in.remote = {core::Ipv4Addr(ntohl(from4.sin_addr.s_addr)), ntohs(from4.sin_port)};
    }
    in.local = {
        in.remote.address.is_v4() ? core::IpAddr(core::Ipv4Addr()) : core::IpAddr(core::Ipv6Addr()),
        port_};
    unsigned ifindex = 0;
    for (cmsghdr* c = CMSG_FIRSTHDR(&msg); c != nullptr; c = CMSG_NXTHDR(&msg, c)) {
      if (c->cmsg_level == IPPROTO_IP && c->cmsg_type == IP_TTL) {
        int ttl = 0;
        std::memcpy(&ttl, CMSG_DATA(c), sizeof(ttl));
        in.ttl = static_cast<uint8_t>(ttl);
      } else if (c->cmsg_level == IPPROTO_IP && c->cmsg_type == IP_PKTINFO) {
        in_pktinfo info{};
        std::memcpy(&info, CMSG_DATA(c), sizeof(info));
        in.local.address = core::Ipv4Addr(ntohl(info.ipi_addr.s_addr));
        ifindex = static_cast<unsigned>(info.ipi_ifindex);
      } else if (c->cmsg_level == IPPROTO_IPV6 && c->cmsg_type == IPV6_HOPLIMIT) {
        int hops = 0;
        std::memcpy(&hops, CMSG_DATA(c), sizeof(hops));
        in.ttl = static_cast<uint8_t>(hops);  // RFC 5881 5: 255 for IPv6 too
      } else if (c->cmsg_level == IPPROTO_IPV6 && c->cmsg_type == IPV6_PKTINFO) {
        in6_pktinfo info{};
        std::memcpy(&info, CMSG_DATA(c), sizeof(info));
        in.local.address = FromSockaddr6(info.ipi6_addr);
        ifindex = info.ipi6_ifindex;
      }
    }
    char name[IF_NAMESIZE] = {};
    if (ifindex != 0 && if_indextoname(ifindex, name) != nullptr) in.interface = name;
    in.payload.assign(buffer_.begin(), buffer_.begin() + n);
    on_datagram_(std::move(in));
  }
}

}  // namespace vipcast::prod
