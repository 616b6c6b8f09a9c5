// Membership engines on the shared deterministic harness (tests/harness),
// the runtime other engine tests use: a 5-node cluster forms, a crash of a
// watched node is reported as SessionStateChanged within the profile's bound
// and a graceful leave is reported as "left".
#include "tests/harness/harness.h"

#include <gtest/gtest.h>

#include <memory>
#include <string>
#include <vector>

#include "engine/membership/membership.h"
#include "tests/unit/membership/cluster_sim.h"

namespace vipcast::membership {
namespace {

using core::Duration;
using core::TimePoint;
using harness::Harness;
using harness::NodeId;

core::Endpoint EndpointOf(size_t i) {
  return core::Endpoint{core::Ipv4Addr::FromOctets(10, 0, 0, static_cast<uint8_t>(10 + i)), 7946};
}

class HarnessCluster {
 public:
  explicit HarnessCluster(size_t n) : h_(harness::HarnessOptions{.seed = 5}) {
    harness::LinkModel lan;
    lan.delay = Duration::Microseconds(200);
    lan.jitter = Duration::Microseconds(100);
    h_.SetLinkModel("lan", lan);
    for (size_t i = 0; i < n; ++i) {
      const std::string name = "node-" + std::to_string(i);
      ids_.push_back(h_.AddNode(harness::NodeSpec{
          name,
          {harness::InterfaceSpec{"eth0",
                                  core::MacAddr({2, 0, 0, 0, 0, static_cast<uint8_t>(i + 1)}),
                                  {EndpointOf(i).address},
                                  "lan",
                                  true}}}));
      MembershipConfig c;
      c.self = core::NodeName::Parse(name).value();
      c.endpoint = EndpointOf(i);
      if (i > 0) c.seeds = {EndpointOf(0)};
      c.key = testing::ClusterSim::DefaultKey();
      engines_.push_back(std::make_unique<Membership>(c, h_.rng(ids_.back())));
      h_.Start(ids_.back(), engines_.back().get());
    }
  }

  bool AllSeeAllAlive() const {
    for (size_t i = 0; i < engines_.size(); ++i) {
      if (!h_.running(ids_[i])) continue;
      for (const MemberView& m : engines_[i]->Members()) {
        if (m.state != MemberState::kAlive) return false;
      }
      if (engines_[i]->Members().size() != engines_.size()) return false;
    }
    return true;
  }

  Harness& h() { return h_; }
  NodeId id(size_t i) const { return ids_[i]; }
  Membership& engine(size_t i) { return *engines_[i]; }

  // When node `observer` first reported `peer` going to `to`, from the trace.
  std::optional<TimePoint> Reported(size_t observer, size_t peer, const std::string& to) const {
    for (const auto& e : h_.trace().entries()) {
      if (e.node != ids_[observer]) continue;
      const auto* s = std::get_if<core::SessionStateChanged>(&e.fact);
      if (s != nullptr && s->protocol == "membership" &&
          s->peer == "node-" + std::to_string(peer) && s->to == to) {
        return e.at;
      }
    }
    return std::nullopt;
  }

 private:
  Harness h_;
  std::vector<NodeId> ids_;
  std::vector<std::unique_ptr<Membership>> engines_;
};

TEST(MembershipOnHarness, FormsDetectsAndLeaves) {
  HarnessCluster c(5);
  ASSERT_TRUE(
      c.h().RunUntil([&] { return c.AllSeeAllAlive(); }, c.h().now() + Duration::Seconds(3)));
  c.engine(3).SetWatched({core::NodeName::Parse("node-4").value()});
  c.h().RunFor(Duration::Milliseconds(1234));
  const TimePoint crash = c.h().now();
  c.h().Crash(c.id(4));
  c.h().RunFor(Duration::Seconds(2));
  auto dead = c.Reported(3, 4, "dead");
  ASSERT_TRUE(dead.has_value());
  EXPECT_LE(*dead - crash, WatchedDetectionBound(DefaultProfile(), 5));
  for (size_t i = 0; i < 4; ++i) EXPECT_TRUE(c.Reported(i, 4, "dead").has_value()) << i;

  core::Outbox out;
  c.h().Inject(c.id(2), core::ShutdownRequested{});  // graceful leave
  c.h().RunFor(Duration::Seconds(1));
  for (size_t i : {0u, 1u, 3u}) {
    EXPECT_TRUE(c.Reported(i, 2, "left").has_value()) << i;
    EXPECT_FALSE(c.Reported(i, 2, "dead").has_value()) << i;
  }
  EXPECT_TRUE(c.h().violations().empty());
}

}  // namespace
}  // namespace vipcast::membership
