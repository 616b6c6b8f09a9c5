// One Session driven by hand-made packets: transmission schedule, the
// three-way handshake from one side, Poll/Final, passive role, AdminDown.
#include "engine/bfd/session.h"

#include <gtest/gtest.h>

#include "engine/bfd/timers.h"

namespace vipcast::bfd {
namespace {

using core::Duration;
using core::TimePoint;
using wire::bfd::ControlPacket;
using wire::bfd::Diag;
using wire::bfd::State;

constexpr uint32_t kLocal = 0x1000;
constexpr uint32_t kRemote = 0x2000;

TimePoint At(int64_t ms) { return TimePoint::Epoch() + Duration::Milliseconds(ms); }

ControlPacket FromPeer(State state, uint32_t your = kLocal) {
  ControlPacket p;
  p.state = state;
  p.detect_mult = 3;
  p.my_discriminator = kRemote;
  p.your_discriminator = your;
  p.desired_min_tx = Duration::Milliseconds(300);
  p.required_min_rx = Duration::Milliseconds(300);
  return p;
}

class SessionTest : public ::testing::Test {
 protected:
  core::Rng rng_{1};
  SessionParameters params_;
};

TEST_F(SessionTest, ActiveSessionSendsSlowDownPacketsAtOnce) {
  Session s(kLocal, params_, At(0), rng_);
  EXPECT_EQ(s.NextDeadline(), At(0));
  SessionOutput out;
  s.Advance(At(0), out);
  ASSERT_EQ(out.packets.size(), 1u);
  const ControlPacket& p = out.packets[0];
  EXPECT_EQ(p.state, State::kDown);
  EXPECT_EQ(p.my_discriminator, kLocal);
  EXPECT_EQ(p.your_discriminator, 0u);
  EXPECT_EQ(p.detect_mult, 3);
  // RFC 5880 6.8.3: not Up, so at least 1 s advertised.
  EXPECT_EQ(p.desired_min_tx, Duration::Seconds(1));
  EXPECT_EQ(p.required_min_rx, Duration::Milliseconds(300));
  EXPECT_EQ(p.required_min_echo_rx, Duration::Zero());
  EXPECT_FALSE(p.poll);
  EXPECT_FALSE(p.final);
  // Next packet 75-100% of 1 s later.
  EXPECT_GE(s.NextDeadline(), At(750));
  EXPECT_LE(s.NextDeadline(), At(1000));
}

TEST_F(SessionTest, HandshakeFromDownThroughInitToUpThenPolls) {
  Session s(kLocal, params_, At(0), rng_);
  SessionOutput out;
  s.Advance(At(0), out);
  // Peer says Down -> Init (6.8.6).
  s.Receive(At(10), FromPeer(State::kDown, 0), out);
  EXPECT_EQ(s.state(), State::kInit);
  EXPECT_EQ(s.remote_discriminator(), kRemote);
  // Peer says Up -> Up; the switch from 1 s to 300 ms is a parameter change
  // and starts a Poll Sequence (6.8.3).
  s.Receive(At(20), FromPeer(State::kUp), out);
  EXPECT_EQ(s.state(), State::kUp);
  ASSERT_EQ(out.transitions.size(), 2u);
  EXPECT_EQ(out.transitions[0].to, State::kInit);
  EXPECT_EQ(out.transitions[1].to, State::kUp);
  EXPECT_TRUE(s.poll_active());
  EXPECT_EQ(s.desired_min_tx(), Duration::Milliseconds(300));
  // A decrease of the TX interval applies at once.
  EXPECT_EQ(s.transmit_interval(), Duration::Milliseconds(300));
  // Detection time: 3 x max(300 ms, 300 ms).
  EXPECT_EQ(s.detection_time(), Duration::Milliseconds(900));
  EXPECT_EQ(s.detection_deadline(), At(920));

  // The next periodic packet carries P (6.5), not an extra packet.
  out = {};
  s.Advance(s.next_transmit(), out);
  ASSERT_EQ(out.packets.size(), 1u);
  EXPECT_TRUE(out.packets[0].poll);
  EXPECT_EQ(out.packets[0].state, State::kUp);
  EXPECT_EQ(out.packets[0].your_discriminator, kRemote);

  // F from the peer ends it.
  ControlPacket final = FromPeer(State::kUp);
  final.final = true;
  s.Receive(s.next_transmit() - Duration::Milliseconds(1), final, out);
  EXPECT_FALSE(s.poll_active());
}

TEST_F(SessionTest, AnswersPollImmediatelyWithFinal) {
  Session s(kLocal, params_, At(0), rng_);
  SessionOutput out;
  ControlPacket poll = FromPeer(State::kDown, 0);
  poll.poll = true;
  s.Receive(At(5), poll, out);
  ASSERT_EQ(out.packets.size(), 1u);
  EXPECT_TRUE(out.packets[0].final);
  EXPECT_FALSE(out.packets[0].poll);  // 6.8.7: never both
  EXPECT_EQ(out.packets[0].your_discriminator, kRemote);
}

TEST_F(SessionTest, DetectionTimeoutGoesDownAndForgetsPeer) {
  Session s(kLocal, params_, At(0), rng_);
  SessionOutput out;
  s.Receive(At(0), FromPeer(State::kDown, 0), out);
  s.Receive(At(10), FromPeer(State::kUp), out);
  ASSERT_EQ(s.state(), State::kUp);
  out = {};
  // Keep transmitting but hear nothing: Down exactly at 10 + 900 ms.
  s.Advance(At(909), out);
  EXPECT_EQ(s.state(), State::kUp);
  s.Advance(At(910), out);
  EXPECT_EQ(s.state(), State::kDown);
  EXPECT_EQ(s.local_diag(), Diag::kControlDetectionTimeExpired);
  EXPECT_EQ(s.remote_discriminator(), 0u);  // 6.8.1
  EXPECT_EQ(s.detection_time(), Duration::Infinite());
  ASSERT_FALSE(out.transitions.empty());
  EXPECT_EQ(out.transitions.back().diag, Diag::kControlDetectionTimeExpired);
  // Back to the slow rate.
  EXPECT_EQ(s.desired_min_tx(), Duration::Seconds(1));
}

TEST_F(SessionTest, DetectMultOneJittersBetween75And90Percent) {
  params_.detect_mult = 1;
  SessionOutput out;
  // Check gaps between consecutive transmissions directly.
  Session t(kLocal, params_, At(0), rng_);
  TimePoint prev = At(0);
  t.Advance(prev, out);
  for (int i = 0; i < 500; ++i) {
    const TimePoint next = t.next_transmit();
    const Duration gap = next - prev;
    EXPECT_GE(gap, Duration::Milliseconds(750));
    EXPECT_LE(gap, Duration::Milliseconds(900));
    t.Advance(next, out);
    prev = next;
  }
}

TEST_F(SessionTest, NoPeriodicTransmissionWhenPeerRequiresZeroRx) {
  Session s(kLocal, params_, At(0), rng_);
  SessionOutput out;
  ControlPacket p = FromPeer(State::kDown, 0);
  p.required_min_rx = Duration::Zero();
  s.Receive(At(1), p, out);
  // RFC 5880 6.8.7: RemoteMinRxInterval zero stops periodic transmission.
  EXPECT_FALSE(s.MayTransmitPeriodically());
  EXPECT_EQ(s.next_transmit(), TimePoint::Never());
  // A poll is still answered.
  p.poll = true;
  out = {};
  s.Receive(At(2), p, out);
  ASSERT_EQ(out.packets.size(), 1u);
  EXPECT_TRUE(out.packets[0].final);
}

TEST_F(SessionTest, PassiveWaitsForThePeer) {
  params_.passive = true;
  Session s(kLocal, params_, At(0), rng_);
  EXPECT_EQ(s.NextDeadline(), TimePoint::Never());
  SessionOutput out;
  s.Advance(At(100000), out);
  EXPECT_TRUE(out.packets.empty());
  // RFC 5880 6.1: once a packet arrives the passive side speaks.
  s.Receive(At(100001), FromPeer(State::kDown, 0), out);
  EXPECT_EQ(s.state(), State::kInit);
  EXPECT_EQ(s.next_transmit(), At(100001));
  s.Advance(At(100001), out);
  ASSERT_EQ(out.packets.size(), 1u);
  EXPECT_EQ(out.packets[0].state, State::kInit);
  // When the peer goes silent the remote discriminator is forgotten and the
  // passive side is silent again.
  out = {};
  s.Advance(At(100001) + Duration::Seconds(3), out);
  EXPECT_EQ(s.state(), State::kDown);
  EXPECT_EQ(s.next_transmit(), TimePoint::Never());
}

TEST_F(SessionTest, TxIncreaseWaitsForFinalRxDecreaseToo) {
  Session s(kLocal, params_, At(0), rng_);
  SessionOutput out;
  s.Receive(At(0), FromPeer(State::kDown, 0), out);
  s.Receive(At(1), FromPeer(State::kUp), out);
  ControlPacket final = FromPeer(State::kUp);
  final.final = true;
  s.Receive(At(2), final, out);
  ASSERT_FALSE(s.poll_active());
  ASSERT_EQ(s.detection_time(), Duration::Milliseconds(900));

  SessionParameters changed = params_;
  changed.desired_min_tx = Duration::Seconds(2);
  changed.required_min_rx = Duration::Milliseconds(100);
  s.SetParameters(At(3), changed);
  EXPECT_TRUE(s.poll_active());
  // Advertised at once ...
  EXPECT_EQ(s.MakePacket(false).desired_min_tx, Duration::Seconds(2));
  EXPECT_EQ(s.MakePacket(false).required_min_rx, Duration::Milliseconds(100));
  EXPECT_TRUE(s.MakePacket(false).poll);
  // ... but RFC 5880 6.8.3: the old TX interval and the old RX interval (for
  // detection) stay in force until the Final.
  EXPECT_EQ(s.transmit_interval(), Duration::Milliseconds(300));
  s.Receive(At(4), FromPeer(State::kUp), out);
  EXPECT_EQ(s.detection_time(), Duration::Milliseconds(900));
  s.Receive(At(5), final, out);
  EXPECT_FALSE(s.poll_active());
  EXPECT_EQ(s.transmit_interval(), Duration::Seconds(2));
  EXPECT_EQ(s.detection_time(), Duration::Milliseconds(900));  // 3 x max(100, peer 300)
}

TEST_F(SessionTest, ChangeDuringPollStartsAnotherPoll) {
  Session s(kLocal, params_, At(0), rng_);
  SessionOutput out;
  s.Receive(At(0), FromPeer(State::kDown, 0), out);
  s.Receive(At(1), FromPeer(State::kUp), out);
  ASSERT_TRUE(s.poll_active());  // the Up switch
  SessionParameters changed = params_;
  changed.desired_min_tx = Duration::Seconds(2);
  s.SetParameters(At(2), changed);
  ControlPacket final = FromPeer(State::kUp);
  final.final = true;
  s.Receive(At(3), final, out);
  // The first Final may answer a packet with old values: poll again.
  EXPECT_TRUE(s.poll_active());
  EXPECT_EQ(s.transmit_interval(), Duration::Milliseconds(300));
  s.Receive(At(4), final, out);
  EXPECT_FALSE(s.poll_active());
  EXPECT_EQ(s.transmit_interval(), Duration::Seconds(2));
}

TEST_F(SessionTest, AdminDownKeepsTheScheduleAndIgnoresPackets) {
  Session s(kLocal, params_, At(0), rng_);
  SessionOutput out;
  s.Advance(At(0), out);
  s.Receive(At(0), FromPeer(State::kDown, 0), out);
  s.Receive(At(1), FromPeer(State::kUp), out);
  const TimePoint scheduled = s.next_transmit();
  ASSERT_LE(scheduled, At(300));
  out = {};
  s.SetAdminDown(At(2), true, out);
  EXPECT_EQ(s.state(), State::kAdminDown);
  EXPECT_EQ(s.local_diag(), Diag::kAdministrativelyDown);
  // No extra packet, but the one already due at the fast rate still goes
  // then (not 1 s later), well inside the peer's Detection Time.
  EXPECT_TRUE(out.packets.empty());
  EXPECT_EQ(s.next_transmit(), scheduled);
  s.Advance(scheduled, out);
  ASSERT_EQ(out.packets.size(), 1u);
  EXPECT_EQ(out.packets[0].state, State::kAdminDown);
  EXPECT_EQ(out.packets[0].diag, Diag::kAdministrativelyDown);
  // After it, the slow rate.
  EXPECT_GE(s.next_transmit(), scheduled + Duration::Milliseconds(750));
  // 6.8.6: in AdminDown received packets change nothing and polls go
  // unanswered.
  out = {};
  ControlPacket poll = FromPeer(State::kUp);
  poll.poll = true;
  s.Receive(scheduled + Duration::Milliseconds(1), poll, out);
  EXPECT_EQ(s.state(), State::kAdminDown);
  EXPECT_TRUE(out.packets.empty());
  EXPECT_TRUE(out.transitions.empty());
  // Leaving AdminDown goes to Down, then the handshake can run again.
  s.SetAdminDown(scheduled + Duration::Milliseconds(2), false, out);
  EXPECT_EQ(s.state(), State::kDown);
  s.Receive(scheduled + Duration::Milliseconds(3), FromPeer(State::kInit), out);
  EXPECT_EQ(s.state(), State::kUp);
  EXPECT_EQ(s.local_diag(), Diag::kNone);
}

TEST_F(SessionTest, PeerAdminDownTakesUsDownWithDiag3) {
  Session s(kLocal, params_, At(0), rng_);
  SessionOutput out;
  s.Receive(At(0), FromPeer(State::kDown, 0), out);
  s.Receive(At(1), FromPeer(State::kUp), out);
  out = {};
  ControlPacket admin = FromPeer(State::kAdminDown, 0);
  admin.diag = Diag::kAdministrativelyDown;
  s.Receive(At(2), admin, out);
  EXPECT_EQ(s.state(), State::kDown);
  EXPECT_EQ(s.local_diag(), Diag::kNeighborSignaledSessionDown);
  ASSERT_EQ(out.transitions.size(), 1u);
  EXPECT_EQ(out.transitions[0].remote_state, State::kAdminDown);
  // Stays Down while the peer stays AdminDown.
  s.Receive(At(3), admin, out);
  EXPECT_EQ(s.state(), State::kDown);
}

TEST_F(SessionTest, DemandBitIsIgnored) {
  Session s(kLocal, params_, At(0), rng_);
  SessionOutput out;
  s.Receive(At(0), FromPeer(State::kDown, 0), out);
  ControlPacket up = FromPeer(State::kUp);
  up.demand = true;
  s.Receive(At(1), up, out);
  EXPECT_TRUE(s.remote_demand_mode());
  // Periodic transmission continues (Demand mode not implemented).
  EXPECT_NE(s.next_transmit(), TimePoint::Never());
}

}  // namespace
}  // namespace vipcast::bfd
