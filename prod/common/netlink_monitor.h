// Link and address change notifications from the kernel (rtnetlink(7)), so
// that the runtime re-lists interfaces the moment a link goes down or an
// address moves instead of at its next poll.
//
// Netlink is only the trigger: the consumer re-lists interfaces with
// ListInterfaces (the source of truth) and compares. Nothing in a message
// beyond its type is used, so a message this parser misreads can at worst
// cause one extra re-list.
//
// The socket joins RTMGRP_LINK, RTMGRP_IPV4_IFADDR and RTMGRP_IPV6_IFADDR
// (RTM_NEWLINK/DELLINK/NEWADDR/DELADDR). When the kernel drops
// notifications because the socket buffer is full, recv fails with ENOBUFS
// (netlink(7)); that is reported as kOverrun, after which anything may have
// changed, so the consumer re-lists everything.
#pragma once

#include <boost/asio/io_context.hpp>
#include <boost/asio/posix/stream_descriptor.hpp>
#include <cstdint>
#include <functional>
#include <string>
#include <string_view>
#include <vector>

#include "prod/common/netlink_walk.h"

namespace vipcast::prod {

enum class NetlinkTrigger {
  kChanged,  // a link or address notification arrived
  kOverrun,  // notifications were lost (ENOBUFS, NLMSG_OVERRUN, a truncated datagram)
};
std::string_view ToString(NetlinkTrigger trigger);

class NetlinkMonitor {
 public:
  // Called once per batch of datagrams read together (a burst of changes,
  // e.g. a link going down with its addresses, becomes one call). Not
  // called for datagrams that carry no link or address change.
  using Callback = std::function<void(NetlinkTrigger)>;

  NetlinkMonitor(boost::asio::io_context& io, Callback callback);
  ~NetlinkMonitor();
  NetlinkMonitor(const NetlinkMonitor&) = delete;
  NetlinkMonitor& operator=(const NetlinkMonitor&) = delete;

  // Opens and binds the socket and starts reading; returns the error text,
  // empty on success.
  std::string Open();
  // Closes the socket; no callback runs after Close returns.
  void Close();
  bool is_open() const { return stream_.is_open(); }

 private:
  void Wait();
  void Drain();

  Callback callback_;
  boost::asio::posix::stream_descriptor stream_;
  bool closed_ = false;
  // One kernel notification is well under a page; 32 KiB also holds the
  // larger messages of links with many attributes.
  std::vector<uint8_t> buffer_ = std::vector<uint8_t>(32768);
};

}  // namespace vipcast::prod
