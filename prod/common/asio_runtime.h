// AsioRuntime: runs one core::Engine on a boost::asio::io_context, the
// production counterpart of sim/ns3's EngineHost. It only translates:
//  - time: engine time is the steady clock since the runtime was built, as a
//    core::TimePoint; one steady_timer, re-armed from NextDeadline() after
//    every engine call, calls Advance;
//  - raw frames: per chosen interface, one AF_PACKET socket for ARP and one
//    for ICMPv6 Neighbor Solicitations/Advertisements (RawFrameSocket)
//    -> FrameReceived; SendFrame goes out on the interface it names, on the
//    socket of its EtherType (ARP or IPv6);
//  - JoinMulticast/LeaveMulticast: on the interface's NDP socket, the IPv6
//    group (so that the kernel sends MLD reports for switches that snoop
//    MLD) and its Ethernet address (RFC 2464 7: 33:33:ff:xx:xx:xx for a
//    solicited-node group), so that the NIC delivers solicitations sent to
//    it; the joined groups are remembered and joined again on a socket
//    opened later (a retried open, a re-created link);
//  - UDP: one UdpPort per local port the engine uses (ports given to
//    OpenUdp are opened before the engine starts, so that the first
//    datagrams are not lost) -> DatagramReceived with TTL, local address
//    and interface; SendDatagram leaves from the port of its local endpoint
//    with its TTL;
//  - interfaces: listed at Start and re-listed at once on every rtnetlink
//    link or address notification (NetlinkMonitor: a link taken down is
//    seen within milliseconds, not at the next poll), plus every
//    `interface_safety_poll` in case a notification was missed; where the
//    netlink socket cannot be opened, every `interface_poll` instead (said
//    once in the log). ListInterfaces stays the source of truth; netlink
//    is only the trigger. A change becomes InterfacesChanged, and raw
//    sockets follow the list (failed opens are retried at every re-list);
//  - TCP streams (BGP): Listen, Connect, WriteStream, CloseStream and the
//    stream inputs, by TcpStreams (MD5, GTSM, TTL, pull-model writes);
//  - facts and Log actions go to the FactSink (the JSON logger).
// It makes no protocol decision. Not carried yet (said in the log at
// Start): IPv6 datagrams.
//
// Invariants: while an engine is attached, exactly one timer wait is
// pending iff NextDeadline() is not Never; engine calls see non-decreasing
// `now`; Detach() leaves no handler that could reach the engine.
#pragma once

#include <boost/asio/io_context.hpp>
#include <boost/asio/steady_timer.hpp>
#include <chrono>
#include <cstdint>
#include <deque>
#include <functional>
#include <map>
#include <memory>
#include <set>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "engine/core/io.h"
#include "prod/common/interfaces.h"
#include "prod/common/netlink_monitor.h"
#include "prod/common/raw_frame_socket.h"
#include "prod/common/tcp_streams.h"
#include "prod/common/udp_port.h"

namespace vipcast::prod {

struct AsioRuntimeOptions {
  // Interfaces to use; empty: every eligible one (ListInterfaces).
  std::vector<std::string> interfaces;
  // Re-list period when the netlink socket cannot be opened (or `netlink`
  // is false).
  core::Duration interface_poll = core::Duration::Seconds(1);
  // Re-list period alongside netlink: a safety net, not the trigger.
  core::Duration interface_safety_poll = core::Duration::Seconds(30);
  bool netlink = true;
};

class AsioRuntime {
 public:
  using FactSink = std::function<void(const core::Action& fact)>;

  AsioRuntime(boost::asio::io_context& io, AsioRuntimeOptions options, FactSink sink);
  ~AsioRuntime();
  AsioRuntime(const AsioRuntime&) = delete;
  AsioRuntime& operator=(const AsioRuntime&) = delete;

  // Opens a UDP port ahead of the engine's first use; returns the error
  // text, empty on success.
  std::string OpenUdp(uint16_t port);
  // Attaches `engine` (which must outlive the attachment), tells it the
  // interfaces and starts the timers.
  void Start(core::Engine& engine);
  // Hands an input to the engine now and performs what it asks.
  void Inject(const core::Input& input);
  // Stops calling the engine: timers cancelled, sockets closed.
  void Detach();

  core::TimePoint Now() const;
  const std::vector<LinkInfo>& links() const { return links_; }
  // True while interface changes come from netlink rather than polling.
  bool netlink_active() const { return netlink_.is_open(); }
  // Stream bytes the engine wrote that are not yet with the kernel (a
  // NOTIFICATION still to go out before exit).
  size_t buffered_stream_bytes() const { return streams_.buffered_bytes(); }
  boost::asio::io_context& io() { return io_; }

 private:
  // An input produced while performing actions waits for the current Pump;
  // one produced by a socket handler runs the engine at once.
  void Deliver(core::Input input);
  void Pump();
  void Perform(const core::Action& action);
  void Rearm();
  void PollInterfaces();
  // `trigger` names what caused the re-list in the "interfaces" log line.
  void RefreshInterfaces(bool force, std::string_view trigger);
  void SyncFrameSockets();
  std::unique_ptr<RawFrameSocket> OpenFrameSocket(const LinkInfo& link, FrameProtocol protocol);
  RawFrameSocket* FrameSocket(const std::string& interface, FrameProtocol protocol);
  void JoinGroup(const std::string& interface, const core::IpAddr& group);
  void LeaveGroup(const std::string& interface, const core::IpAddr& group);
  void Membership(RawFrameSocket& socket, const core::IpAddr& group, bool join);
  void SendFrame(const core::SendFrame& send);
  void SendDatagram(const core::SendDatagram& send);
  UdpPort* PortFor(uint16_t port);
  void Note(core::LogLevel level, std::string message, core::Labels fields = {});

  boost::asio::io_context& io_;
  AsioRuntimeOptions options_;
  FactSink sink_;
  const std::chrono::steady_clock::time_point start_;
  core::Engine* engine_ = nullptr;
  core::Outbox outbox_;
  std::deque<core::Input> pending_;  // inputs the runtime owes the engine
  bool pumping_ = false;
  boost::asio::steady_timer timer_;
  boost::asio::steady_timer poll_timer_;
  NetlinkMonitor netlink_;
  std::vector<LinkInfo> links_;
  using FrameKey = std::pair<std::string, FrameProtocol>;  // interface, protocol
  std::map<FrameKey, std::unique_ptr<RawFrameSocket>> frames_;
  // Multicast groups the engine holds per interface (it joins each once).
  std::map<std::string, std::set<core::IpAddr>> groups_;
  std::map<uint16_t, std::unique_ptr<UdpPort>> ports_;
  TcpStreams streams_;
  std::map<FrameKey, std::string> open_errors_;  // last open error
  uint64_t unroutable_frames_ = 0;
};

}  // namespace vipcast::prod
