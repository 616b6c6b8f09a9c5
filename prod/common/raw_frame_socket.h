// Raw Ethernet frames of one EtherType on one interface, in and out, on the
// Asio event loop.
//
// Written on an AF_PACKET socket by hand rather than with libtins: libtins'
// Sniffer runs a blocking pcap loop (sniff_loop/next_packet) that cannot be
// driven by an io_context without a thread per interface, and the engine
// already builds and parses every byte of the frames; all this needs is a
// file descriptor to wait on. The socket is bound to one ifindex and one
// EtherType (ETH_P_ARP), so the kernel filters everything else.
//
// Frames this host sent itself (PACKET_OUTGOING) and unicast frames for
// other hosts (PACKET_OTHERHOST, seen when the NIC is promiscuous) are
// dropped, as a NIC outside promiscuous mode would.
//
// Invariant: while open, exactly one wait is pending on the descriptor.
#pragma once

#include <boost/asio/io_context.hpp>
#include <boost/asio/posix/stream_descriptor.hpp>
#include <cstdint>
#include <functional>
#include <string>

#include "engine/core/bytes.h"

namespace vipcast::prod {

class RawFrameSocket {
 public:
  using FrameHandler = std::function<void(const std::string& interface, core::Bytes frame)>;

  RawFrameSocket(boost::asio::io_context& io, std::string interface, int ifindex,
                 uint16_t ethertype, FrameHandler on_frame);
  ~RawFrameSocket();
  RawFrameSocket(const RawFrameSocket&) = delete;
  RawFrameSocket& operator=(const RawFrameSocket&) = delete;

  // Opens and binds; on failure returns errno's text (e.g. EPERM without
  // CAP_NET_RAW) and stays closed.
  std::string Open();
  // Sends one whole Ethernet II frame; returns false when the kernel refused.
  bool Send(const core::Bytes& frame);

  const std::string& interface() const { return interface_; }
  int ifindex() const { return ifindex_; }
  uint64_t sent() const { return sent_; }
  uint64_t received() const { return received_; }
  uint64_t send_errors() const { return send_errors_; }

 private:
  void Wait();
  void Drain();

  std::string interface_;
  int ifindex_;
  uint16_t ethertype_;
  FrameHandler on_frame_;
  boost::asio::posix::stream_descriptor descriptor_;
  uint64_t sent_ = 0;
  uint64_t received_ = 0;
  uint64_t send_errors_ = 0;
};

}  // namespace vipcast::prod
