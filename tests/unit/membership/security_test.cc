// Authentication and anti-replay at the engine: forged, replayed, old,
// wrongly keyed and malformed datagrams are dropped and counted by reason.
#include <gtest/gtest.h>

#include <optional>
#include <string>
#include <vector>

#include "engine/wire/membership/envelope.h"
#include "engine/wire/membership/message.h"
#include "tests/unit/membership/cluster_sim.h"

namespace vipcast::membership::testing {
namespace {

namespace wm = wire::membership;
using core::Duration;

struct Captured {
  size_t from;
  core::SendDatagram datagram;
};

class SecurityTest : public ::testing::Test {
 protected:
  void SetUp() override {
    SimOptions o;
    o.seed = 3;
    sim_ = std::make_unique<ClusterSim>(o);
    sim_->SetSendObserver([this](size_t from, const core::SendDatagram& d) {
      if (capturing_) captured_.push_back(Captured{from, d});
    });
    sim_->AddNodes(3);
    ASSERT_TRUE(
        sim_->RunUntil([&] { return sim_->Converged(); }, sim_->now() + Duration::Seconds(3)));
  }

  // The next datagram node 0 sends to node 1.
  core::SendDatagram CaptureOne() {
    captured_.clear();
    capturing_ = true;
    sim_->RunUntil(
        [&] {
          for (const auto& c : captured_) {
            if (c.from == 0 && c.datagram.remote == sim_->endpoint(1)) return true;
          }
          return false;
        },
        sim_->now() + Duration::Seconds(2));
    capturing_ = false;
    for (const auto& c : captured_) {
      if (c.from == 0 && c.datagram.remote == sim_->endpoint(1)) return c.datagram;
    }
    ADD_FAILURE() << "node 0 sent nothing to node 1";
    return {};
  }

  uint64_t Dropped(size_t node, const std::string& reason) {
    return sim_->engine(node).metrics().dropped(reason);
  }

  std::unique_ptr<ClusterSim> sim_;
  bool capturing_ = false;
  std::vector<Captured> captured_;
};

TEST_F(SecurityTest, ForgedDatagramDropped) {
  core::SendDatagram d = CaptureOne();
  d.payload[d.payload.size() / 2] ^= 0x40;
  const uint64_t before = Dropped(1, "bad_mac");
  sim_->InjectDatagram(1, sim_->endpoint(0), d.payload);
  EXPECT_EQ(Dropped(1, "bad_mac"), before + 1);
}

TEST_F(SecurityTest, ExactReplayDropped) {
  const core::SendDatagram d = CaptureOne();
  sim_->RunFor(Duration::Milliseconds(5));  // the original has been delivered
  const uint64_t received = sim_->engine(1).metrics().total_received();
  sim_->InjectDatagram(1, sim_->endpoint(0), d.payload);
  EXPECT_EQ(Dropped(1, "replayed"), 1u);
  EXPECT_EQ(sim_->engine(1).metrics().total_received(), received);
}

TEST_F(SecurityTest, SequenceBelowTheWindowDropped) {
  const core::SendDatagram old = CaptureOne();
  sim_->RunFor(Duration::Milliseconds(5));
  // Let node 0 send node 1 far more than a window's worth of datagrams.
  sim_->SetWatched(0, {sim_->name(1).str()});
  sim_->RunFor(Duration::Seconds(30));
  sim_->InjectDatagram(1, sim_->endpoint(0), old.payload);
  EXPECT_EQ(Dropped(1, "too_old"), 1u);
}

TEST_F(SecurityTest, OlderBootDroppedAfterRestart) {
  const core::SendDatagram old = CaptureOne();
  sim_->Restart(0);
  sim_->RunFor(Duration::Seconds(2));  // node 1 hears the new boot
  sim_->InjectDatagram(1, sim_->endpoint(0), old.payload);
  EXPECT_EQ(Dropped(1, "stale_boot"), 1u);
}

TEST_F(SecurityTest, AuthenticatedGarbageDroppedAsMalformed) {
  const wm::MacKey key(ClusterSim::DefaultKey());
  core::Bytes garbage = wm::EncodeMessage(wm::Message{wm::Gossip{}, {}});
  garbage[0] = 0x07;  // unknown message type
  sim_->InjectDatagram(
      1, sim_->endpoint(0),
      wm::Seal(wm::EnvelopeHeader{99, 1, core::NodeName::Parse("intruder").value()}, garbage, key));
  EXPECT_EQ(Dropped(1, "unknown_type"), 1u);
  core::Bytes truncated = wm::EncodeMessage(wm::Message{wm::Gossip{}, {}});
  truncated[0] = 0x01;  // a ping without its probe id and target
  sim_->InjectDatagram(
      1, sim_->endpoint(0),
      wm::Seal(wm::EnvelopeHeader{99, 2, core::NodeName::Parse("intruder").value()}, truncated,
               key));
  EXPECT_EQ(Dropped(1, "truncated"), 1u);
  // Our own name from outside.
  sim_->InjectDatagram(1, sim_->endpoint(0),
                       wm::Seal(wm::EnvelopeHeader{1, 1, sim_->name(1)},
                                wm::EncodeMessage(wm::Message{wm::Gossip{}, {}}), key));
  EXPECT_EQ(Dropped(1, "self_sender"), 1u);
  // Short junk never gets near the MAC check.
  sim_->InjectDatagram(1, sim_->endpoint(0), core::Bytes{1, 2, 3});
  EXPECT_EQ(Dropped(1, "too_short"), 1u);
}

TEST_F(SecurityTest, NodeWithTheWrongKeyNeverJoins) {
  const size_t intruder = sim_->AddNode("intruder", {0}, /*start=*/false);
  sim_->SetKey(intruder, core::Bytes(32, 0x42));
  sim_->Start(intruder);
  sim_->RunFor(Duration::Seconds(5));
  EXPECT_GT(Dropped(0, "bad_mac"), 0u);
  for (size_t i = 0; i < 3; ++i) {
    EXPECT_FALSE(sim_->StateOf(i, intruder).has_value()) << i;
    EXPECT_FALSE(sim_->StateOf(intruder, i).has_value()) << i;
  }
}

TEST_F(SecurityTest, DropsAreReportedAsMetrics) {
  core::SendDatagram d = CaptureOne();
  d.payload.back() ^= 1;
  sim_->InjectDatagram(1, sim_->endpoint(0), d.payload);
  // Metrics are flushed by Advance; take them straight from the engine.
  core::Outbox out;
  sim_->engine(1).Advance(sim_->now(), out);
  bool seen = false;
  for (const core::Action& a : out.actions()) {
    if (const auto* m = std::get_if<core::MetricChanged>(&a)) {
      if (m->name == "vipcast_membership_dropped_total" && !m->labels.empty() &&
          m->labels[0].second == "bad_mac") {
        seen = true;
        EXPECT_EQ(m->value, 1.0);
      }
    }
  }
  EXPECT_TRUE(seen);
}

}  // namespace
}  // namespace vipcast::membership::testing
