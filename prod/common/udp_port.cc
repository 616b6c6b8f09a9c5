#include "prod/common/udp_port.h"

#include <arpa/inet.h>
#include <net/if.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>

namespace vipcast::prod {

namespace {
constexpr size_t kMaxDatagram = 65536;
constexpr int kMaxDatagramsPerWake = 64;  // fairness with the other sockets
}  // namespace

UdpPort::UdpPort(boost::asio::io_context& io, uint16_t port, DatagramHandler on_datagram)
    : port_(port), on_datagram_(std::move(on_datagram)), descriptor_(io), buffer_(kMaxDatagram) {}

UdpPort::~UdpPort() {
  boost::system::error_code ignored;
  descriptor_.close(ignored);
}

std::string UdpPort::Open() {
  const int fd = socket(AF_INET, SOCK_DGRAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
  if (fd < 0) return std::string("socket(udp): ") + std::strerror(errno);
  const int on = 1;
  setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &on, sizeof(on));
  if (setsockopt(fd, IPPROTO_IP, IP_RECVTTL, &on, sizeof(on)) != 0 ||
      setsockopt(fd, IPPROTO_IP, IP_PKTINFO, &on, sizeof(on)) != 0) {
    const std::string error =
        std::string("setsockopt(IP_RECVTTL/IP_PKTINFO): ") + std::strerror(errno);
    close(fd);
    return error;
  }
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_port = htons(port_);
  addr.sin_addr.s_addr = htonl(INADDR_ANY);
  if (bind(fd, reinterpret_cast<const sockaddr*>(&addr), sizeof(addr)) != 0) {
    const std::string error =
        "bind(udp port " + std::to_string(port_) + "): " + std::strerror(errno);
    close(fd);
    return error;
  }
  descriptor_.assign(fd);
  Wait();
  return {};
}

bool UdpPort::Send(const core::SendDatagram& datagram) {
  if (!descriptor_.is_open() || !datagram.remote.address.is_v4()) return false;
  const int fd = descriptor_.native_handle();
  if (ttl_ != datagram.ttl) {
    const int ttl = datagram.ttl;
    if (setsockopt(fd, IPPROTO_IP, IP_TTL, &ttl, sizeof(ttl)) == 0) ttl_ = ttl;
  }
  sockaddr_in to{};
  to.sin_family = AF_INET;
  to.sin_port = htons(datagram.remote.port);
  to.sin_addr.s_addr = htonl(datagram.remote.address.v4().value());
  const ssize_t n = sendto(fd, datagram.payload.data(), datagram.payload.size(), MSG_DONTWAIT,
                           reinterpret_cast<const sockaddr*>(&to), sizeof(to));
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
    sockaddr_in from{};
    iovec iov{buffer_.data(), buffer_.size()};
    alignas(cmsghdr) char control[CMSG_SPACE(sizeof(int)) + CMSG_SPACE(sizeof(in_pktinfo))];
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
    in.remote = {core::Ipv4Addr(ntohl(from.sin_addr.s_addr)), ntohs(from.sin_port)};
    in.local = {core::Ipv4Addr(), port_};
    for (cmsghdr* c = CMSG_FIRSTHDR(&msg); c != nullptr; c = CMSG_NXTHDR(&msg, c)) {
      if (c->cmsg_level != IPPROTO_IP) continue;
      if (c->cmsg_type == IP_TTL) {
        int ttl = 0;
        std::memcpy(&ttl, CMSG_DATA(c), sizeof(ttl));
        in.ttl = static_cast<uint8_t>(ttl);
      } else if (c->cmsg_type == IP_PKTINFO) {
        in_pktinfo info{};
        std::memcpy(&info, CMSG_DATA(c), sizeof(info));
        in.local.address = core::Ipv4Addr(ntohl(info.ipi_addr.s_addr));
        char name[IF_NAMESIZE] = {};
        if (if_indextoname(static_cast<unsigned>(info.ipi_ifindex), name) != nullptr) {
          in.interface = name;
        }
      }
    }
    in.payload.assign(buffer_.begin(), buffer_.begin() + n);
    on_datagram_(std::move(in));
  }
}

}  // namespace vipcast::prod
