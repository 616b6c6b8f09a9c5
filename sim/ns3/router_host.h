// RouterHost: the ns-3 Application that runs the engine's BGP router role
// (bgp::Router) unchanged on a router node: eBGP sessions to the given
// peers (passive unless RouterPeer::connect), advertising what each peer's
// `advertise` says, streams on ns-3 TCP (tcp_streams.h), one timer re-armed from
// NextDeadline() as in EngineHost. It keeps the router's FIB (prefix -> ECMP
// next hops) for the World's expectations. It makes no protocol decision.
//
// The World installs the FIB into the node's forwarding (EcmpFibRouting)
// from the route sink. Peers with BFD parameters also get an RFC 5881
// single-hop BFD session (engine/bfd, UDP 3784 through UdpPorts); BFD
// leaving Up resets that peer's BGP session at once (RFC 5882 3.2, Cease
// "BFD Down" of RFC 9384), as FRR's bgpd does with bfdd.
//
// Invariant: as EngineHost's; Kill() leaves no event and no socket behind.
#pragma once

#include <cstdint>
#include <deque>
#include <functional>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "engine/bfd/bfd_engine.h"
#include "engine/bgp/router.h"
#include "engine/core/io.h"
#include "engine/core/rng.h"
#include "ns3/application.h"
#include "ns3/event-id.h"
#include "ns3/ipv4-address.h"
#include "ns3/net-device.h"
#include "sim/ns3/tcp_streams.h"
#include "sim/ns3/udp_ports.h"

namespace vipcast::sim {

struct RouterPeer {
  std::string name;  // the session's name: the peer's host name ("node-0")
  core::IpAddr address;
  core::Asn asn;
  std::optional<core::Duration> hold_time;    // unset: RouterHostOptions::hold_time
  std::optional<bfd::SessionParameters> bfd;  // from the BGPPeer's bfdProfile
  // Open the session ourselves (a leaf towards its spines) instead of
  // waiting for the peer (as for MetalLB speakers, which connect).
  bool connect = false;
  bgp::Export advertise;          // what we send the peer (bgp::Router::SetExports)
  bool graceful_restart = false;  // RFC 4724 capability (helper mode)
  bool operator==(const RouterPeer&) const = default;
};

struct RouterHostOptions {
  core::Asn asn;
  core::Duration hold_time = core::Duration::Seconds(90);
  std::vector<RouterPeer> peers;
  uint64_t seed = 1;  // BFD discriminators, ports and jitter
};

class RouterHost : public ns3::Application {
 public:
  static ns3::TypeId GetTypeId();
  RouterHost() = default;
  ~RouterHost() override;

  // Before the application starts.
  void Configure(std::string name, RouterHostOptions options, ns3::Ptr<ns3::NetDevice> device,
                 ns3::Ipv4Address address);

  // Facts of the router's sessions (SessionStateChanged) and every change
  // of a prefix's next hops, as they happen.
  using FactSink = std::function<void(const core::Action&)>;
  using RouteSink = std::function<void(const bgp::RouteChange&)>;
  void SetObservers(FactSink facts, RouteSink routes);

  // Replaces the peers (effective at once on a running router: sessions of
  // removed peers are stopped, new ones wait passively).
  void SetPeers(std::vector<RouterPeer> peers);
  const std::vector<RouterPeer>& peers() const { return options_.peers; }

  // A fresh router (no sessions, empty FIB). No-op while one runs, and
  // before the application started (it boots when it starts).
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

  std::vector<bgp::SessionConfig> SessionConfigs() const;
  std::map<std::string, bgp::Export> Exports() const;
  void SyncBfd();
  void ProcessBfd();
  void Handle(const core::Input& input);
  void Deliver(const core::Input& input);
  void Pump();
  void Rearm();
  void OnTimer();

  std::string name_;
  RouterHostOptions options_;
  ns3::Ptr<ns3::NetDevice> device_;
  ns3::Ipv4Address address_;

  std::unique_ptr<bgp::Router> router_;
  bool started_ = false;  // StartApplication ran: sockets are attached
  uint64_t boots_ = 0;
  std::unique_ptr<core::Rng> rng_;
  std::unique_ptr<bfd::BfdEngine> bfd_;
  std::map<bfd::SessionKey, std::string> bfd_peers_;  // session -> BGP peer name
  core::Outbox outbox_;
  std::deque<core::Input> pending_;
  bool pumping_ = false;
  ns3::EventId timer_;
  TcpStreams tcp_;
  UdpPorts udp_;
  std::vector<std::pair<core::TimePoint, bgp::RouteChange>> route_log_;
  FactSink facts_;
  RouteSink routes_;
};

}  // namespace vipcast::sim
