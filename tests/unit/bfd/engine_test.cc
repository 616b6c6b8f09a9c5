// BfdEngine driven directly with hand-made datagrams: demultiplexing, the
// TTL rules, drop accounting, metrics, configuration errors.
#include <gtest/gtest.h>

#include "engine/bfd/bfd_engine.h"
#include "engine/bfd/metrics.h"
#include "engine/bfd/transport.h"
#include "engine/wire/bfd/codec.h"
#include "tests/unit/bfd/datagram_loop.h"

namespace vipcast::bfd {
namespace {

using core::Duration;
using core::TimePoint;
using testing::Config;
using testing::Ip;
using wire::bfd::ControlPacket;
using wire::bfd::State;

TimePoint At(int64_t ms) { return TimePoint::Epoch() + Duration::Milliseconds(ms); }

template <typename T>
std::vector<T> ActionsOf(const core::Outbox& out) {
  std::vector<T> result;
  for (const auto& a : out.actions()) {
    if (const auto* t = std::get_if<T>(&a)) result.push_back(*t);
  }
  return result;
}

std::optional<double> Metric(const core::Outbox& out, std::string_view name) {
  std::optional<double> value;
  for (const auto& m : ActionsOf<core::MetricChanged>(out)) {
    if (m.name == name) value = m.value;
  }
  return value;
}

class EngineTest : public ::testing::Test {
 protected:
  void SetUp() override {
    config_ = Config("10.0.0.1", "10.0.0.2");
    ASSERT_TRUE(engine_.AddSession(At(0), config_, out_).ok());
  }
  ControlPacket PeerPacket(State state, uint32_t your) {
    ControlPacket p;
    p.state = state;
    p.detect_mult = 3;
    p.my_discriminator = 0xbeef;
    p.your_discriminator = your;
    p.desired_min_tx = Duration::Seconds(1);
    p.required_min_rx = Duration::Milliseconds(300);
    return p;
  }
  core::DatagramReceived Datagram(const ControlPacket& p, uint8_t ttl = 255,
                                  const char* from = "10.0.0.2",
                                  uint16_t port = kSingleHopControlPort) {
    core::DatagramReceived d;
    d.local = core::Endpoint{Ip("10.0.0.1"), port};
    d.remote = core::Endpoint{Ip(from), 49200};
    d.ttl = ttl;
    d.payload = wire::bfd::Encode(p);
    return d;
  }
  uint32_t LocalDiscriminator() { return engine_.GetSession(config_.key)->local_discriminator; }

  core::Rng rng_{9};
  BfdEngine engine_{rng_};
  SessionConfig config_;
  core::Outbox out_;
};

TEST_F(EngineTest, AddSessionListensAndPublishesMetalLBMetrics) {
  auto listens = ActionsOf<core::Listen>(out_);
  ASSERT_EQ(listens.size(), 1u);
  EXPECT_EQ(listens[0].transport, core::Transport::kUdp);
  EXPECT_EQ(listens[0].local, (core::Endpoint{Ip("10.0.0.1"), kSingleHopControlPort}));
  for (std::string_view name :
       {kMetricSessionUp, kMetricControlPacketInput, kMetricControlPacketOutput,
        kMetricEchoPacketInput, kMetricEchoPacketOutput, kMetricSessionUpEvents,
        kMetricSessionDownEvents, kMetricZebraNotifications}) {
    EXPECT_EQ(Metric(out_, name), 0.0) << name;
  }
  for (const auto& m : ActionsOf<core::MetricChanged>(out_)) {
    ASSERT_EQ(m.labels.size(), 1u);
    EXPECT_EQ(m.labels[0], (std::pair<std::string, std::string>{"peer", "10.0.0.2"}));
  }
  // A second session on the same local address does not listen again.
  core::Outbox out;
  ASSERT_TRUE(engine_.AddSession(At(0), Config("10.0.0.1", "10.0.0.3"), out).ok());
  EXPECT_TRUE(ActionsOf<core::Listen>(out).empty());
}

TEST_F(EngineTest, RejectsDuplicatesMixedFamiliesAndTooMany) {
  core::Outbox out;
  EXPECT_FALSE(engine_.AddSession(At(0), config_, out).ok());
  SessionConfig mixed = config_;
  mixed.key.peer = Ip("2001:db8::2");
  EXPECT_FALSE(engine_.AddSession(At(0), mixed, out).ok());

  core::Rng rng(1);
  BfdEngine small(rng, EngineLimits{2, 16});
  EXPECT_TRUE(small.AddSession(At(0), Config("10.0.0.1", "10.0.1.1"), out).ok());
  EXPECT_TRUE(small.AddSession(At(0), Config("10.0.0.1", "10.0.1.2"), out).ok());
  auto third = small.AddSession(At(0), Config("10.0.0.1", "10.0.1.3"), out);
  ASSERT_FALSE(third.ok());
  EXPECT_NE(third.error().find("limit"), std::string::npos);
}

TEST_F(EngineTest, RejectsParametersTheWireCannotCarry) {
  core::Outbox out;
  SessionConfig bad = Config("10.0.0.1", "10.0.0.5");
  bad.params.detect_mult = 0;
  EXPECT_FALSE(engine_.AddSession(At(0), bad, out).ok());
  bad.params.detect_mult = 3;
  bad.params.desired_min_tx = Duration::Zero();
  EXPECT_FALSE(engine_.AddSession(At(0), bad, out).ok());
  bad.params.desired_min_tx = Duration::Minutes(72);  // > 2^32-1 us
  EXPECT_FALSE(engine_.AddSession(At(0), bad, out).ok());
  bad.params.desired_min_tx = Duration::Milliseconds(300);
  bad.params.required_min_rx = Duration::Zero();  // legal: "send me nothing"
  EXPECT_TRUE(engine_.AddSession(At(0), bad, out).ok());

  SessionParameters invalid;
  invalid.minimum_ttl = 0;
  EXPECT_FALSE(engine_.UpdateSession(At(1), config_.key, invalid, out).ok());
  EXPECT_FALSE(engine_.UpdateSession(At(1), Config("10.0.0.1", "10.9.9.9").key, {}, out).ok());
  EXPECT_TRUE(engine_.UpdateSession(At(1), config_.key, {}, out).ok());
}

TEST_F(EngineTest, EchoModeIsReportedAndNotUsed) {
  SessionConfig echo = Config("10.0.0.1", "10.0.0.9");
  echo.params.echo_mode = true;
  core::Outbox out;
  ASSERT_TRUE(engine_.AddSession(At(0), echo, out).ok());
  auto logs = ActionsOf<core::Log>(out);
  ASSERT_EQ(logs.size(), 1u);
  EXPECT_EQ(logs[0].level, core::LogLevel::kWarning);
  EXPECT_NE(logs[0].message.find("echo mode is not supported"), std::string::npos);
  // Packets advertise Required Min Echo RX 0: the peer must not send echoes.
  core::Outbox tx;
  engine_.Advance(At(0), tx);
  bool checked = false;
  for (const auto& send : ActionsOf<core::SendDatagram>(tx)) {
    auto p = wire::bfd::Decode(send.payload);
    ASSERT_TRUE(p.ok());
    EXPECT_EQ(p->required_min_echo_rx, Duration::Zero());
    checked = true;
  }
  EXPECT_TRUE(checked);
}

TEST_F(EngineTest, DemultiplexesByAddressWhenYourDiscriminatorIsZero) {
  core::Outbox out;
  engine_.Handle(At(1), Datagram(PeerPacket(State::kDown, 0)), out);
  EXPECT_EQ(*engine_.GetState(config_.key), State::kInit);
  auto changes = ActionsOf<core::SessionStateChanged>(out);
  ASSERT_EQ(changes.size(), 1u);
  EXPECT_EQ(changes[0].protocol, "bfd");
  EXPECT_EQ(changes[0].peer, "10.0.0.2");
  EXPECT_EQ(changes[0].from, "Down");
  EXPECT_EQ(changes[0].to, "Init");
  EXPECT_EQ(Metric(out, kMetricControlPacketInput), 1.0);
  auto drained = engine_.DrainStateChanges();
  ASSERT_EQ(drained.size(), 1u);
  EXPECT_EQ(drained[0].key, config_.key);
  EXPECT_TRUE(engine_.DrainStateChanges().empty());
}

TEST_F(EngineTest, DemultiplexesByYourDiscriminator) {
  core::Outbox out;
  engine_.Handle(At(1), Datagram(PeerPacket(State::kInit, LocalDiscriminator())), out);
  EXPECT_EQ(*engine_.GetState(config_.key), State::kUp);
  EXPECT_EQ(Metric(out, kMetricSessionUp), 1.0);
  EXPECT_EQ(Metric(out, kMetricSessionUpEvents), 1.0);
}

TEST_F(EngineTest, UnknownDiscriminatorIsDropped) {
  core::Outbox out;
  engine_.Handle(At(1), Datagram(PeerPacket(State::kUp, LocalDiscriminator() + 1)), out);
  EXPECT_EQ(engine_.dropped("no_session"), 1u);
  EXPECT_EQ(*engine_.GetState(config_.key), State::kDown);
  // Zero discriminator from an unknown address: no session either.
  engine_.Handle(At(2), Datagram(PeerPacket(State::kDown, 0), 255, "10.0.0.77"), out);
  EXPECT_EQ(engine_.dropped("no_session"), 2u);
  EXPECT_EQ(Metric(out, kMetricPacketsDropped), 2.0);
}

TEST_F(EngineTest, RightDiscriminatorWrongSourceOrHopIsDropped) {
  core::Outbox out;
  engine_.Handle(At(1), Datagram(PeerPacket(State::kInit, LocalDiscriminator()), 255, "10.0.0.66"),
                 out);
  engine_.Handle(At(2),
                 Datagram(PeerPacket(State::kInit, LocalDiscriminator()), 255, "10.0.0.2",
                          kMultiHopControlPort),
                 out);
  EXPECT_EQ(engine_.dropped("address"), 2u);
  EXPECT_EQ(*engine_.GetState(config_.key), State::kDown);
}

TEST_F(EngineTest, SingleHopTtlMustBe255) {
  core::Outbox out;
  for (uint8_t ttl : {0, 1, 64, 254}) {
    engine_.Handle(At(1), Datagram(PeerPacket(State::kDown, 0), ttl), out);
  }
  EXPECT_EQ(engine_.dropped("ttl"), 4u);
  EXPECT_EQ(*engine_.GetState(config_.key), State::kDown);
  EXPECT_EQ(engine_.GetSession(config_.key)->counters.control_packet_input, 0u);
  engine_.Handle(At(2), Datagram(PeerPacket(State::kDown, 0), 255), out);
  EXPECT_EQ(*engine_.GetState(config_.key), State::kInit);
}

TEST_F(EngineTest, MultihopTtlAtLeastMinimum) {
  SessionParameters params;
  params.minimum_ttl = 250;
  SessionConfig mh = Config("10.0.0.1", "10.0.0.2", HopMode::kMultiHop, params);
  core::Outbox out;
  ASSERT_TRUE(engine_.AddSession(At(0), mh, out).ok());
  // RFC 5883 uses its own port, so a second Listen.
  auto listens = ActionsOf<core::Listen>(out);
  ASSERT_EQ(listens.size(), 1u);
  EXPECT_EQ(listens[0].local.port, kMultiHopControlPort);

  engine_.Handle(At(1),
                 Datagram(PeerPacket(State::kDown, 0), 249, "10.0.0.2", kMultiHopControlPort), out);
  EXPECT_EQ(engine_.dropped("ttl"), 1u);
  EXPECT_EQ(*engine_.GetState(mh.key), State::kDown);
  engine_.Handle(At(2),
                 Datagram(PeerPacket(State::kDown, 0), 250, "10.0.0.2", kMultiHopControlPort), out);
  EXPECT_EQ(*engine_.GetState(mh.key), State::kInit);
  // The single-hop session with the same peer is untouched.
  EXPECT_EQ(*engine_.GetState(config_.key), State::kDown);
}

TEST_F(EngineTest, MalformedAndAuthenticatedPacketsAreCountedByReason) {
  core::Outbox out;
  core::DatagramReceived d = Datagram(PeerPacket(State::kDown, 0));
  d.payload[0] = 0x40;  // version 2
  engine_.Handle(At(1), d, out);
  EXPECT_EQ(engine_.dropped("bad_version"), 1u);

  ControlPacket authed = PeerPacket(State::kDown, 0);
  authed.auth = wire::bfd::AuthSection{wire::bfd::AuthType::kKeyedSha1, 1, 1, core::Bytes(20, 1)};
  engine_.Handle(At(2), Datagram(authed), out);
  EXPECT_EQ(engine_.dropped("authentication_unsupported"), 1u);

  d.payload.assign(3, 0x20);
  engine_.Handle(At(3), d, out);
  EXPECT_EQ(engine_.dropped("truncated"), 1u);
  EXPECT_EQ(*engine_.GetState(config_.key), State::kDown);
}

TEST_F(EngineTest, OtherPortsAreNotBfd) {
  core::Outbox out;
  engine_.Handle(At(1), Datagram(PeerPacket(State::kDown, 0), 255, "10.0.0.2", 179), out);
  EXPECT_TRUE(engine_.drops().empty());
  EXPECT_TRUE(out.empty());
}

TEST_F(EngineTest, ShutdownTakesEverySessionAdminDown) {
  core::Outbox out;
  engine_.Handle(At(1), Datagram(PeerPacket(State::kInit, LocalDiscriminator())), out);
  ASSERT_EQ(*engine_.GetState(config_.key), State::kUp);
  out.Drain();
  engine_.Handle(At(2), core::ShutdownRequested{}, out);
  EXPECT_EQ(*engine_.GetState(config_.key), State::kAdminDown);
  auto sends = ActionsOf<core::SendDatagram>(out);
  ASSERT_EQ(sends.size(), 1u);
  EXPECT_EQ(wire::bfd::Decode(sends[0].payload)->state, State::kAdminDown);
  EXPECT_EQ(Metric(out, kMetricSessionDownEvents), 1.0);
  EXPECT_EQ(Metric(out, kMetricSessionUp), 0.0);
}

TEST_F(EngineTest, ManySessionsHaveUniqueDiscriminatorsAndPorts) {
  core::Outbox out;
  for (int i = 0; i < 200; ++i) {
    SessionConfig c = config_;
    c.key.peer = core::IpAddr(core::Ipv4Addr::FromOctets(10, 1, static_cast<uint8_t>(i / 250),
                                                         static_cast<uint8_t>(i % 250 + 1)));
    ASSERT_TRUE(engine_.AddSession(At(0), c, out).ok());
  }
  std::set<uint32_t> discriminators;
  std::set<uint16_t> ports;
  for (const SessionInfo& s : engine_.Sessions()) {
    EXPECT_NE(s.local_discriminator, 0u);
    EXPECT_GE(s.source_port, kMinSourcePort);
    discriminators.insert(s.local_discriminator);
    ports.insert(s.source_port);
  }
  EXPECT_EQ(discriminators.size(), engine_.session_count());
  EXPECT_EQ(ports.size(), engine_.session_count());
}

TEST_F(EngineTest, NextDeadlineIsHonoured) {
  // The first packet is due at once; afterwards nothing before NextDeadline.
  EXPECT_EQ(engine_.NextDeadline(), At(0));
  core::Outbox out;
  engine_.Advance(At(0), out);
  EXPECT_EQ(ActionsOf<core::SendDatagram>(out).size(), 1u);
  const TimePoint next = engine_.NextDeadline();
  EXPECT_GE(next, At(750));
  out.Drain();
  engine_.Advance(next - Duration::Nanoseconds(1), out);
  EXPECT_TRUE(ActionsOf<core::SendDatagram>(out).empty());
  engine_.Advance(next, out);
  EXPECT_EQ(ActionsOf<core::SendDatagram>(out).size(), 1u);
}

TEST_F(EngineTest, StateChangeQueueIsBounded) {
  core::Rng rng(3);
  BfdEngine small(rng, EngineLimits{4, 2});
  core::Outbox out;
  ASSERT_TRUE(small.AddSession(At(0), config_, out).ok());
  for (int i = 0; i < 3; ++i) {
    small.SetAdminDown(At(i * 2), config_.key, true, out);
    small.SetAdminDown(At(i * 2 + 1), config_.key, false, out);
  }
  EXPECT_EQ(small.DrainStateChanges().size(), 2u);
  EXPECT_EQ(small.dropped_state_changes(), 4u);
}

}  // namespace
}  // namespace vipcast::bfd
