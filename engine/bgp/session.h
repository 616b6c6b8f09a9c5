// One BGP peering (RFC 4271 8): the finite state machine over up to two TCP
// connections (ours and the peer's, until collision resolution, RFC 4271
// 6.8), OPEN checks and capability negotiation, hold and keepalive timers,
// connect-retry backoff, Adj-RIB-In with RFC 7606 error handling and RFC 4724
// helper mode (and the restarting side's R bit, 4.1), and an Adj-RIB-Out sent
// by pull: bytes are written only after StreamWritable reports room, control
// messages first (NOTIFICATION > OPEN > KEEPALIVE > ROUTE-REFRESH), then
// UPDATEs built from pending changes.
//
// Invariants: at most one connection is Established; nothing is written on
// a connection beyond the capacity last reported for it; every error that
// RFC 4271 6 answers with a NOTIFICATION sends it before the close.
#pragma once

#include <functional>
#include <memory>
#include <optional>
#include <set>
#include <string>
#include <vector>

#include "engine/bgp/adj_rib_in.h"
#include "engine/bgp/adj_rib_out.h"
#include "engine/bgp/backoff.h"
#include "engine/bgp/fsm_state.h"
#include "engine/bgp/metrics.h"
#include "engine/bgp/negotiate.h"
#include "engine/bgp/tx_queue.h"
#include "engine/config/model.h"
#include "engine/core/io.h"
#include "engine/wire/bgp/framer.h"
#include "engine/wire/bgp/message.h"

namespace vipcast::bgp {

struct SessionConfig {
  std::string name;  // the `peer` label of facts and metrics
  LocalCapabilities local;
  std::optional<core::Asn> peer_as;
  std::optional<config::DynamicAsn> dynamic_as;
  core::Endpoint remote;
  std::optional<core::IpAddr> source_address;
  std::optional<core::Duration> keepalive_time;
  // RFC 4271 10: ConnectRetryTime, how long a connect may stay pending.
  core::Duration connect_retry_time = core::Duration::Seconds(30);
  core::Duration backoff_initial = core::Duration::Seconds(1);
  core::Duration backoff_max = core::Duration::Seconds(120);
  // RFC 4271 8.1.1 PassiveTcpEstablishment: never connect, only accept.
  bool passive = false;
  std::string password;  // RFC 2385 TCP-MD5
  // The TTL of our connects (255 for single-hop eBGP, RFC 5082; see
  // SessionConfigFor). No GTSM receive check (min TTL) is made.
  uint8_t ttl = 64;
  // Bound on the graceful stop: after this the connection is closed even if
  // the withdrawals and the NOTIFICATION could not be written.
  core::Duration stop_timeout = core::Duration::Seconds(5);
};

class Session {
 public:
  using StreamAllocator = std::function<core::StreamId()>;
  Session(SessionConfig config, StreamAllocator allocate);

  // RFC 4271 8.1.2 ManualStart: connect now (or wait for the peer).
  void Start(core::TimePoint now, core::Outbox& out);
  // Graceful stop: withdraw every route, then Cease (6/2 Administrative
  // Shutdown by default, with an RFC 9003 shutdown communication; RFC 4486
  // 6/3 or 6/6 when the peer was deconfigured or reconfigured), then close.
  // The session stays Idle afterwards.
  void Stop(core::TimePoint now, std::string message, core::Outbox& out, uint8_t cease_subcode = 2);
  bool stopped() const { return admin_down_ && conns_.empty(); }
  // Ends every connection at once with a NOTIFICATION Cease of
  // `cease_subcode` (e.g. RFC 9384 BFD Down, 10), queued ahead of everything
  // and written if there is room, and closes without waiting for room. Unlike
  // Stop the session stays enabled: it reconnects after the IdleHoldTimer
  // backoff (RFC 4271 8.1.1).
  void Reset(core::TimePoint now, uint8_t cease_subcode, const std::string& reason,
             core::Outbox& out);
  // The local end of the Established connection (next hop, BFD source).
  std::optional<core::Endpoint> established_local() const;

  bool Owns(core::StreamId stream) const;
  // An accepted connection is taken unless the session is Idle (RFC 4271
  // 8.2.2: stopped, or waiting out the IdleHoldTimer after an error), in
  // which case it is closed at once.
  void OnAccepted(core::TimePoint now, const core::StreamAccepted& accepted, core::Outbox& out);
  void OnConnected(core::TimePoint now, const core::StreamConnected& connected, core::Outbox& out);
  void OnData(core::TimePoint now, const core::StreamData& data, core::Outbox& out);
  void OnWritable(core::TimePoint now, const core::StreamWritable& writable, core::Outbox& out);
  void OnClosed(core::TimePoint now, const core::StreamClosed& closed, core::Outbox& out);

  // The routes policy wants this peer to have; sent when there is room.
  void SetDesired(core::TimePoint now, RibOut desired, core::Outbox& out);
  // Addresses of this node, for next hops of the family the connection is
  // not (e.g. IPv6 routes over an IPv4 session, RFC 4760 3).
  void SetLocalAddresses(std::optional<core::Ipv4Addr> v4, std::optional<core::Ipv6Addr> v6);
  // Asks the peer to re-send its routes (RFC 2918 3).
  void RequestRefresh(core::TimePoint now, wire::bgp::AfiSafi family, core::Outbox& out);

  void Advance(core::TimePoint now, core::Outbox& out);
  core::TimePoint NextDeadline() const;

  FsmState state() const { return state_; }
  const SessionConfig& config() const { return config_; }
  AdjRibIn& rib_in() { return rib_in_; }
  const AdjRibIn& rib_in() const { return rib_in_; }
  const AdjRibOut& rib_out() const { return rib_out_; }
  const MetricSet& metrics() const { return metrics_; }
  // Facts about the established peer (meaningful in Established).
  core::Asn peer_asn() const { return peer_asn_; }
  core::RouterId peer_router_id() const { return peer_id_; }
  bool internal() const { return peer_asn_ == config_.local.asn; }
  std::optional<Negotiated> negotiated() const;
  size_t connection_count() const { return conns_.size(); }

 private:
  struct Connection {
    core::StreamId stream;
    bool outgoing = false;
    FsmState state = FsmState::kConnect;
    core::Endpoint local;
    wire::bgp::MessageFramer framer;
    TxQueue tx;
    size_t capacity = 0;
    bool closing = false;  // a NOTIFICATION is queued; close once written
    bool dead = false;     // dropped; erased by Sweep() at the end of the call
    std::optional<wire::bgp::OpenMessage> peer_open;
    Negotiated negotiated;
    core::TimePoint connect_deadline = core::TimePoint::Never();
    core::TimePoint hold_deadline = core::TimePoint::Never();
    core::TimePoint keepalive_deadline = core::TimePoint::Never();
    core::Duration keepalive_interval = core::Duration::Zero();
  };
  using ConnPtr = std::unique_ptr<Connection>;

  Connection* Find(core::StreamId stream);
  void Connect(core::TimePoint now, core::Outbox& out);
  void Opened(core::TimePoint now, Connection& c, core::Outbox& out);
  void Receive(core::TimePoint now, Connection& c, const core::Bytes& message, core::Outbox& out);
  void ReceiveOpen(core::TimePoint now, Connection& c, const wire::bgp::OpenMessage& open,
                   core::Outbox& out);
  void ReceiveUpdate(core::TimePoint now, Connection& c, const wire::bgp::UpdateMessage& update);
  void ReceiveRefresh(Connection& c, const wire::bgp::RouteRefreshMessage& refresh);
  void ReceiveNotification(core::TimePoint now, Connection& c,
                           const wire::bgp::NotificationMessage& n, core::Outbox& out);
  void BecomeEstablished(core::TimePoint now, Connection& c, core::Outbox& out);
  bool ResolveCollision(core::TimePoint now, Connection& c, core::Outbox& out);
  // Queues the NOTIFICATION and closes once it is written (RFC 4271 6).
  void SendNotification(core::TimePoint now, Connection& c, wire::bgp::NotificationMessage n,
                        core::Outbox& out);
  // Drops the connection; `notified`: the session ended with a NOTIFICATION
  // (no graceful restart, RFC 4724 4.2).
  void Drop(core::TimePoint now, Connection& c, bool notified, const std::string& reason,
            core::Outbox& out, bool tell_runtime = true);
  void Queue(Connection& c, TxPriority priority, const wire::bgp::Message& m);
  void Pump(core::TimePoint now, Connection& c, core::Outbox& out);
  bool Write(core::TimePoint now, Connection& c, const wire::bgp::Message& m, core::Outbox& out);
  UpdateContext Context(const Connection& c) const;
  void UpdateState(const std::string& reason, core::Outbox& out);
  void UpdateGauges(core::Outbox& out);
  core::Labels PeerLabels() const { return {{"peer", config_.name}}; }
  Connection* Established();
  wire::bgp::NotificationMessage StopNotification() const;
  // Erases dropped connections; ends a call that may have dropped one.
  void Sweep(core::TimePoint now, core::Outbox& out);

  SessionConfig config_;
  StreamAllocator allocate_;
  // RFC 4724 4.1: our OPENs carry the Restart State bit until the session
  // first reaches Established (config_.local.restarting with graceful
  // restart on).
  bool restarting_ = false;
  std::vector<ConnPtr> conns_;
  FsmState state_ = FsmState::kIdle;
  bool started_ = false;
  bool admin_down_ = false;
  bool stopping_ = false;
  // With no connection: waiting in Active (accepting the peer's connection)
  // rather than Idle (refusing it) until the backoff runs out; see OnAccepted.
  bool active_wait_ = false;
  std::string stop_message_;
  uint8_t stop_subcode_ = 2;
  core::TimePoint stop_deadline_ = core::TimePoint::Never();
  Backoff backoff_;
  core::TimePoint idle_until_ = core::TimePoint::Never();  // IdleHoldTimer
  std::optional<core::Ipv4Addr> local_v4_;
  std::optional<core::Ipv6Addr> local_v6_;

  AdjRibIn rib_in_;
  AdjRibOut rib_out_;
  std::set<uint16_t> disabled_afis_;  // RFC 7606 afi-safi-disable
  std::set<uint16_t> eor_pending_;    // RFC 4724 2: End-of-RIB still to send
  std::set<uint16_t> borr_pending_;   // RFC 7313 4: BoRR to send, then the table
  std::set<uint16_t> eorr_pending_;   // then EoRR
  // RFC 4724 4.2 helper: the restarting peer's stale routes live until this.
  core::TimePoint stale_deadline_ = core::TimePoint::Never();
  std::set<uint16_t> stale_afis_;  // families still waiting for End-of-RIB

  std::string last_drop_reason_;
  core::Asn peer_asn_;
  core::RouterId peer_id_;
  MetricSet metrics_;
};

}  // namespace vipcast::bgp
