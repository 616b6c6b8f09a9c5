#include "prod/common/raw_frame_socket.h"

#include <arpa/inet.h>
#include <linux/if_ether.h>
#include <linux/if_packet.h>
#include <sys/socket.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>

namespace vipcast::prod {

namespace {
constexpr size_t kMaxFrame = 2048;     // jumbo frames are not ARP
constexpr int kMaxFramesPerWake = 64;  // fairness with the other sockets
}  // namespace

RawFrameSocket::RawFrameSocket(boost::asio::io_context& io, std::string interface, int ifindex,
                               uint16_t ethertype, FrameHandler on_frame)
    : interface_(std::move(interface)),
      ifindex_(ifindex),
      ethertype_(ethertype),
      on_frame_(std::move(on_frame)),
      descriptor_(io) {}

RawFrameSocket::~RawFrameSocket() {
  boost::system::error_code ignored;
  descriptor_.close(ignored);
}

std::string RawFrameSocket::Open() {
  const int fd = socket(AF_PACKET, SOCK_RAW | SOCK_NONBLOCK | SOCK_CLOEXEC, htons(ethertype_));
  if (fd < 0) return std::string("socket(AF_PACKET): ") + std::strerror(errno);
  sockaddr_ll addr{};
  addr.sll_family = AF_PACKET;
  addr.sll_protocol = htons(ethertype_);
  addr.sll_ifindex = ifindex_;
  if (bind(fd, reinterpret_cast<const sockaddr*>(&addr), sizeof(addr)) != 0) {
    const std::string error =
        std::string("bind(AF_PACKET ") + interface_ + "): " + std::strerror(errno);
    close(fd);
    return error;
  }
  descriptor_.assign(fd);
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
    const ssize_t n = recvfrom(descriptor_.native_handle(), frame.data(), frame.size(),
                               MSG_DONTWAIT, reinterpret_cast<sockaddr*>(&from), &from_len);
    if (n < 0) return;  // EAGAIN: drained; other errors: wait again
    if (from.sll_pkttype == PACKET_OUTGOING || from.sll_pkttype == PACKET_OTHERHOST) continue;
    frame.resize(static_cast<size_t>(n));
    ++received_;
    on_frame_(interface_, std::move(frame));
  }
}

}  // namespace vipcast::prod
