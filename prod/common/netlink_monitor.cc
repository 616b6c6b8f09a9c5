#include "prod/common/netlink_monitor.h"

#include <linux/netlink.h>
#include <linux/rtnetlink.h>
#include <sys/socket.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>

namespace vipcast::prod {

namespace {

// Datagrams read per readiness before yielding to the other handlers of
// the loop; a burst larger than this continues at the next readiness.
constexpr int kMaxDatagramsPerDrain = 256;

}  // namespace

std::string_view ToString(NetlinkTrigger trigger) {
  switch (trigger) {
    case NetlinkTrigger::kChanged:
      return "netlink";
    case NetlinkTrigger::kOverrun:
      return "netlink-overrun";
  }
  return "netlink";
}

NetlinkMonitor::NetlinkMonitor(boost::asio::io_context& io, Callback callback)
    : callback_(std::move(callback)), stream_(io) {}

NetlinkMonitor::~NetlinkMonitor() { Close(); }

std::string NetlinkMonitor::Open() {
  if (stream_.is_open()) return {};
  const int fd = ::socket(AF_NETLINK, SOCK_RAW | SOCK_NONBLOCK | SOCK_CLOEXEC, NETLINK_ROUTE);
  if (fd < 0) return std::string("netlink socket: ") + std::strerror(errno);
  sockaddr_nl local{};
  local.nl_family = AF_NETLINK;
  local.nl_groups = RTMGRP_LINK | RTMGRP_IPV4_IFADDR | RTMGRP_IPV6_IFADDR;
  if (::bind(fd, reinterpret_cast<const sockaddr*>(&local), sizeof(local)) != 0) {
    const std::string error = std::string("netlink bind: ") + std::strerror(errno);
    ::close(fd);
    return error;
  }
  boost::system::error_code ec;
  stream_.assign(fd, ec);
  if (ec) {
    ::close(fd);
    return "netlink: " + ec.message();
  }
  closed_ = false;
  Wait();
  return {};
}

void NetlinkMonitor::Close() {
  closed_ = true;
  boost::system::error_code ignored;
  if (stream_.is_open()) stream_.close(ignored);
}

void NetlinkMonitor::Wait() {
  stream_.async_wait(boost::asio::posix::stream_descriptor::wait_read,
                     [this](const boost::system::error_code& ec) {
                       if (ec || closed_) return;
                       Drain();
                     });
}

void NetlinkMonitor::Drain() {
  bool changed = false;
  bool overrun = false;
  for (int i = 0; i < kMaxDatagramsPerDrain; ++i) {
    sockaddr_nl sender{};
    socklen_t sender_length = sizeof(sender);
    // MSG_TRUNC: the datagram's real length is returned even when it did
    // not fit, so that a cut message is noticed rather than misparsed.
    const ssize_t n =
        ::recvfrom(stream_.native_handle(), buffer_.data(), buffer_.size(),
                   MSG_DONTWAIT | MSG_TRUNC, reinterpret_cast<sockaddr*>(&sender), &sender_length);
    if (n < 0) {
      if (errno == EINTR) continue;
      if (errno == EAGAIN || errno == EWOULDBLOCK) break;
      // ENOBUFS (netlink(7)): the kernel dropped notifications; any other
      // error likewise leaves the state unknown. Either way: re-list.
      overrun = true;
      if (errno == ENOBUFS) continue;
      break;
    }
    // Only the kernel (port id 0) sends rtnetlink notifications.
    if (sender_length < sizeof(sender) || sender.nl_pid != 0) continue;
    if (static_cast<size_t>(n) > buffer_.size()) {
      overrun = true;
      continue;
    }
    const NetlinkSummary summary =
        WalkNetlinkMessages(std::span<const uint8_t>(buffer_.data(), static_cast<size_t>(n)));
    changed = changed || summary.changed();
    overrun = overrun || summary.overrun || summary.truncated;
  }
  if (closed_) return;
  Wait();
  // Last: the callback may Close() the monitor.
  if (overrun) {
    callback_(NetlinkTrigger::kOverrun);
  } else if (changed) {
    callback_(NetlinkTrigger::kChanged);
  }
}

}  // namespace vipcast::prod
