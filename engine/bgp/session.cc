#include "engine/bgp/session.h"

#include <algorithm>

#include "engine/bgp/open_check.h"
#include "engine/wire/bgp/error_codes.h"
#include "engine/wire/bgp/overloaded.h"

namespace vipcast::bgp {

namespace wb = wire::bgp;
using core::Duration;
using core::TimePoint;

namespace {

// RFC 4271 8.2.2 (OpenSent): "sets the HoldTimer to a large value"; 4 minutes
// is suggested.
constexpr Duration kOpenHoldTime = Duration::Minutes(4);
// Writing an UPDATE needs at least this much room to be worth building.
constexpr size_t kMinUpdateRoom = 64;

std::string TypeName(wb::MessageType t) {
  switch (t) {
    case wb::MessageType::kOpen:
      return "open";
    case wb::MessageType::kUpdate:
      return "update";
    case wb::MessageType::kNotification:
      return "notification";
    case wb::MessageType::kKeepalive:
      return "keepalive";
    case wb::MessageType::kRouteRefresh:
      return "route_refresh";
  }
  return "unknown";
}

wb::NotificationMessage Notification(wb::ErrorCode code, uint8_t subcode, core::Bytes data = {}) {
  return {static_cast<uint8_t>(code), subcode, std::move(data)};
}

std::optional<core::IpFamily> FamilyOfAfi(uint16_t afi) {
  if (afi == wb::kAfiIpv4) return core::IpFamily::kV4;
  if (afi == wb::kAfiIpv6) return core::IpFamily::kV6;
  return std::nullopt;
}

}  // namespace

Session::Session(SessionConfig config, StreamAllocator allocate)
    : config_(std::move(config)),
      allocate_(std::move(allocate)),
      restarting_(config_.local.graceful_restart && config_.local.restarting),
      backoff_(config_.backoff_initial, config_.backoff_max) {}

// ------------------------------------------------------------------ lifecycle

void Session::Start(TimePoint now, core::Outbox& out) {
  if (started_) return;
  started_ = true;
  admin_down_ = false;
  UpdateGauges(out);
  if (config_.passive) {
    UpdateState("start (passive)", out);
  } else {
    Connect(now, out);
  }
}

void Session::Stop(TimePoint now, std::string message, core::Outbox& out, uint8_t cease_subcode) {
  admin_down_ = true;
  stop_subcode_ = cease_subcode;
  stopping_ = true;
  stop_message_ = std::move(message);
  stop_deadline_ = now + config_.stop_timeout;
  idle_until_ = TimePoint::Never();
  rib_out_.SetDesired({});
  for (auto& c : conns_) {
    if (c->dead) continue;
    if (c->state == FsmState::kEstablished) {
      Pump(now, *c, out);  // withdrawals first, then the NOTIFICATION
    } else if (c->state == FsmState::kConnect) {
      Drop(now, *c, true, "stopped", out);
    } else {
      SendNotification(now, *c, StopNotification(), out);
    }
  }
  Sweep(now, out);
}

void Session::Reset(TimePoint now, uint8_t cease_subcode, const std::string& reason,
                    core::Outbox& out) {
  for (auto& c : conns_) {
    if (c->dead) continue;
    if (c->state != FsmState::kConnect) {
      SendNotification(now, *c, Notification(wb::ErrorCode::kCease, cease_subcode), out);
    }
    // Not waiting for room: the reason for the reset is that the path is
    // presumed broken (RFC 5882 3.2), so the routes go now.
    Drop(now, *c, true, reason, out);
  }
  last_drop_reason_ = reason;
  Sweep(now, out);
}

std::optional<core::Endpoint> Session::established_local() const {
  for (const auto& c : conns_) {
    if (!c->dead && c->state == FsmState::kEstablished) return c->local;
  }
  return std::nullopt;
}

void Session::Connect(TimePoint now, core::Outbox& out) {
  auto c = std::make_unique<Connection>();
  c->stream = allocate_();
  c->outgoing = true;
  c->state = FsmState::kConnect;
  c->connect_deadline = now + config_.connect_retry_time;
  core::Connect connect;
  connect.stream = c->stream;
  if (config_.source_address) connect.local = core::Endpoint{*config_.source_address, 0};
  connect.remote = config_.remote;
  if (!config_.password.empty()) connect.md5_key = config_.password;
  connect.ttl = config_.ttl;
  out.Emit(std::move(connect));
  conns_.push_back(std::move(c));
  UpdateState("connecting", out);
}

bool Session::Owns(core::StreamId stream) const {
  return std::any_of(conns_.begin(), conns_.end(),
                     [&](const ConnPtr& c) { return c->stream == stream && !c->dead; });
}

Session::Connection* Session::Find(core::StreamId stream) {
  for (auto& c : conns_) {
    if (c->stream == stream && !c->dead) return c.get();
  }
  return nullptr;
}

Session::Connection* Session::Established() {
  for (auto& c : conns_) {
    if (!c->dead && c->state == FsmState::kEstablished) return c.get();
  }
  return nullptr;
}

std::optional<Negotiated> Session::negotiated() const {
  for (const auto& c : conns_) {
    if (!c->dead && c->state == FsmState::kEstablished) return c->negotiated;
  }
  return std::nullopt;
}

// ------------------------------------------------------------------ stream events

void Session::OnAccepted(TimePoint now, const core::StreamAccepted& accepted, core::Outbox& out) {
  // RFC 4271 8.2.2 Idle: "refuses all incoming BGP connections for this
  // peer". A session with no connection is Idle when stopped (or never
  // started), or after a BGP error or the loss of an OpenConfirm or
  // Established connection: it waits out its IdleHoldTimer (8.1.1) and then
  // connects by itself. It is Active, and accepts, when passive or after a
  // TCP failure in Connect or OpenSent.
  const bool live =
      std::any_of(conns_.begin(), conns_.end(), [](const ConnPtr& c) { return !c->dead; });
  if (admin_down_ || !started_ || (!live && !config_.passive && !active_wait_)) {
    out.Emit(core::CloseStream{accepted.stream, false});
    return;
  }
  auto c = std::make_unique<Connection>();
  c->stream = accepted.stream;
  c->outgoing = false;
  c->local = accepted.local;
  Connection& ref = *c;
  conns_.push_back(std::move(c));
  Opened(now, ref, out);
  Sweep(now, out);
}

void Session::OnConnected(TimePoint now, const core::StreamConnected& connected,
                          core::Outbox& out) {
  Connection* c = Find(connected.stream);
  if (c == nullptr) return;
  c->local = connected.local;
  c->connect_deadline = TimePoint::Never();
  Opened(now, *c, out);
  Sweep(now, out);
}

// RFC 4271 8.2.2 Connect/Active + TcpConnectionConfirmed: send OPEN, go to
// OpenSent with a large hold timer.
void Session::Opened(TimePoint now, Connection& c, core::Outbox& out) {
  c.state = FsmState::kOpenSent;
  c.hold_deadline = now + kOpenHoldTime;
  LocalCapabilities local = config_.local;
  local.restarting = restarting_;
  Queue(c, TxPriority::kOpen, BuildOpen(local));
  UpdateState("tcp connection up, OPEN queued", out);
  Pump(now, c, out);
}

void Session::OnWritable(TimePoint now, const core::StreamWritable& writable, core::Outbox& out) {
  Connection* c = Find(writable.stream);
  if (c == nullptr) return;
  c->capacity = writable.capacity;
  Pump(now, *c, out);
  Sweep(now, out);
}

void Session::OnClosed(TimePoint now, const core::StreamClosed& closed, core::Outbox& out) {
  Connection* c = Find(closed.stream);
  if (c == nullptr) return;
  std::string reason = closed.reason == core::StreamCloseReason::kConnectFailed ||
                               closed.reason == core::StreamCloseReason::kTimedOut
                           ? "connect failed: " + closed.detail
                           : "connection closed: " + closed.detail;
  Drop(now, *c, false, reason, out, /*tell_runtime=*/false);
  Sweep(now, out);
}

void Session::OnData(TimePoint now, const core::StreamData& data, core::Outbox& out) {
  Connection* c = Find(data.stream);
  if (c == nullptr) return;
  size_t offset = 0;
  while (!c->dead && !c->closing) {
    offset += c->framer.Feed(core::ByteSpan(data.data).subspan(offset));
    auto next = c->framer.Next();
    if (!next.ok()) {
      // RFC 4271 6.1: header errors end the session.
      const auto& e = next.error();
      SendNotification(now, *c, {e.code, e.subcode, e.data}, out);
      break;
    }
    if (!next.value()) {
      if (offset >= data.data.size()) break;
      continue;  // the framer was full; it has room again after draining
    }
    Receive(now, *c, *next.value(), out);
  }
  if (!c->dead) Pump(now, *c, out);
  Sweep(now, out);
}

// ------------------------------------------------------------------ receiving

void Session::Receive(TimePoint now, Connection& c, const core::Bytes& bytes, core::Outbox& out) {
  auto decoded = wb::DecodeMessage(bytes, c.negotiated.options);
  wb::MessageType type =
      bytes.size() > 18 ? static_cast<wb::MessageType>(bytes[18]) : wb::MessageType::kUpdate;
  metrics_.Add(kMetricReceived, {{"peer", config_.name}, {"type", TypeName(type)}}, 1, out);
  if (!decoded.ok()) {
    const wb::DecodeError& e = decoded.error();
    if (type == wb::MessageType::kUpdate && c.state == FsmState::kEstablished &&
        e.handling != wb::ErrorHandling::kSessionReset) {
      // RFC 7606 2: handlings short of a reset keep the session.
      c.hold_deadline = c.negotiated.hold_time == Duration::Zero() ? TimePoint::Never()
                                                                   : now + c.negotiated.hold_time;
      switch (e.handling) {
        case wb::ErrorHandling::kTreatAsWithdraw:
          for (const auto& p : e.withdraw) rib_in_.Withdraw(p);
          break;
        case wb::ErrorHandling::kAttributeDiscard:
          if (e.update) ReceiveUpdate(now, c, *e.update);
          break;
        case wb::ErrorHandling::kAfiSafiDisable:
          if (e.afi_safi) {
            // RFC 4760 7: drop the family's routes and ignore it from now on.
            disabled_afis_.insert(e.afi_safi->afi);
            rib_in_.Clear(*e.afi_safi);
          }
          break;
        case wb::ErrorHandling::kSessionReset:
          break;
      }
      out.Emit(core::Log{core::LogLevel::kWarning,
                         "bgp: UPDATE error handled as " + std::string(wb::ToString(e.handling)),
                         {{"peer", config_.name}, {"reason", e.reason}}});
      return;
    }
    // RFC 4271 6.4: a NOTIFICATION is never answered with one.
    if (type == wb::MessageType::kNotification) {
      Drop(now, c, true, "malformed NOTIFICATION", out);
      return;
    }
    SendNotification(now, c, {e.code, e.subcode, e.data}, out);
    return;
  }
  std::visit(
      wb::Overloaded{
          [&](const wb::OpenMessage& open) {
            if (c.state == FsmState::kOpenSent) {
              ReceiveOpen(now, c, open, out);
            } else {
              // RFC 6608 3: unexpected message in OpenConfirm (2) /
              // Established (3).
              SendNotification(
                  now, c,
                  Notification(wb::ErrorCode::kFsm, c.state == FsmState::kOpenConfirm ? 2 : 3),
                  out);
            }
          },
          [&](const wb::KeepaliveMessage&) {
            if (c.state == FsmState::kOpenSent) {
              SendNotification(now, c, Notification(wb::ErrorCode::kFsm, 1), out);
              return;
            }
            if (c.negotiated.hold_time > Duration::Zero()) {
              c.hold_deadline = now + c.negotiated.hold_time;
            }
            if (c.state == FsmState::kOpenConfirm) BecomeEstablished(now, c, out);
          },
          [&](const wb::UpdateMessage& update) {
            if (c.state != FsmState::kEstablished) {
              SendNotification(
                  now, c, Notification(wb::ErrorCode::kFsm, c.state == FsmState::kOpenSent ? 1 : 2),
                  out);
              return;
            }
            if (c.negotiated.hold_time > Duration::Zero()) {
              c.hold_deadline = now + c.negotiated.hold_time;
            }
            ReceiveUpdate(now, c, update);
          },
          [&](const wb::RouteRefreshMessage& refresh) {
            if (c.state != FsmState::kEstablished) {
              SendNotification(
                  now, c, Notification(wb::ErrorCode::kFsm, c.state == FsmState::kOpenSent ? 1 : 2),
                  out);
              return;
            }
            ReceiveRefresh(c, refresh);
          },
          [&](const wb::NotificationMessage& n) { ReceiveNotification(now, c, n, out); },
      },
      decoded.value());
}

void Session::ReceiveOpen(TimePoint now, Connection& c, const wb::OpenMessage& open,
                          core::Outbox& out) {
  OpenExpectations expect{config_.local.asn, config_.peer_as, config_.dynamic_as,
                          config_.local.router_id};
  if (auto error = CheckOpen(open, expect)) {
    SendNotification(now, c, *error, out);
    return;
  }
  c.peer_open = open;
  c.negotiated = Negotiate(config_.local, open);
  c.framer.SetOptions(c.negotiated.options);
  // RFC 4271 8.2.2 OpenSent + BGPOpen: KEEPALIVE, hold timer to the
  // negotiated value, OpenConfirm.
  Duration hold = c.negotiated.hold_time;
  if (hold == Duration::Zero()) {
    c.hold_deadline = TimePoint::Never();
    c.keepalive_interval = Duration::Zero();
    c.keepalive_deadline = TimePoint::Never();
  } else {
    c.hold_deadline = now + hold;
    c.keepalive_interval = hold / 3;
    if (config_.keepalive_time && *config_.keepalive_time > Duration::Zero() &&
        *config_.keepalive_time < c.keepalive_interval) {
      c.keepalive_interval = *config_.keepalive_time;
    }
    c.keepalive_deadline = now + c.keepalive_interval;
  }
  c.state = FsmState::kOpenConfirm;
  if (!ResolveCollision(now, c, out)) return;
  Queue(c, TxPriority::kKeepalive, wb::KeepaliveMessage{});
  UpdateState("OPEN received", out);
}

// RFC 4271 6.8: when two connections reach OpenConfirm (or one is already
// Established), keep the one initiated by the speaker with the higher BGP
// identifier. Returns false when `c` itself was closed.
bool Session::ResolveCollision(TimePoint now, Connection& c, core::Outbox& out) {
  for (auto& other : conns_) {
    if (other.get() == &c || other->dead) continue;
    if (other->state == FsmState::kEstablished) {
      if (other->negotiated.peer_graceful_restart) {
        // RFC 4724 4.2: a new connection from a peer that advertised
        // Graceful Restart means it restarted: treat the old one as reset.
        Drop(now, *other, false, "peer restarted (graceful restart)", out);
        continue;
      }
      SendNotification(
          now, c, Notification(wb::ErrorCode::kCease, wb::cease::kConnectionCollisionResolution),
          out);
      return false;
    }
    if (other->state != FsmState::kOpenConfirm && other->state != FsmState::kOpenSent) continue;
    if (other->state == FsmState::kOpenSent && other->outgoing == c.outgoing) continue;
    bool local_wins = config_.local.router_id > c.peer_open->bgp_identifier;
    // The survivor is the connection the winner initiated; of two in the
    // same direction, the newer one.
    Connection* loser = &c;
    if (other->outgoing == c.outgoing || c.outgoing == local_wins) loser = other.get();
    // RFC 4271 6.8 requires examining OpenConfirm connections only; one in
    // OpenSent has not shown that the peer is on it (after a peer restart it
    // is the dead process's connection, waiting out the 4-minute OpenSent
    // hold). Closing it in favour of `c` is safe; closing `c` for it could
    // leave the session on a dead connection. So `c` proceeds, and the
    // collision is resolved if `other` ever reaches OpenConfirm.
    if (loser == &c && other->state == FsmState::kOpenSent) continue;
    SendNotification(now, *loser,
                     Notification(wb::ErrorCode::kCease, wb::cease::kConnectionCollisionResolution),
                     out);
    if (loser == &c) return false;
  }
  // An outgoing connect still pending is redundant once one connection has
  // the peer's OPEN.
  for (auto& other : conns_) {
    if (other.get() != &c && !other->dead && other->state == FsmState::kConnect) {
      Drop(now, *other, false, "collision: connect no longer needed", out);
    }
  }
  return true;
}

void Session::BecomeEstablished(TimePoint /*now*/, Connection& c, core::Outbox& out) {
  c.state = FsmState::kEstablished;
  // RFC 4724 4.1: the restart is over once a session is back; a later
  // reconnect is an ordinary one and its OPEN has no Restart State bit.
  restarting_ = false;
  peer_asn_ = c.peer_open->PeerAsn();
  peer_id_ = c.peer_open->bgp_identifier;
  backoff_.Reset();
  rib_out_.Reset();
  eor_pending_.clear();
  borr_pending_.clear();
  eorr_pending_.clear();
  disabled_afis_.clear();
  if (c.negotiated.ipv4) eor_pending_.insert(wb::kAfiIpv4);
  if (c.negotiated.ipv6) eor_pending_.insert(wb::kAfiIpv6);
  // RFC 4724 4.2: stale routes of families whose forwarding state the peer
  // did not preserve go now; the others wait for End-of-RIB.
  if (!stale_afis_.empty()) {
    std::set<uint16_t> keep;
    if (const auto& gr = c.negotiated.peer_graceful_restart) {
      for (const auto& f : gr->families) {
        if (f.forwarding_state_preserved() && stale_afis_.contains(f.afi)) keep.insert(f.afi);
      }
    }
    for (uint16_t afi : stale_afis_) {
      if (!keep.contains(afi)) rib_in_.PurgeStale(wb::AfiSafi{afi, wb::kSafiUnicast});
    }
    stale_afis_ = keep;
    if (stale_afis_.empty()) stale_deadline_ = TimePoint::Never();
  }
  UpdateState("KEEPALIVE received", out);
  UpdateGauges(out);
}

void Session::ReceiveUpdate(TimePoint now, Connection& c, const wb::UpdateMessage& update) {
  (void)now;
  if (auto eor = update.EndOfRib()) {
    // RFC 4724 4.2: End-of-RIB ends the family's stale period.
    rib_in_.PurgeStale(*eor);
    stale_afis_.erase(eor->afi);
    if (stale_afis_.empty()) stale_deadline_ = TimePoint::Never();
    return;
  }
  for (const auto& p : update.withdrawn) rib_in_.Withdraw(p);
  std::vector<wb::PathAttribute> attrs;
  for (const auto& a : update.attributes) {
    if (const auto* un = std::get_if<wb::MpUnreachAttribute>(&a.value)) {
      if (disabled_afis_.contains(un->afi)) continue;
      for (const auto& p : un->withdrawn) rib_in_.Withdraw(p);
      continue;
    }
    if (std::holds_alternative<wb::MpReachAttribute>(a.value)) continue;
    attrs.push_back(a);
  }
  // RFC 6793 4.2.3: a 2-octet peer's path is rebuilt from AS4_PATH.
  if (!c.negotiated.options.four_octet_as) {
    wb::As4Reconstruction r = wb::ReconstructAs4(update);
    for (auto& a : attrs) {
      if (auto* path = std::get_if<wb::AsPathAttribute>(&a.value)) path->path = r.as_path;
    }
  }
  if (!update.nlri.empty() && !disabled_afis_.contains(wb::kAfiIpv4)) {
    if (const auto* nh = update.Find<wb::NextHopAttribute>()) {
      for (const auto& p : update.nlri) {
        rib_in_.Announce(p, ReceivedRoute{attrs, core::IpAddr(nh->address), false});
      }
    }
  }
  if (const auto* mp = update.Find<wb::MpReachAttribute>()) {
    auto nh = mp->GlobalNextHop();
    if (nh && !disabled_afis_.contains(mp->afi)) {
      for (const auto& p : mp->nlri) rib_in_.Announce(p, ReceivedRoute{attrs, *nh, false});
    }
  }
}

void Session::ReceiveRefresh(Connection& c, const wb::RouteRefreshMessage& refresh) {
  wb::AfiSafi family{refresh.afi, refresh.safi};
  bool known = (refresh.afi == wb::kAfiIpv4 && c.negotiated.ipv4) ||
               (refresh.afi == wb::kAfiIpv6 && c.negotiated.ipv6);
  if (!known || refresh.safi != wb::kSafiUnicast) return;  // RFC 2918 4: ignore
  switch (refresh.subtype) {
    case wb::RouteRefreshMessage::kNormal:
      if (c.negotiated.enhanced_route_refresh) {
        borr_pending_.insert(refresh.afi);  // RFC 7313 4: BoRR, table, EoRR
      } else {
        rib_out_.Refresh(family);  // RFC 2918 4: re-send Adj-RIB-Out
      }
      break;
    case wb::RouteRefreshMessage::kBorr:
      rib_in_.MarkStale(family);  // RFC 7313 4.2
      break;
    case wb::RouteRefreshMessage::kEorr:
      rib_in_.PurgeStale(family);
      break;
    default:
      break;  // RFC 7313 4: unknown subtypes are ignored
  }
}

void Session::ReceiveNotification(TimePoint now, Connection& c, const wb::NotificationMessage& n,
                                  core::Outbox& out) {
  metrics_.Add(
      kMetricNotifications,
      {{"peer", config_.name}, {"direction", "received"}, {"code", std::to_string(n.code)}}, 1,
      out);
  std::string reason =
      "NOTIFICATION received " + std::to_string(n.code) + "/" + std::to_string(n.subcode);
  auto shutdown = n.Shutdown();
  if (shutdown.status == wb::ShutdownCommunication::Status::kValid) {
    reason += ": " + shutdown.message;
  }
  // RFC 4271 8.2.2: NotifMsg in any state: close, Idle.
  Drop(now, c, true, reason, out);
}

// ------------------------------------------------------------------ sending

void Session::Queue(Connection& c, TxPriority priority, const wb::Message& m) {
  auto bytes = wb::EncodeMessage(m, c.negotiated.options);
  if (bytes.ok()) c.tx.Push(priority, std::move(bytes).value());
}

void Session::SendNotification(TimePoint now, Connection& c, wb::NotificationMessage n,
                               core::Outbox& out) {
  if (c.closing || c.dead) return;
  metrics_.Add(kMetricNotifications,
               {{"peer", config_.name}, {"direction", "sent"}, {"code", std::to_string(n.code)}}, 1,
               out);
  Queue(c, TxPriority::kNotification, n);
  c.closing = true;
  // Bound the wait for room to write it.
  c.hold_deadline = now + config_.stop_timeout;
  c.keepalive_deadline = TimePoint::Never();
  Pump(now, c, out);
}

bool Session::Write(TimePoint now, Connection& c, const wb::Message& m, core::Outbox& out) {
  auto bytes = wb::EncodeMessage(m, c.negotiated.options);
  if (!bytes.ok() || bytes.value().size() > c.capacity) return false;
  c.capacity -= bytes.value().size();
  metrics_.Add(kMetricSent, {{"peer", config_.name}, {"type", TypeName(wb::TypeOf(m))}}, 1, out);
  if (wb::TypeOf(m) == wb::MessageType::kUpdate)
    metrics_.Add(kMetricUpdatesTotal, PeerLabels(), 1, out);
  out.Emit(core::WriteStream{c.stream, std::move(bytes).value()});
  // RFC 4271 4.4: any message restarts the keepalive interval.
  if (c.keepalive_interval > Duration::Zero()) c.keepalive_deadline = now + c.keepalive_interval;
  return true;
}

UpdateContext Session::Context(const Connection& c) const {
  UpdateContext ctx;
  ctx.local_as = config_.local.asn;
  ctx.internal = internal();
  ctx.options = c.negotiated.options;
  ctx.ipv4 = c.negotiated.ipv4 && !disabled_afis_.contains(wb::kAfiIpv4);
  ctx.ipv6 = c.negotiated.ipv6 && !disabled_afis_.contains(wb::kAfiIpv6);
  if (c.local.address.is_v4()) {
    ctx.next_hop_v4 = c.local.address.v4();
    ctx.next_hop_v6 = local_v6_;
  } else {
    ctx.next_hop_v6 = c.local.address.v6();
    ctx.next_hop_v4 = local_v4_;
  }
  return ctx;
}

void Session::Pump(TimePoint now, Connection& c, core::Outbox& out) {
  while (!c.dead) {
    if (const core::Bytes* front = c.tx.Front()) {
      if (front->size() > c.capacity) break;
      TxPriority priority = *c.tx.FrontPriority();
      c.capacity -= front->size();
      auto type = static_cast<wb::MessageType>((*front)[18]);
      metrics_.Add(kMetricSent, {{"peer", config_.name}, {"type", TypeName(type)}}, 1, out);
      out.Emit(core::WriteStream{c.stream, *front});
      c.tx.Pop();
      if (priority == TxPriority::kNotification) {
        Drop(now, c, true, "NOTIFICATION sent", out);
        return;
      }
      if (c.keepalive_interval > Duration::Zero())
        c.keepalive_deadline = now + c.keepalive_interval;
      continue;
    }
    if (c.state != FsmState::kEstablished || c.closing) break;
    UpdateContext ctx = Context(c);
    // RFC 7313 4: BoRR, then the family's routes, then EoRR.
    if (!borr_pending_.empty()) {
      uint16_t afi = *borr_pending_.begin();
      if (!Write(now, c, wb::RouteRefreshMessage{afi, wb::RouteRefreshMessage::kBorr, 1, {}},
                 out)) {
        break;
      }
      borr_pending_.erase(afi);
      eorr_pending_.insert(afi);
      rib_out_.Refresh({afi, wb::kSafiUnicast});
      continue;
    }
    size_t limit = std::min(wb::MaxMessageSize(ctx.options), c.capacity);
    if (limit < kMinUpdateRoom) break;
    if (auto update = rib_out_.BuildUpdate(ctx, limit)) {
      if (!Write(now, c, *update, out)) {
        rib_out_.Reset();  // cannot happen (built to fit); re-send rather than lose it
        break;
      }
      continue;
    }
    bool wrote = false;
    for (uint16_t afi : std::set<uint16_t>(eorr_pending_)) {
      if (!Write(now, c, wb::RouteRefreshMessage{afi, wb::RouteRefreshMessage::kEorr, 1, {}},
                 out)) {
        break;
      }
      eorr_pending_.erase(afi);
      wrote = true;
    }
    // RFC 4724 2: End-of-RIB after the initial table of each family.
    for (uint16_t afi : std::set<uint16_t>(eor_pending_)) {
      if (!Write(now, c, EndOfRib(*FamilyOfAfi(afi)), out)) break;
      eor_pending_.erase(afi);
      wrote = true;
    }
    if (wrote) continue;
    if (stopping_ && eor_pending_.empty()) {
      // Every withdrawal is out: RFC 9003 Administrative Shutdown.
      SendNotification(now, c, StopNotification(), out);
      return;
    }
    break;
  }
  UpdateGauges(out);
}

// ------------------------------------------------------------------ teardown

wb::NotificationMessage Session::StopNotification() const {
  // RFC 9003 2: only Administrative Shutdown and Reset carry a message.
  if (stop_subcode_ == wb::cease::kAdministrativeShutdown ||
      stop_subcode_ == wb::cease::kAdministrativeReset) {
    return wb::NotificationMessage::MakeShutdown(stop_subcode_, stop_message_);
  }
  return Notification(wb::ErrorCode::kCease, stop_subcode_);
}

void Session::Drop(TimePoint now, Connection& c, bool notified, const std::string& reason,
                   core::Outbox& out, bool tell_runtime) {
  if (c.dead) return;
  c.dead = true;
  // RFC 4271 8.2.2: a TCP failure in Connect or OpenSent leads to Active,
  // anything else (an error, a NOTIFICATION, the loss of an OpenConfirm or
  // Established connection) to Idle. A connect that ran out of time counts
  // as a TCP failure here: the next attempt waits for the backoff in Active.
  // With several connections the last one dropped decides.
  active_wait_ = !notified && (c.state == FsmState::kConnect || c.state == FsmState::kOpenSent);
  if (tell_runtime) out.Emit(core::CloseStream{c.stream, false});
  if (c.state == FsmState::kEstablished) {
    // RFC 4724 4.2: a restarting peer's routes are kept stale when the
    // session ends without a NOTIFICATION.
    const auto& gr = c.negotiated.peer_graceful_restart;
    if (gr && !notified && !admin_down_) {
      rib_in_.MarkStale();
      stale_afis_.clear();
      if (c.negotiated.ipv4) stale_afis_.insert(wb::kAfiIpv4);
      if (c.negotiated.ipv6) stale_afis_.insert(wb::kAfiIpv6);
      stale_deadline_ = now + Duration::Seconds(gr->restart_time);
    } else {
      rib_in_.Clear();
    }
    rib_out_.Reset();
  }
  last_drop_reason_ = reason;
}

void Session::Sweep(TimePoint now, core::Outbox& out) {
  bool dropped =
      std::any_of(conns_.begin(), conns_.end(), [](const ConnPtr& c) { return c->dead; });
  if (!dropped) return;
  std::erase_if(conns_, [](const ConnPtr& c) { return c->dead; });
  if (conns_.empty() && !admin_down_ && started_) {
    // RFC 4271 8.1.1 IdleHoldTimer (DampPeerOscillations): wait, doubling.
    idle_until_ = now + backoff_.Next();
  }
  if (conns_.empty() && stopping_) {
    stopping_ = false;
    stop_deadline_ = TimePoint::Never();
  }
  UpdateState(last_drop_reason_, out);
  UpdateGauges(out);
}

// ------------------------------------------------------------------ timers

void Session::Advance(TimePoint now, core::Outbox& out) {
  for (auto& c : conns_) {
    if (c->dead) continue;
    if (c->connect_deadline <= now) {
      // RFC 4271 8.2.2 Connect + ConnectRetryTimer_Expires: give up this
      // attempt (the backoff schedules the next).
      Drop(now, *c, false, "connect retry timer expired", out);
      continue;
    }
    if (c->hold_deadline <= now) {
      if (c->closing) {
        Drop(now, *c, true, "NOTIFICATION could not be written", out);
        continue;
      }
      // RFC 4271 6.5: Hold Timer Expired.
      SendNotification(now, *c, Notification(wb::ErrorCode::kHoldTimerExpired, 0), out);
      c->hold_deadline = now + config_.stop_timeout;
      continue;
    }
    if (c->keepalive_deadline <= now) {
      c->keepalive_deadline = now + c->keepalive_interval;
      Queue(*c, TxPriority::kKeepalive, wb::KeepaliveMessage{});
      Pump(now, *c, out);
    }
  }
  if (stop_deadline_ <= now) {
    stop_deadline_ = TimePoint::Never();
    for (auto& c : conns_) Drop(now, *c, true, "stop timeout", out);
  }
  if (stale_deadline_ <= now) {
    // RFC 4724 4.2: the restart timer ran out; purge the stale routes.
    stale_deadline_ = TimePoint::Never();
    rib_in_.PurgeStale();
    stale_afis_.clear();
  }
  Sweep(now, out);
  if (idle_until_ <= now) {
    idle_until_ = TimePoint::Never();
    if (!admin_down_ && conns_.empty()) {
      if (config_.passive) {
        UpdateState("idle hold timer expired", out);
      } else {
        Connect(now, out);
      }
    }
  }
}

TimePoint Session::NextDeadline() const {
  TimePoint t = std::min({idle_until_, stop_deadline_, stale_deadline_});
  for (const auto& c : conns_) {
    if (c->dead) continue;
    t = std::min({t, c->connect_deadline, c->hold_deadline, c->keepalive_deadline});
  }
  return t;
}

// ------------------------------------------------------------------ routes

void Session::SetDesired(TimePoint now, RibOut desired, core::Outbox& out) {
  if (stopping_ || admin_down_) desired.clear();
  rib_out_.SetDesired(std::move(desired));
  if (Connection* c = Established()) Pump(now, *c, out);
  UpdateGauges(out);
  Sweep(now, out);
}

void Session::SetLocalAddresses(std::optional<core::Ipv4Addr> v4,
                                std::optional<core::Ipv6Addr> v6) {
  local_v4_ = v4;
  local_v6_ = v6;
}

void Session::RequestRefresh(TimePoint now, wb::AfiSafi family, core::Outbox& out) {
  Connection* c = Established();
  if (c == nullptr || !c->negotiated.route_refresh) return;
  Queue(*c, TxPriority::kRefresh, wb::RouteRefreshMessage{family.afi, 0, family.safi, {}});
  Pump(now, *c, out);
  Sweep(now, out);
}

// ------------------------------------------------------------------ facts

void Session::UpdateState(const std::string& reason, core::Outbox& out) {
  FsmState s = FsmState::kIdle;
  bool any = false;
  for (const auto& c : conns_) {
    if (c->dead) continue;
    s = any ? std::max(s, c->state) : c->state;
    any = true;
  }
  if (!any) {
    s = started_ && !admin_down_ && (config_.passive || active_wait_) ? FsmState::kActive
                                                                      : FsmState::kIdle;
  }
  if (s == state_) return;
  out.Emit(core::SessionStateChanged{"bgp", config_.name, std::string(ToString(state_)),
                                     std::string(ToString(s)), reason});
  state_ = s;
}

void Session::UpdateGauges(core::Outbox& out) {
  metrics_.Set(kMetricSessionUp, PeerLabels(), state_ == FsmState::kEstablished ? 1 : 0, out);
  metrics_.Set(kMetricAnnounced, PeerLabels(), static_cast<double>(rib_out_.sent().size()), out);
  metrics_.Set(kMetricPending, PeerLabels(), static_cast<double>(rib_out_.pending_count()), out);
}

}  // namespace vipcast::bgp
