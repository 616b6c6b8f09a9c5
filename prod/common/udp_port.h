// One UDP port (IPv4 and IPv6) on the Asio event loop, with what the
// engine needs beyond the payload: the received TTL or hop limit
// (IP_RECVTTL, IPV6_RECVHOPLIMIT; RFC 5881 5 has BFD check it is 255), the
// local address and interface the datagram arrived on (IP_PKTINFO,
// IPV6_RECVPKTINFO), and a per-datagram sent TTL/hop limit (set when it
// changes).
//
// Bound to [::]:port with IPV6_V6ONLY off (IPv4 peers appear as IPv4
// addresses, not v4-mapped ones), or to 0.0.0.0:port when the kernel has
// no IPv6; the engine reads the real local address from
// DatagramReceived.local.
//
// Invariant: while open, exactly one wait is pending on the descriptor.
#pragma once

#include <boost/asio/io_context.hpp>
#include <boost/asio/posix/stream_descriptor.hpp>
#include <cstdint>
#include <functional>
#include <string>

#include "engine/core/io.h"

namespace vipcast::prod {

class UdpPort {
 public:
  using DatagramHandler = std::function<void(core::DatagramReceived datagram)>;

  UdpPort(boost::asio::io_context& io, uint16_t port, DatagramHandler on_datagram);
  ~UdpPort();
  UdpPort(const UdpPort&) = delete;
  UdpPort& operator=(const UdpPort&) = delete;

  // Opens and binds; on failure returns the error text and stays closed.
  std::string Open();
  // Returns false when not sent (closed, IPv6 on an IPv4-only kernel,
  // kernel refused).
  bool Send(const core::SendDatagram& datagram);

  uint16_t port() const { return port_; }
  uint64_t send_errors() const { return send_errors_; }

 private:
  void Wait();
  void Drain();

  uint16_t port_;
  DatagramHandler on_datagram_;
  boost::asio::posix::stream_descriptor descriptor_;
  core::Bytes buffer_;  // one receive buffer, reused
  int ttl_ = -1;        // the socket's current IP_TTL
  int hop_limit_ = -1;  // and IPV6_UNICAST_HOPS
  bool dual_stack_ = false;
  uint64_t send_errors_ = 0;
};

}  // namespace vipcast::prod
