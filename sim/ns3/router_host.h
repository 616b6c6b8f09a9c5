// RouterHost: the ns-3 Application that runs the engine's BGP router role
// (bgp::Router) unchanged on a router node: passive eBGP sessions to the
// given peers, streams on ns-3 TCP (tcp_streams.h), one timer re-armed from
// NextDeadline() as in EngineHost. It keeps the router's FIB (prefix -> ECMP
// next hops) for the World's expectations. It makes no protocol decision.
//
// Not done yet: installing the FIB into the node's IPv4 routing (forwarding
// to the next hops) and BFD.
//
// Invariant: as EngineHost's; Kill() leaves no event and no socket behind.
#pragma once

#include <cstdint>
#include <deque>
#include <map>
#include <memory>
#include <string>
#include <vector>

#include "engine/bgp/router.h"
#include "engine/core/io.h"
#include "ns3/application.h"
#include "ns3/event-id.h"
#include "ns3/ipv4-address.h"
#include "ns3/net-device.h"
#include "sim/ns3/tcp_streams.h"

namespace vipcast::sim {

struct RouterPeer {
  std::string name;  // the session's name: the peer's host name ("node-0")
  core::IpAddr address;
  core::Asn asn;
};

struct RouterHostOptions {
  core::Asn asn;
  core::Duration hold_time = core::Duration::Seconds(90);
  std::vector<RouterPeer> peers;
};

class RouterHost : public ns3::Application {
 public:
  static ns3::TypeId GetTypeId();
  RouterHost() = default;
  ~RouterHost() override;

  // Before the application starts.
  void Configure(std::string name, RouterHostOptions options, ns3::Ptr<ns3::NetDevice> device,
                 ns3::Ipv4Address address);

  // A fresh router (no sessions, empty FIB). No-op while one runs.
  void Boot();
  // The router is gone at once, every stream dropped silently.
  void Kill();

  bool running() const { return router_ != nullptr; }
  const std::string& name() const { return name_; }
  // Sessions in Established now.
  size_t EstablishedSessions() const;
  // The names of the peers whose addresses are `prefix`'s next hops, sorted.
  std::vector<std::string> Routes(const core::Prefix& prefix) const;
  // Every change of a prefix's next-hop set so far, with its time.
  const std::vector<std::pair<core::TimePoint, bgp::RouteChange>>& route_log() const {
    return route_log_;
  }

 protected:
  void DoDispose() override;

 private:
  void StartApplication() override;
  void StopApplication() override;

  void Deliver(const core::Input& input);
  void Pump();
  void Rearm();
  void OnTimer();

  std::string name_;
  RouterHostOptions options_;
  ns3::Ptr<ns3::NetDevice> device_;
  ns3::Ipv4Address address_;

  std::unique_ptr<bgp::Router> router_;
  core::Outbox outbox_;
  std::deque<core::Input> pending_;
  bool pumping_ = false;
  ns3::EventId timer_;
  TcpStreams tcp_;
  std::vector<std::pair<core::TimePoint, bgp::RouteChange>> route_log_;
};

}  // namespace vipcast::sim
