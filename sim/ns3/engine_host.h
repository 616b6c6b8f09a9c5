// EngineHost: the ns-3 Application that runs one cluster node's engine
// (speaker::NodeSpeaker) unchanged. It only translates:
//  - time: one ns-3 event, cancelled and re-armed from NextDeadline() after
//    every engine call, calls Advance;
//  - raw frames: a promiscuous protocol handler for ARP (0x0806) and one for
//    IPv6 (0x86DD: the engine picks the NDP messages out of it) rebuilds
//    the Ethernet II header the CSMA device stripped (destination, source,
//    type + payload, CSMA padding kept) -> FrameReceived; frames for other
//    hosts (PACKET_OTHERHOST) are dropped as a NIC outside promiscuous mode
//    would. SendFrame -> NetDevice::SendFrom(payload, src, dst, type);
//    JoinMulticast/LeaveMulticast (solicited-node groups of IPv6 VIPs) need
//    nothing: a CSMA device hands every multicast frame up, so the engine
//    already receives every NS; a real NIC needs the join (prod/);
//  - UDP: one socket per local port the engine uses (the membership port is
//    opened at boot so that the first datagrams are not lost), TTL out as a
//    SocketIpTtlTag, TTL in from the received tag (SetIpRecvTtl);
//  - facts (VipAnnounced, VipWithdrawn, SessionStateChanged) go to the
//    FactSink, i.e. the World's timeline.
//  - TCP streams (BGP): tcp_streams.h; inputs from socket callbacks are
//    handed over at once, or queued when they arrive while actions are
//    being performed, so the engine is never re-entered.
// It makes no protocol decision.
//
// Invariant: while an engine exists, exactly one timer event is pending iff
// NextDeadline() is not Never; Kill() leaves no event and no socket behind
// that could call into the (gone) engine.
#pragma once

#include <cstdint>
#include <deque>
#include <functional>
#include <map>
#include <memory>
#include <string>

#include "engine/core/io.h"
#include "engine/core/rng.h"
#include "engine/speaker/node_speaker.h"
#include "ns3/application.h"
#include "ns3/event-id.h"
#include "ns3/ipv4-address.h"
#include "ns3/ipv6-address.h"
#include "ns3/mac48-address.h"
#include "ns3/net-device.h"
#include "ns3/socket.h"
#include "sim/ns3/tcp_streams.h"
#include "sim/ns3/udp_ports.h"

namespace vipcast::sim {

class EngineHost : public ns3::Application {
 public:
  using FactSink = std::function<void(const std::string& host, const core::Action& fact)>;

  static ns3::TypeId GetTypeId();
  EngineHost() = default;
  ~EngineHost() override;

  // Before the application starts. `options` are used for every boot with
  // membership.boot_id replaced by the boot count; the Rng of boot b is
  // core::Rng(rng_seed).Fork(b). `on_boot` runs after InterfacesChanged of
  // every boot (the World tells the current resources there).
  void Configure(std::string name, speaker::NodeSpeakerOptions options, uint64_t rng_seed,
                 ns3::Ptr<ns3::NetDevice> device, ns3::Ipv4Address address, FactSink sink,
                 std::function<void(EngineHost&)> on_boot);

  // The node's IPv6 address on the device (dual-stack topologies), told to
  // the engine with InterfacesChanged beside the IPv4 one. Before Boot.
  void SetAddress6(ns3::Ipv6Address address6) { address6_ = address6; }

  // A fresh engine (empty state, next boot id). No-op while one runs.
  void Boot();
  // The engine is gone at once: no shutdown, no goodbye, timer cancelled.
  void Kill();
  // Hands an input to the running engine (dropped when none runs).
  void Inject(const core::Input& input);

  bool running() const { return engine_ != nullptr; }
  const speaker::NodeSpeaker* engine() const { return engine_.get(); }
  const std::string& name() const { return name_; }
  uint64_t boots() const { return boots_; }

 protected:
  void DoDispose() override;

 private:
  void StartApplication() override;
  void StopApplication() override;

  // Drains the outbox and pending inputs, then re-arms the timer.
  void Pump();
  void Perform(const core::Action& action);
  void Rearm();
  void OnTimer();
  void OnFrame(ns3::Ptr<ns3::NetDevice> device, ns3::Ptr<const ns3::Packet> packet,
               uint16_t protocol, const ns3::Address& from, const ns3::Address& to,
               ns3::NetDevice::PacketType type);
  void SendFrame(const core::SendFrame& send);
  // An input from an ns-3 callback: now, or after the actions being
  // performed when it arrives during Pump.
  void Deliver(const core::Input& input);

  std::string name_;
  speaker::NodeSpeakerOptions options_;
  uint64_t rng_seed_ = 0;
  ns3::Ptr<ns3::NetDevice> device_;
  ns3::Ipv4Address address_;
  ns3::Ipv6Address address6_;  // "::": none
  FactSink sink_;
  std::function<void(EngineHost&)> on_boot_;
  bool handler_registered_ = false;

  uint64_t boots_ = 0;
  std::unique_ptr<core::Rng> rng_;
  std::unique_ptr<speaker::NodeSpeaker> engine_;
  core::Outbox outbox_;
  std::deque<core::Input> pending_;  // inputs that arrived while pumping
  bool pumping_ = false;
  ns3::EventId timer_;
  UdpPorts udp_;
  TcpStreams tcp_;
};

}  // namespace vipcast::sim
