#include "engine/bfd/timers.h"

#include <gtest/gtest.h>

#include "engine/bfd/identifiers.h"
#include "engine/bfd/session_config.h"
#include "engine/bfd/transport.h"

namespace vipcast::bfd {
namespace {

using core::Duration;
using wire::bfd::State;

TEST(BfdTimers, SlowRateWhileNotUp) {
  // RFC 5880 6.8.3: at least 1 s unless Up.
  for (State s : {State::kAdminDown, State::kDown, State::kInit}) {
    EXPECT_EQ(DesiredMinTxFor(s, Duration::Milliseconds(300)), Duration::Seconds(1));
    EXPECT_EQ(DesiredMinTxFor(s, Duration::Seconds(2)), Duration::Seconds(2));
  }
  EXPECT_EQ(DesiredMinTxFor(State::kUp, Duration::Milliseconds(300)), Duration::Milliseconds(300));
}

TEST(BfdTimers, TransmitIntervalIsTheSlowerOfTheTwo) {
  // RFC 5880 6.8.2/6.8.7.
  EXPECT_EQ(TransmitInterval(Duration::Milliseconds(300), Duration::Milliseconds(500)),
            Duration::Milliseconds(500));
  EXPECT_EQ(TransmitInterval(Duration::Milliseconds(300), Duration::Microseconds(1)),
            Duration::Milliseconds(300));
}

TEST(BfdTimers, DetectionTimeUsesRemoteMultiplierAndAgreedInterval) {
  // RFC 5880 6.8.4: remote Detect Mult x max(local RequiredMinRx, remote DesiredMinTx).
  EXPECT_EQ(DetectionTime(3, Duration::Milliseconds(300), Duration::Milliseconds(100)),
            Duration::Milliseconds(900));
  EXPECT_EQ(DetectionTime(5, Duration::Milliseconds(300), Duration::Seconds(1)),
            Duration::Seconds(5));
  // Largest values the wire can carry do not overflow.
  EXPECT_EQ(DetectionTime(255, Duration::Microseconds(0xffffffff), Duration::Zero()),
            Duration::Microseconds(0xffffffffLL * 255));
}

TEST(BfdTimers, JitterStaysWithinRfcBounds) {
  core::Rng rng(42);
  const Duration interval = Duration::Milliseconds(300);
  Duration lo = Duration::Infinite(), hi = Duration::Zero();
  for (int i = 0; i < 10000; ++i) {
    const Duration d = JitteredInterval(interval, 3, rng);
    lo = std::min(lo, d);
    hi = std::max(hi, d);
  }
  // RFC 5880 6.8.7: 75-100%, and the range is actually used.
  EXPECT_GE(lo, Duration::Milliseconds(225));
  EXPECT_LE(hi, Duration::Milliseconds(300));
  EXPECT_LT(lo, Duration::Milliseconds(230));
  EXPECT_GT(hi, Duration::Milliseconds(295));

  lo = Duration::Infinite();
  hi = Duration::Zero();
  for (int i = 0; i < 10000; ++i) {
    const Duration d = JitteredInterval(interval, 1, rng);
    lo = std::min(lo, d);
    hi = std::max(hi, d);
  }
  // RFC 5880 6.8.7: with Detect Mult 1, 75-90%.
  EXPECT_GE(lo, Duration::Milliseconds(225));
  EXPECT_LE(hi, Duration::Milliseconds(270));
  EXPECT_GT(hi, Duration::Milliseconds(265));
}

TEST(BfdIdentifiers, DiscriminatorsAreNonzeroAndUnique) {
  core::Rng rng(7);
  std::set<uint32_t> used;
  for (int i = 0; i < 5000; ++i) {
    const uint32_t d = AllocateDiscriminator(rng, used);
    EXPECT_NE(d, 0u);
    EXPECT_TRUE(used.insert(d).second);
  }
}

TEST(BfdIdentifiers, SourcePortsStayInRangeAndRunOut) {
  core::Rng rng(7);
  std::set<uint16_t> used;
  for (int i = 0; i < 16384; ++i) {
    auto port = AllocateSourcePort(rng, used);
    ASSERT_TRUE(port.has_value()) << i;
    EXPECT_GE(*port, kMinSourcePort);
    EXPECT_LE(*port, kMaxSourcePort);
    EXPECT_TRUE(used.insert(*port).second);
  }
  EXPECT_FALSE(AllocateSourcePort(rng, used).has_value());
}

TEST(BfdSessionConfig, FromProfileClampsToTheWire) {
  config::BFDProfile profile;
  profile.receive_interval_ms = 100;
  profile.transmit_interval_ms = 200;
  profile.detect_multiplier = 5;
  profile.echo_mode = true;
  profile.passive_mode = true;
  profile.minimum_ttl = 250;
  SessionParameters p = ParametersFromProfile(profile);
  EXPECT_EQ(p.required_min_rx, Duration::Milliseconds(100));
  EXPECT_EQ(p.desired_min_tx, Duration::Milliseconds(200));
  EXPECT_EQ(p.detect_mult, 5);
  EXPECT_TRUE(p.echo_mode);
  EXPECT_TRUE(p.passive);
  EXPECT_EQ(p.minimum_ttl, 250);

  profile.detect_multiplier = 0;
  profile.minimum_ttl = 1000;
  profile.receive_interval_ms = 0;
  p = ParametersFromProfile(profile);
  EXPECT_EQ(p.detect_mult, 1);
  EXPECT_EQ(p.minimum_ttl, 255);
  EXPECT_EQ(p.required_min_rx, Duration::Milliseconds(1));

  // MetalLB/FRR defaults (the model's): 300/300/3, min TTL 254.
  p = ParametersFromProfile(config::BFDProfile{});
  EXPECT_EQ(p, SessionParameters{});
}

}  // namespace
}  // namespace vipcast::bfd
