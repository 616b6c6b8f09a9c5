// Drives one Session by hand, playing the runtime and the peer.
#include "engine/bgp/session.h"

#include <gtest/gtest.h>

#include <algorithm>

#include "engine/wire/bgp/error_codes.h"

namespace vipcast::bgp {
namespace {

namespace wb = wire::bgp;
using core::Duration;

core::IpAddr A(const char* t) { return core::IpAddr::Parse(t).value(); }
core::Prefix P(const char* t) { return core::Prefix::Parse(t).value(); }

wb::SessionOptions Wide() { return {true, true, false}; }

core::Bytes Enc(const wb::Message& m) { return wb::EncodeMessage(m, Wide()).value(); }

wb::OpenMessage PeerOpen(uint16_t hold = 9, bool gr = false, uint32_t asn = 64501,
                         uint32_t id = 2) {
  LocalCapabilities l;
  l.asn = core::Asn(asn);
  l.router_id = core::RouterId(id);
  l.hold_time = Duration::Seconds(hold);
  l.graceful_restart = gr;
  return BuildOpen(l);
}

struct Rig {
  SessionConfig cfg;
  std::unique_ptr<Session> s;
  core::Outbox out;
  core::TimePoint now;
  uint64_t next = 1;
  core::StreamId stream{1};
  core::Endpoint local{A("10.0.0.1"), 40000};

  explicit Rig(uint32_t local_id = 1, bool gr = false) {
    cfg.name = "peer";
    cfg.local.asn = core::Asn(64500);
    cfg.local.router_id = core::RouterId(local_id);
    cfg.local.hold_time = Duration::Seconds(90);
    cfg.local.graceful_restart = gr;
    cfg.peer_as = core::Asn(64501);
    cfg.remote = {A("10.0.0.2"), 179};
    s = std::make_unique<Session>(cfg, [this] { return core::StreamId{next++}; });
  }
  // Every message written since the last call, and whether a close was seen.
  std::vector<wb::Message> Writes(bool* closed = nullptr, size_t* bytes = nullptr) {
    std::vector<wb::Message> msgs;
    for (auto& a : out.Drain()) {
      if (auto* w = std::get_if<core::WriteStream>(&a)) {
        if (bytes) *bytes += w->data.size();
        msgs.push_back(wb::DecodeMessage(w->data, Wide()).value());
      }
      if (std::holds_alternative<core::CloseStream>(a) && closed) *closed = true;
    }
    return msgs;
  }
  void Feed(const wb::Message& m) { s->OnData(now, {stream, Enc(m)}, out); }
  void Writable(size_t cap) { s->OnWritable(now, {stream, cap}, out); }
  void Advance(Duration d) {
    core::TimePoint until = now + d;
    while (s->NextDeadline() <= until) {
      now = s->NextDeadline();
      s->Advance(now, out);
    }
    now = until;
  }
  void Establish(uint16_t hold = 9, bool gr = false) {
    s->Start(now, out);
    s->OnConnected(now, {stream, local, cfg.remote}, out);
    Writable(65536);
    Feed(PeerOpen(hold, gr));
    Feed(wb::KeepaliveMessage{});
    ASSERT_EQ(s->state(), FsmState::kEstablished);
  }
};

template <typename T>
int Count(const std::vector<wb::Message>& v) {
  int n = 0;
  for (const auto& m : v) n += std::holds_alternative<T>(m) ? 1 : 0;
  return n;
}

TEST(Session, ActiveOpenReachesEstablished) {
  Rig r;
  r.s->Start(r.now, r.out);
  EXPECT_EQ(r.s->state(), FsmState::kConnect);
  bool connect = false;
  for (auto& a : r.out.Drain()) connect |= std::holds_alternative<core::Connect>(a);
  EXPECT_TRUE(connect);
  r.s->OnConnected(r.now, {r.stream, r.local, r.cfg.remote}, r.out);
  EXPECT_EQ(r.s->state(), FsmState::kOpenSent);
  EXPECT_TRUE(r.Writes().empty());  // pull model: no capacity reported yet
  r.Writable(4096);
  auto w = r.Writes();
  ASSERT_EQ(w.size(), 1u);
  EXPECT_TRUE(std::holds_alternative<wb::OpenMessage>(w[0]));
  r.Feed(PeerOpen());
  EXPECT_EQ(r.s->state(), FsmState::kOpenConfirm);
  EXPECT_EQ(Count<wb::KeepaliveMessage>(r.Writes()), 1);
  r.Feed(wb::KeepaliveMessage{});
  EXPECT_EQ(r.s->state(), FsmState::kEstablished);
  // RFC 4724 2: End-of-RIB for both families even with an empty table.
  EXPECT_EQ(Count<wb::UpdateMessage>(r.Writes()), 2);
  EXPECT_EQ(r.s->metrics().value(kMetricSessionUp, {{"peer", "peer"}}), 1);
}

TEST(Session, OpenErrorsSendNotificationAndClose) {
  Rig r;
  r.s->Start(r.now, r.out);
  r.s->OnConnected(r.now, {r.stream, r.local, r.cfg.remote}, r.out);
  r.Writable(4096);
  r.Writes();
  r.Feed(PeerOpen(9, false, 64999));
  bool closed = false;
  auto w = r.Writes(&closed);
  ASSERT_EQ(w.size(), 1u);
  auto n = std::get<wb::NotificationMessage>(w[0]);
  EXPECT_EQ(n.code, 2);
  EXPECT_EQ(n.subcode, 2);
  EXPECT_TRUE(closed);
  EXPECT_EQ(r.s->state(), FsmState::kIdle);
}

TEST(Session, UnexpectedMessageIsFsmError) {
  Rig r;
  r.s->Start(r.now, r.out);
  r.s->OnConnected(r.now, {r.stream, r.local, r.cfg.remote}, r.out);
  r.Writable(4096);
  r.Writes();
  r.Feed(wb::KeepaliveMessage{});  // KEEPALIVE in OpenSent
  auto w = r.Writes();
  ASSERT_EQ(w.size(), 1u);
  EXPECT_EQ(std::get<wb::NotificationMessage>(w[0]).code, 5);
}

TEST(Session, HoldTimerExpirySends4_0) {
  Rig r;
  r.Establish(9);
  r.Writes();
  r.Advance(Duration::Seconds(8));
  EXPECT_EQ(r.s->state(), FsmState::kEstablished);
  r.Feed(wb::KeepaliveMessage{});  // restarts the hold timer
  r.Advance(Duration::Seconds(8));
  EXPECT_EQ(r.s->state(), FsmState::kEstablished);
  r.Advance(Duration::Seconds(2));
  bool closed = false;
  auto w = r.Writes(&closed);
  bool saw = false;
  for (auto& m : w) {
    if (auto* n = std::get_if<wb::NotificationMessage>(&m)) saw = n->code == 4 && n->subcode == 0;
  }
  EXPECT_TRUE(saw);
  EXPECT_TRUE(closed);
  // Idle, and already reconnecting after the 1 s idle hold (backoff).
  EXPECT_EQ(r.s->state(), FsmState::kConnect);
}

TEST(Session, KeepaliveAtHoldOverThree) {
  Rig r;
  r.Establish(9);
  r.Writes();
  int keepalives = 0;
  for (int i = 0; i < 15; ++i) {
    r.Advance(Duration::Seconds(2));
    r.Feed(wb::KeepaliveMessage{});
    r.Writable(65536);
    keepalives += Count<wb::KeepaliveMessage>(r.Writes());
  }
  EXPECT_EQ(keepalives, 10);  // 30 s / 3 s
}

TEST(Session, HoldTimeZeroMeansNoKeepalives) {
  Rig r;
  r.Establish(0);
  r.Writes();
  EXPECT_EQ(r.s->NextDeadline(), core::TimePoint::Never());
}

TEST(Session, NotificationOvertakesPendingUpdatesAndCapacityIsRespected) {
  Rig r;
  r.Establish(9);
  r.Writes();
  r.Writable(0);
  RibOut routes;
  for (uint32_t i = 0; i < 500; ++i)
    routes[core::Prefix::Make(core::Ipv4Addr(0x0a640000 + i), 32).value()] = {};
  r.s->SetDesired(r.now, routes, r.out);
  EXPECT_TRUE(r.Writes().empty());
  EXPECT_EQ(r.s->metrics().value(kMetricPending, {{"peer", "peer"}}), 500);
  r.Writable(100);
  size_t bytes = 0;
  r.Writes(nullptr, &bytes);
  EXPECT_LE(bytes, 100u);
  r.Writable(0);
  r.Advance(Duration::Seconds(10));  // hold timer expires; NOTIFICATION queued
  r.Writable(4096);
  bool closed = false;
  auto w = r.Writes(&closed);
  ASSERT_FALSE(w.empty());
  EXPECT_TRUE(std::holds_alternative<wb::NotificationMessage>(w[0]));
  EXPECT_EQ(w.size(), 1u);
  EXPECT_TRUE(closed);
}

TEST(Session, ConnectRetryBackoffDoubles) {
  Rig r;
  r.s->Start(r.now, r.out);
  std::vector<int64_t> attempts;
  for (int i = 0; i < 5; ++i) {
    core::StreamId id{r.next - 1};
    r.out.Drain();
    r.s->OnClosed(r.now, {id, core::StreamCloseReason::kConnectFailed, "refused"}, r.out);
    // RFC 4271 8.2.2 Connect + TcpConnectionFails: Active until the retry.
    EXPECT_EQ(r.s->state(), FsmState::kActive);
    core::TimePoint before = r.now;
    r.now = r.s->NextDeadline();
    r.s->Advance(r.now, r.out);
    EXPECT_EQ(r.s->state(), FsmState::kConnect);
    attempts.push_back((r.now - before).seconds());
  }
  EXPECT_EQ(attempts, (std::vector<int64_t>{1, 2, 4, 8, 16}));
}

// Whether `stream` was closed among `actions`, and whether anything was
// written to it.
struct StreamFate {
  bool closed = false;
  bool written = false;
};
StreamFate FateOf(core::StreamId stream, const std::vector<core::Action>& actions) {
  StreamFate f;
  for (const auto& a : actions) {
    if (const auto* c = std::get_if<core::CloseStream>(&a)) f.closed |= c->stream == stream;
    if (const auto* w = std::get_if<core::WriteStream>(&a)) f.written |= w->stream == stream;
  }
  return f;
}

// RFC 4271 8.2.2: in Idle (here: waiting out the IdleHoldTimer after the
// peer ended an Established session with a NOTIFICATION, then stopped)
// incoming connections are refused; once connecting again they are taken.
TEST(Session, IdleRefusesIncomingConnections) {
  Rig r;
  r.Establish(9);
  r.Feed(wb::NotificationMessage{6, 4, {}});  // Cease / Administrative Reset
  r.out.Drain();
  ASSERT_EQ(r.s->state(), FsmState::kIdle);
  const core::Endpoint peer{A("10.0.0.2"), 50000};
  const core::StreamId in1{core::StreamId::kAcceptedBit | 1};
  r.s->OnAccepted(r.now, {in1, r.local, peer}, r.out);
  r.s->OnWritable(r.now, {in1, 65536}, r.out);
  StreamFate f = FateOf(in1, r.out.Drain());
  EXPECT_TRUE(f.closed);
  EXPECT_FALSE(f.written);  // no OPEN
  EXPECT_FALSE(r.s->Owns(in1));
  EXPECT_EQ(r.s->state(), FsmState::kIdle);
  EXPECT_EQ(r.s->connection_count(), 0u);

  // The IdleHoldTimer (1 s) runs out: Connect; an incoming connection is now
  // taken (RFC 4271 8.2.2 Connect state, TcpConnectionConfirmed).
  r.Advance(Duration::Seconds(1));
  ASSERT_EQ(r.s->state(), FsmState::kConnect);
  r.out.Drain();
  const core::StreamId in2{core::StreamId::kAcceptedBit | 2};
  r.s->OnAccepted(r.now, {in2, r.local, peer}, r.out);
  r.s->OnWritable(r.now, {in2, 65536}, r.out);
  f = FateOf(in2, r.out.Drain());
  EXPECT_FALSE(f.closed);
  EXPECT_TRUE(f.written);
  EXPECT_EQ(r.s->state(), FsmState::kOpenSent);

  // Stopped: Idle for good, refused.
  r.s->Stop(r.now, "", r.out);
  r.out.Drain();
  ASSERT_EQ(r.s->state(), FsmState::kIdle);
  const core::StreamId in3{core::StreamId::kAcceptedBit | 3};
  r.s->OnAccepted(r.now, {in3, r.local, peer}, r.out);
  EXPECT_TRUE(FateOf(in3, r.out.Drain()).closed);
}

// RFC 4271 8.2.2: a TCP failure in Connect or OpenSent leads to Active, where
// the peer's connection is taken while our own retry waits.
TEST(Session, ActiveAfterAFailedConnectAcceptsThePeer) {
  Rig r;
  r.s->Start(r.now, r.out);
  r.s->OnClosed(r.now, {r.stream, core::StreamCloseReason::kConnectFailed, "refused"}, r.out);
  r.out.Drain();
  ASSERT_EQ(r.s->state(), FsmState::kActive);
  const core::StreamId in{core::StreamId::kAcceptedBit | 1};
  r.s->OnAccepted(r.now, {in, r.local, {A("10.0.0.2"), 50000}}, r.out);
  r.s->OnWritable(r.now, {in, 65536}, r.out);
  StreamFate f = FateOf(in, r.out.Drain());
  EXPECT_FALSE(f.closed);
  EXPECT_TRUE(f.written);
  EXPECT_EQ(r.s->state(), FsmState::kOpenSent);
}

// A passive session has no IdleHold to wait out: after a drop it is Active
// and takes the peer's next connection (as GoBGP and MetalLB do).
TEST(Session, PassiveSessionAcceptsAfterADrop) {
  Rig r;
  r.cfg.passive = true;
  r.s = std::make_unique<Session>(r.cfg, [&r] { return core::StreamId{r.next++}; });
  r.s->Start(r.now, r.out);
  const core::Endpoint peer{A("10.0.0.2"), 50000};
  const core::StreamId in1{core::StreamId::kAcceptedBit | 1};
  r.s->OnAccepted(r.now, {in1, r.local, peer}, r.out);
  r.s->OnClosed(r.now, {in1, core::StreamCloseReason::kReset, ""}, r.out);
  r.out.Drain();
  EXPECT_EQ(r.s->state(), FsmState::kActive);
  const core::StreamId in2{core::StreamId::kAcceptedBit | 2};
  r.s->OnAccepted(r.now, {in2, r.local, peer}, r.out);
  EXPECT_FALSE(FateOf(in2, r.out.Drain()).closed);
  EXPECT_EQ(r.s->state(), FsmState::kOpenSent);
}

TEST(Session, CollisionKeepsTheHigherIdentifiersConnection) {
  Rig r(/*local_id=*/1);  // peer id 2 is higher: keep the connection it initiated
  r.s->Start(r.now, r.out);
  r.s->OnConnected(r.now, {r.stream, r.local, r.cfg.remote}, r.out);
  core::StreamId in{core::StreamId::kAcceptedBit | 1};
  r.s->OnAccepted(r.now, {in, {A("10.0.0.1"), 179}, {A("10.0.0.2"), 50000}}, r.out);
  r.Writable(4096);
  r.s->OnWritable(r.now, {in, 4096}, r.out);
  r.Writes();
  r.Feed(PeerOpen());
  r.s->OnData(r.now, {in, Enc(PeerOpen())}, r.out);
  bool outgoing_closed = false;
  for (auto& a : r.out.Drain()) {
    if (auto* c = std::get_if<core::CloseStream>(&a)) {
      EXPECT_EQ(c->stream, r.stream);
      outgoing_closed = true;
    }
  }
  EXPECT_TRUE(outgoing_closed);
  EXPECT_EQ(r.s->connection_count(), 1u);
  r.s->OnData(r.now, {in, Enc(wb::KeepaliveMessage{})}, r.out);
  EXPECT_EQ(r.s->state(), FsmState::kEstablished);
}

// The peer restarted after our OPEN reached its old process: our outgoing
// connection sits in OpenSent with nobody on the other end. The new
// process's connection must establish, although our higher identifier
// would keep the connection we initiated had both reached OpenConfirm.
TEST(Session, OpenSentConnectionNeverWinsAgainstOneThatHeardFromThePeer) {
  Rig r(/*local_id=*/9);  // higher than the peer's 2
  r.s->Start(r.now, r.out);
  r.s->OnConnected(r.now, {r.stream, r.local, r.cfg.remote}, r.out);
  r.Writable(4096);
  r.out.Drain();
  ASSERT_EQ(r.s->state(), FsmState::kOpenSent);
  const core::StreamId in{core::StreamId::kAcceptedBit | 1};
  r.s->OnAccepted(r.now, {in, {A("10.0.0.1"), 179}, {A("10.0.0.2"), 50000}}, r.out);
  r.s->OnWritable(r.now, {in, 4096}, r.out);
  r.s->OnData(r.now, {in, Enc(PeerOpen())}, r.out);
  for (auto& a : r.out.Drain()) {
    if (auto* c = std::get_if<core::CloseStream>(&a)) ADD_FAILURE() << "closed " << c->stream.value;
  }
  r.s->OnData(r.now, {in, Enc(wb::KeepaliveMessage{})}, r.out);
  EXPECT_EQ(r.s->state(), FsmState::kEstablished);
}

wb::UpdateMessage Announce(const char* prefix) {
  wb::UpdateMessage u;
  u.attributes.push_back(wb::PathAttribute::Make(wb::OriginAttribute{}));
  wb::AsPath p;
  p.segments.push_back({wb::AsSegmentType::kSequence, {core::Asn(64501)}});
  u.attributes.push_back(wb::PathAttribute::Make(wb::AsPathAttribute{p}));
  u.attributes.push_back(wb::PathAttribute::Make(wb::NextHopAttribute{A("10.0.0.2").v4()}));
  u.nlri = {P(prefix)};
  return u;
}

TEST(Session, GracefulRestartHelperKeepsStaleRoutesUntilEndOfRib) {
  Rig r(1, /*gr=*/true);
  r.Establish(9, /*gr=*/true);
  r.Feed(Announce("192.0.2.0/24"));
  ASSERT_EQ(r.s->rib_in().routes().size(), 1u);
  r.s->OnClosed(r.now, {r.stream, core::StreamCloseReason::kReset, ""}, r.out);
  EXPECT_EQ(r.s->rib_in().routes().size(), 1u);
  EXPECT_EQ(r.s->rib_in().stale_count(), 1u);
  // The peer comes back and sends its table and End-of-RIB.
  r.Advance(Duration::Seconds(1));
  r.stream = core::StreamId{r.next - 1};
  r.s->OnConnected(r.now, {r.stream, r.local, r.cfg.remote}, r.out);
  r.Writable(65536);
  r.Feed(PeerOpen(9, true));
  r.Feed(wb::KeepaliveMessage{});
  EXPECT_EQ(r.s->rib_in().stale_count(), 1u);
  r.Feed(Announce("198.51.100.0/24"));
  r.Feed(EndOfRib(core::IpFamily::kV4));
  EXPECT_EQ(r.s->rib_in().stale_count(), 0u);
  EXPECT_EQ(r.s->rib_in().routes().size(), 1u);
  EXPECT_TRUE(r.s->rib_in().routes().contains(P("198.51.100.0/24")));
}

TEST(Session, GracefulRestartHelperPurgesAfterRestartTime) {
  Rig r(1, true);
  r.Establish(9, true);
  r.Feed(Announce("192.0.2.0/24"));
  r.s->OnClosed(r.now, {r.stream, core::StreamCloseReason::kReset, ""}, r.out);
  r.s->Stop(r.now, "", r.out);  // no reconnects; the restart timer still runs
  r.Advance(Duration::Seconds(121));
  EXPECT_TRUE(r.s->rib_in().routes().empty());
}

TEST(Session, RestartingSpeakerSetsRBit) {
  Rig r(1, true);
  r.cfg.local.restarting = true;
  wb::OpenMessage open = BuildOpen(r.cfg.local);
  const auto* gr = open.Find<wb::GracefulRestartCapability>();
  ASSERT_NE(gr, nullptr);
  EXPECT_TRUE(gr->restart_state());
  ASSERT_EQ(gr->families.size(), 2u);
  EXPECT_TRUE(gr->families[0].forwarding_state_preserved());
}

// The Restart State bit of the OPENs a session writes, nullopt without a
// Graceful Restart capability.
std::vector<std::optional<bool>> OpenRBits(const std::vector<wb::Message>& written) {
  std::vector<std::optional<bool>> bits;
  for (const auto& m : written) {
    if (const auto* open = std::get_if<wb::OpenMessage>(&m)) {
      const auto* gr = open->Find<wb::GracefulRestartCapability>();
      bits.push_back(gr ? std::optional<bool>(gr->restart_state()) : std::nullopt);
    }
  }
  return bits;
}

// RFC 4724 4.1: the R bit is on every OPEN until the session is back up
// (a failed attempt does not end the restart), and off on later reconnects.
TEST(Session, RBitOnlyUntilTheFirstEstablished) {
  Rig r(1, true);
  r.cfg.local.restarting = true;
  r.s = std::make_unique<Session>(r.cfg, [&r] { return core::StreamId{r.next++}; });
  r.s->Start(r.now, r.out);
  r.s->OnConnected(r.now, {r.stream, r.local, r.cfg.remote}, r.out);
  r.Writable(65536);
  EXPECT_EQ(OpenRBits(r.Writes()), (std::vector<std::optional<bool>>{true}));
  r.s->OnClosed(r.now, {r.stream, core::StreamCloseReason::kReset, ""}, r.out);
  r.Advance(Duration::Seconds(1));  // backoff, then the next attempt
  r.stream = core::StreamId{r.next - 1};
  r.s->OnConnected(r.now, {r.stream, r.local, r.cfg.remote}, r.out);
  r.Writable(65536);
  EXPECT_EQ(OpenRBits(r.Writes()), (std::vector<std::optional<bool>>{true}));
  r.Feed(PeerOpen(9, true));
  r.Feed(wb::KeepaliveMessage{});
  ASSERT_EQ(r.s->state(), FsmState::kEstablished);
  r.Writes();
  // The session drops and comes back without a restart of ours: no R bit.
  r.s->OnClosed(r.now, {r.stream, core::StreamCloseReason::kReset, ""}, r.out);
  r.Advance(Duration::Seconds(1));
  r.stream = core::StreamId{r.next - 1};
  r.s->OnConnected(r.now, {r.stream, r.local, r.cfg.remote}, r.out);
  r.Writable(65536);
  EXPECT_EQ(OpenRBits(r.Writes()), (std::vector<std::optional<bool>>{false}));
}

TEST(Session, EnhancedRouteRefreshIsAnsweredWithBorrTableEorr) {
  Rig r;
  r.Establish(9);
  RibOut routes;
  routes[P("192.0.2.1/32")] = {};
  r.s->SetDesired(r.now, routes, r.out);
  r.Writes();
  r.Feed(wb::RouteRefreshMessage{wb::kAfiIpv4, 0, 1, {}});
  auto w = r.Writes();
  ASSERT_EQ(w.size(), 3u);
  EXPECT_EQ(std::get<wb::RouteRefreshMessage>(w[0]).subtype, wb::RouteRefreshMessage::kBorr);
  EXPECT_EQ(std::get<wb::UpdateMessage>(w[1]).nlri, (std::vector<core::Prefix>{P("192.0.2.1/32")}));
  EXPECT_EQ(std::get<wb::RouteRefreshMessage>(w[2]).subtype, wb::RouteRefreshMessage::kEorr);
}

TEST(Session, GracefulStopWithdrawsThenCeases) {
  Rig r;
  r.Establish(9);
  RibOut routes;
  routes[P("192.0.2.1/32")] = {};
  r.s->SetDesired(r.now, routes, r.out);
  r.Writes();
  r.s->Stop(r.now, "maintenance", r.out);
  bool closed = false;
  auto w = r.Writes(&closed);
  ASSERT_EQ(w.size(), 2u);
  EXPECT_EQ(std::get<wb::UpdateMessage>(w[0]).withdrawn,
            (std::vector<core::Prefix>{P("192.0.2.1/32")}));
  auto n = std::get<wb::NotificationMessage>(w[1]);
  EXPECT_EQ(n.code, 6);
  EXPECT_EQ(n.subcode, 2);
  EXPECT_EQ(n.Shutdown().message, "maintenance");
  EXPECT_TRUE(closed);
  EXPECT_TRUE(r.s->stopped());
}

}  // namespace
}  // namespace vipcast::bgp

namespace vipcast::bgp {
namespace {

// RFC 7606 7.3: a malformed ORIGIN makes the UPDATE treat-as-withdraw: the
// session stays up and the prefixes leave the Adj-RIB-In.
TEST(Session, MalformedOriginIsTreatAsWithdraw) {
  Rig r;
  r.Establish(9);
  r.Feed(Announce("192.0.2.0/24"));
  ASSERT_EQ(r.s->rib_in().routes().size(), 1u);
  core::Bytes bytes = Enc(Announce("192.0.2.0/24"));
  const core::Bytes origin = {0x40, 0x01, 0x01, 0x00};
  auto it = std::search(bytes.begin(), bytes.end(), origin.begin(), origin.end());
  ASSERT_NE(it, bytes.end());
  it[3] = 5;  // not IGP, EGP or INCOMPLETE
  r.s->OnData(r.now, {r.stream, bytes}, r.out);
  EXPECT_EQ(r.s->state(), FsmState::kEstablished);
  EXPECT_TRUE(r.s->rib_in().routes().empty());
}

// RFC 4271 6.1: a broken marker is a header error: NOTIFICATION 1/1, close.
TEST(Session, HeaderErrorResetsSession) {
  Rig r;
  r.Establish(9);
  r.Writes();
  core::Bytes bytes = Enc(wb::KeepaliveMessage{});
  bytes[0] = 0;
  r.s->OnData(r.now, {r.stream, bytes}, r.out);
  bool closed = false;
  auto w = r.Writes(&closed);
  ASSERT_EQ(w.size(), 1u);
  EXPECT_EQ(std::get<wb::NotificationMessage>(w[0]).code, 1);
  EXPECT_TRUE(closed);
}

TEST(Session, Ipv6RoutesUseLocalIpv6NextHop) {
  Rig r;
  r.s->SetLocalAddresses(std::nullopt, core::Ipv6Addr::Parse("2001:db8::1").value());
  r.Establish(9);
  r.Writes();
  RibOut routes;
  routes[P("2001:db8:9::/64")] = {};
  r.s->SetDesired(r.now, routes, r.out);
  auto w = r.Writes();
  ASSERT_EQ(w.size(), 1u);
  const auto* mp = std::get<wb::UpdateMessage>(w[0]).Find<wb::MpReachAttribute>();
  ASSERT_NE(mp, nullptr);
  EXPECT_EQ(*mp->GlobalNextHop(), A("2001:db8::1"));
  EXPECT_EQ(r.s->metrics().value(kMetricAnnounced, {{"peer", "peer"}}), 1);
}

}  // namespace
}  // namespace vipcast::bgp
