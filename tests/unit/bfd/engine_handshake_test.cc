// Two BfdEngines wired through the in-test datagram loop: handshake,
// detection, Poll/Final on interval changes, passive role, AdminDown.
#include <gtest/gtest.h>

#include "engine/bfd/bfd_engine.h"
#include "engine/bfd/timers.h"
#include "engine/bfd/transport.h"
#include "tests/unit/bfd/datagram_loop.h"

namespace vipcast::bfd {
namespace {

using core::Duration;
using core::TimePoint;
using testing::Config;
using testing::DatagramLoop;
using testing::Ip;
using wire::bfd::Diag;
using wire::bfd::State;

class EngineLoopTest : public ::testing::Test {
 protected:
  void SetUp() override {
    a_ = loop_.AddNode(101, Ip("10.0.0.1"));
    b_ = loop_.AddNode(202, Ip("10.0.0.2"));
  }
  void Add(size_t node, const SessionConfig& config) {
    auto status = loop_.With(node, [&](BfdEngine& e, core::Outbox& out) {
      return e.AddSession(loop_.now(), config, out);
    });
    ASSERT_TRUE(status.ok()) << status.error();
  }
  void AddBoth(SessionParameters pa = {}, SessionParameters pb = {},
               HopMode hop = HopMode::kSingleHop) {
    Add(a_, Config("10.0.0.1", "10.0.0.2", hop, pa));
    Add(b_, Config("10.0.0.2", "10.0.0.1", hop, pb));
  }
  State StateOf(size_t node, HopMode hop = HopMode::kSingleHop) {
    return *loop_.node(node).engine.GetState(KeyOf(node, hop));
  }
  SessionKey KeyOf(size_t node, HopMode hop = HopMode::kSingleHop) {
    return node == a_ ? SessionKey{Ip("10.0.0.2"), Ip("10.0.0.1"), hop}
                      : SessionKey{Ip("10.0.0.1"), Ip("10.0.0.2"), hop};
  }
  std::optional<TimePoint> RunUntilBothUp(Duration within, HopMode hop = HopMode::kSingleHop) {
    return loop_.RunUntilTrue(
        [&] { return StateOf(a_, hop) == State::kUp && StateOf(b_, hop) == State::kUp; },
        loop_.now() + within);
  }
  void DropFrom(size_t node) {
    loop_.set_policy([node](size_t from, size_t, const core::SendDatagram&, TimePoint) {
      return from == node ? std::nullopt : std::optional(Duration::Milliseconds(1));
    });
  }

  DatagramLoop loop_;
  size_t a_ = 0, b_ = 0;
};

TEST_F(EngineLoopTest, ThreeWayHandshakeReachesUp) {
  AddBoth();
  auto up = RunUntilBothUp(Duration::Seconds(5));
  ASSERT_TRUE(up.has_value());
  // Slow start (1 s) bounds the handshake: Down, Init, Up each within ~1 s.
  EXPECT_LE(*up, TimePoint::Epoch() + Duration::Seconds(3));
  // Both went Down -> Init -> Up (each saw the other's Down first).
  for (size_t n : {a_, b_}) {
    const auto& changes = loop_.node(n).changes;
    ASSERT_GE(changes.size(), 1u);
    EXPECT_EQ(changes.back().to, State::kUp);
    bool saw_init = false;
    for (const auto& c : changes) saw_init |= c.to == State::kInit;
    EXPECT_TRUE(saw_init || changes.front().from == State::kDown);
  }
  // At least one side went through Init: a true three-way handshake.
  bool any_init = false;
  for (size_t n : {a_, b_}) {
    for (const auto& c : loop_.node(n).changes) any_init |= c.to == State::kInit;
  }
  EXPECT_TRUE(any_init);

  // After the Poll Sequences complete, both run at the configured 300 ms.
  loop_.RunFor(Duration::Seconds(2));
  for (size_t n : {a_, b_}) {
    auto info = loop_.node(n).engine.GetSession(KeyOf(n));
    ASSERT_TRUE(info.has_value());
    EXPECT_FALSE(info->poll_active);
    EXPECT_EQ(info->transmit_interval, Duration::Milliseconds(300));
    EXPECT_EQ(info->detection_time, Duration::Milliseconds(900));
    EXPECT_EQ(info->counters.session_up_events, 1u);
  }

  // On the wire: RFC 5881 4/5 encapsulation.
  for (const auto& [at, action] : loop_.node(a_).log) {
    if (const auto* send = std::get_if<core::SendDatagram>(&action)) {
      EXPECT_EQ(send->ttl, 255);
      EXPECT_EQ(send->remote.port, kSingleHopControlPort);
      EXPECT_GE(send->local.port, kMinSourcePort);
      EXPECT_EQ(send->local.address, Ip("10.0.0.1"));
      EXPECT_EQ(send->remote.address, Ip("10.0.0.2"));
    }
  }
}

TEST_F(EngineLoopTest, StaysUpWithSteadyTraffic) {
  AddBoth();
  ASSERT_TRUE(RunUntilBothUp(Duration::Seconds(5)));
  const size_t changes_a = loop_.node(a_).changes.size();
  loop_.RunFor(Duration::Minutes(2));
  EXPECT_EQ(StateOf(a_), State::kUp);
  EXPECT_EQ(StateOf(b_), State::kUp);
  EXPECT_EQ(loop_.node(a_).changes.size(), changes_a);
  // ~300 ms apart with jitter: 2 minutes is 400-534 packets.
  auto info = loop_.node(a_).engine.GetSession(KeyOf(a_));
  EXPECT_GT(info->counters.control_packet_output, 400u);
  EXPECT_GT(info->counters.control_packet_input, 400u);
}

TEST_F(EngineLoopTest, DetectionWhenOneSideStops) {
  AddBoth();
  ASSERT_TRUE(RunUntilBothUp(Duration::Seconds(5)));
  loop_.RunFor(Duration::Seconds(2));
  const TimePoint stop = loop_.now();
  DropFrom(a_);
  const Duration detect = Duration::Milliseconds(300) * 3;  // detect mult x interval
  // b's last packet from a arrived at most one (unjittered) interval before
  // the stop, plus 1 ms of delay.
  auto down = loop_.RunUntilTrue([&] { return StateOf(b_) != State::kUp; },
                                 stop + detect + Duration::Milliseconds(1));
  ASSERT_TRUE(down.has_value()) << "b still Up after the detection time";
  EXPECT_GE(*down, stop + detect - Duration::Milliseconds(300));
  EXPECT_EQ(StateOf(b_), State::kDown);
  const StateChange& change = loop_.node(b_).changes.back();
  EXPECT_EQ(change.diag, Diag::kControlDetectionTimeExpired);
  EXPECT_TRUE(change.WentDown());
  EXPECT_FALSE(change.PeerAdministrativelyDown());
  EXPECT_EQ(change.at, *down);
  // b tells a it is Down; a goes Down with "Neighbor Signaled Session Down".
  // (a then hears b's Down and sits in Init: b cannot hear a.)
  loop_.RunFor(Duration::Seconds(2));
  bool a_went_down = false;
  for (const StateChange& c : loop_.node(a_).changes) {
    if (c.from == State::kUp && c.to == State::kDown) {
      EXPECT_EQ(c.diag, Diag::kNeighborSignaledSessionDown);
      EXPECT_LE(c.at, *down + Duration::Milliseconds(301));
      a_went_down = true;
    }
  }
  EXPECT_TRUE(a_went_down);
  EXPECT_EQ(StateOf(a_), State::kInit);
  // Metrics reflect the down event.
  auto info = loop_.node(b_).engine.GetSession(KeyOf(b_));
  EXPECT_EQ(info->counters.session_down_events, 1u);
}

TEST_F(EngineLoopTest, RecoversAfterOutage) {
  AddBoth();
  ASSERT_TRUE(RunUntilBothUp(Duration::Seconds(5)));
  loop_.set_policy([](size_t, size_t, const core::SendDatagram&, TimePoint) {
    return std::optional<Duration>();
  });
  loop_.RunFor(Duration::Seconds(5));
  EXPECT_EQ(StateOf(a_), State::kDown);
  EXPECT_EQ(StateOf(b_), State::kDown);
  loop_.set_policy(nullptr);
  ASSERT_TRUE(RunUntilBothUp(Duration::Seconds(4)));
}

TEST_F(EngineLoopTest, PollFinalOnIntervalChange) {
  AddBoth();
  ASSERT_TRUE(RunUntilBothUp(Duration::Seconds(5)));
  loop_.RunFor(Duration::Seconds(2));
  const TimePoint changed_at = loop_.now();
  SessionParameters slower;
  slower.desired_min_tx = Duration::Seconds(1);
  loop_.With(a_, [&](BfdEngine& e, core::Outbox& out) {
    EXPECT_TRUE(e.UpdateSession(loop_.now(), KeyOf(a_), slower, out).ok());
  });
  // The increase waits for the Final (RFC 5880 6.8.3).
  EXPECT_TRUE(loop_.node(a_).engine.GetSession(KeyOf(a_))->poll_active);
  EXPECT_EQ(loop_.node(a_).engine.GetSession(KeyOf(a_))->transmit_interval,
            Duration::Milliseconds(300));
  loop_.RunFor(Duration::Seconds(2));
  EXPECT_FALSE(loop_.node(a_).engine.GetSession(KeyOf(a_))->poll_active);
  EXPECT_EQ(loop_.node(a_).engine.GetSession(KeyOf(a_))->transmit_interval, Duration::Seconds(1));
  // b now detects with a's new interval: 3 x 1 s.
  EXPECT_EQ(loop_.node(b_).engine.GetSession(KeyOf(b_))->detection_time, Duration::Seconds(3));

  // On the wire: a's first packet after the change carries P with the new
  // value; b's next packet after receiving it carries F and is sent at once.
  auto a_sent = loop_.node(a_).SentPackets();
  auto b_sent = loop_.node(b_).SentPackets();
  std::optional<TimePoint> poll_at;
  for (const auto& [at, p] : a_sent) {
    if (at >= changed_at && p.poll) {
      EXPECT_EQ(p.desired_min_tx, Duration::Seconds(1));
      poll_at = at;
      break;
    }
  }
  ASSERT_TRUE(poll_at.has_value());
  bool final_seen = false;
  for (const auto& [at, p] : b_sent) {
    if (at >= *poll_at && p.final) {
      EXPECT_EQ(at, *poll_at + Duration::Milliseconds(1));  // answered on receipt
      EXPECT_FALSE(p.poll);
      final_seen = true;
      break;
    }
  }
  EXPECT_TRUE(final_seen);
  // Still Up throughout.
  EXPECT_EQ(StateOf(a_), State::kUp);
  EXPECT_EQ(StateOf(b_), State::kUp);
}

TEST_F(EngineLoopTest, PassiveWaitsForActivePeer) {
  SessionParameters passive;
  passive.passive = true;
  Add(b_, Config("10.0.0.2", "10.0.0.1", HopMode::kSingleHop, passive));
  loop_.RunFor(Duration::Seconds(30));
  EXPECT_TRUE(loop_.node(b_).SentPackets().empty());
  EXPECT_EQ(StateOf(b_), State::kDown);
  Add(a_, Config("10.0.0.1", "10.0.0.2"));
  ASSERT_TRUE(RunUntilBothUp(Duration::Seconds(5)));
  // b's first packet came after a's first packet reached it.
  const TimePoint a_first = loop_.node(a_).SentPackets().front().first;
  EXPECT_GT(loop_.node(b_).SentPackets().front().first, a_first);
}

TEST_F(EngineLoopTest, TwoPassiveSidesNeverSpeak) {
  SessionParameters passive;
  passive.passive = true;
  AddBoth(passive, passive);
  loop_.RunFor(Duration::Seconds(30));
  EXPECT_TRUE(loop_.node(a_).SentPackets().empty());
  EXPECT_TRUE(loop_.node(b_).SentPackets().empty());
}

TEST_F(EngineLoopTest, AdminDownTakesPeerDownWithoutTimeout) {
  AddBoth();
  ASSERT_TRUE(RunUntilBothUp(Duration::Seconds(5)));
  loop_.RunFor(Duration::Seconds(1));
  const TimePoint t = loop_.now();
  loop_.With(a_, [&](BfdEngine& e, core::Outbox& out) {
    EXPECT_TRUE(e.SetAdminDown(t, KeyOf(a_), true, out));
  });
  EXPECT_EQ(StateOf(a_), State::kAdminDown);
  // The AdminDown packet leaves on a's already scheduled (300 ms) slot, so b
  // hears it before its 900 ms Detection Time: diag 3, not 1.
  loop_.RunFor(Duration::Milliseconds(301));
  EXPECT_EQ(StateOf(b_), State::kDown);
  const StateChange& change = loop_.node(b_).changes.back();
  EXPECT_EQ(change.diag, Diag::kNeighborSignaledSessionDown);
  EXPECT_TRUE(change.PeerAdministrativelyDown());
  EXPECT_FALSE(change.WentDown() && !change.PeerAdministrativelyDown());
  EXPECT_LE(change.at, t + Duration::Milliseconds(301));
  // b stays Down while a is AdminDown (never Init).
  loop_.RunFor(Duration::Seconds(10));
  EXPECT_EQ(StateOf(a_), State::kAdminDown);
  EXPECT_EQ(StateOf(b_), State::kDown);
  EXPECT_EQ(loop_.node(a_).engine.GetSession(KeyOf(a_))->local_diag, Diag::kAdministrativelyDown);
  // Re-enable: the handshake runs again.
  loop_.With(a_, [&](BfdEngine& e, core::Outbox& out) {
    EXPECT_TRUE(e.SetAdminDown(loop_.now(), KeyOf(a_), false, out));
  });
  ASSERT_TRUE(RunUntilBothUp(Duration::Seconds(4)));
}

TEST_F(EngineLoopTest, RemoveSessionSignalsAdminDownAndStopsListening) {
  AddBoth();
  ASSERT_TRUE(RunUntilBothUp(Duration::Seconds(5)));
  core::Outbox out;
  ASSERT_TRUE(loop_.node(a_).engine.RemoveSession(loop_.now(), KeyOf(a_), out));
  bool sent_admin_down = false, stopped = false;
  for (const auto& action : out.actions()) {
    if (const auto* send = std::get_if<core::SendDatagram>(&action)) {
      auto p = wire::bfd::Decode(send->payload);
      ASSERT_TRUE(p.ok());
      sent_admin_down |= p->state == State::kAdminDown;
    }
    if (const auto* stop = std::get_if<core::StopListening>(&action)) {
      stopped = true;
      EXPECT_EQ(stop->local.port, kSingleHopControlPort);
      EXPECT_EQ(stop->transport, core::Transport::kUdp);
    }
  }
  EXPECT_TRUE(sent_admin_down);
  EXPECT_TRUE(stopped);
  EXPECT_FALSE(loop_.node(a_).engine.GetState(KeyOf(a_)).has_value());
  EXPECT_FALSE(loop_.node(a_).engine.RemoveSession(loop_.now(), KeyOf(a_), out));
}

TEST_F(EngineLoopTest, MultihopHandshakeWithMinimumTtl) {
  SessionParameters params;
  params.minimum_ttl = 250;
  loop_.set_ttl_decrement(4);  // four routers: received TTL 251
  AddBoth(params, params, HopMode::kMultiHop);
  ASSERT_TRUE(RunUntilBothUp(Duration::Seconds(5), HopMode::kMultiHop));
  for (const auto& [at, action] : loop_.node(a_).log) {
    if (const auto* send = std::get_if<core::SendDatagram>(&action)) {
      EXPECT_EQ(send->remote.port, kMultiHopControlPort);  // RFC 5883
      EXPECT_EQ(send->ttl, 255);
    }
  }
}

TEST_F(EngineLoopTest, MultihopBeyondMinimumTtlNeverComesUp) {
  SessionParameters params;
  params.minimum_ttl = 250;
  loop_.set_ttl_decrement(6);  // received TTL 249 < 250
  AddBoth(params, params, HopMode::kMultiHop);
  loop_.RunFor(Duration::Seconds(10));
  EXPECT_EQ(StateOf(a_, HopMode::kMultiHop), State::kDown);
  EXPECT_GT(loop_.node(a_).engine.dropped("ttl"), 5u);
}

TEST_F(EngineLoopTest, SingleHopDropsAnyTtlBelow255) {
  loop_.set_ttl_decrement(1);  // one router in the path: RFC 5881 5 says discard
  AddBoth();
  loop_.RunFor(Duration::Seconds(10));
  EXPECT_EQ(StateOf(a_), State::kDown);
  EXPECT_EQ(StateOf(b_), State::kDown);
  const uint64_t dropped = loop_.node(a_).engine.dropped("ttl");
  EXPECT_GT(dropped, 5u);
  EXPECT_EQ(loop_.node(a_).engine.GetSession(KeyOf(a_))->counters.dropped_ttl, dropped);
  EXPECT_EQ(loop_.node(a_).engine.GetSession(KeyOf(a_))->counters.control_packet_input, 0u);
}

TEST(EngineLoopIpv6Test, HandshakeOverIpv6) {
  DatagramLoop loop;
  const size_t a = loop.AddNode(1, Ip("2001:db8::1"));
  const size_t b = loop.AddNode(2, Ip("2001:db8::2"));
  const SessionConfig ca = Config("2001:db8::1", "2001:db8::2");
  const SessionConfig cb = Config("2001:db8::2", "2001:db8::1");
  ASSERT_TRUE(loop.With(a, [&](BfdEngine& e,
                               core::Outbox& out) { return e.AddSession(loop.now(), ca, out); })
                  .ok());
  ASSERT_TRUE(loop.With(b, [&](BfdEngine& e,
                               core::Outbox& out) { return e.AddSession(loop.now(), cb, out); })
                  .ok());
  auto up = loop.RunUntilTrue(
      [&] {
        return loop.node(a).engine.GetState(ca.key) == State::kUp &&
               loop.node(b).engine.GetState(cb.key) == State::kUp;
      },
      TimePoint::Epoch() + Duration::Seconds(5));
  ASSERT_TRUE(up.has_value());
  for (const auto& [at, action] : loop.node(a).log) {
    if (const auto* send = std::get_if<core::SendDatagram>(&action)) {
      EXPECT_EQ(send->ttl, 255);  // RFC 5881 5: Hop Limit 255 too
    }
  }
}

TEST_F(EngineLoopTest, SameSeedSameBytes) {
  auto run = [] {
    DatagramLoop loop;
    size_t a = loop.AddNode(5, Ip("10.0.0.1"));
    size_t b = loop.AddNode(6, Ip("10.0.0.2"));
    loop.With(a, [&](BfdEngine& e, core::Outbox& out) {
      (void)e.AddSession(loop.now(), Config("10.0.0.1", "10.0.0.2"), out);
    });
    loop.With(b, [&](BfdEngine& e, core::Outbox& out) {
      (void)e.AddSession(loop.now(), Config("10.0.0.2", "10.0.0.1"), out);
    });
    loop.RunFor(Duration::Seconds(20));
    std::vector<std::pair<int64_t, core::Bytes>> wire;
    for (size_t n : {a, b}) {
      for (const auto& [at, action] : loop.node(n).log) {
        if (const auto* s = std::get_if<core::SendDatagram>(&action)) {
          wire.emplace_back(at.nanoseconds(), s->payload);
        }
      }
    }
    return wire;
  };
  EXPECT_EQ(run(), run());
}

}  // namespace
}  // namespace vipcast::bfd
