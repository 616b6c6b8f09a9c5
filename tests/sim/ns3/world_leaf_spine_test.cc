// The leaf-spine topology through the World: nodes peer eBGP with their
// own leaf (one BGPPeer per leaf with nodeSelectors), leaves connect to both
// spines and advertise the VIP and their subnet with themselves as next
// hop, spine-0 spreads client flows over the leaves per flow (ECMP), and a
// crashed leaf leaves spine-0's ECMP set at fabric hold time expiry, its
// flows moving to the other leaf's nodes.
#include <gtest/gtest.h>

#include <algorithm>
#include <map>
#include <memory>
#include <set>
#include <string>
#include <vector>

#include "engine/config/loader.h"
#include "sim/ns3/world.h"
#include "tests/sim/ns3/spec_world.h"

namespace vipcast::sim::testing {
namespace {

using core::Duration;
using Kind = TimelineEvent::Kind;

// As sim/scenarios/manifests/leaf-spine.yaml, with the Service.
constexpr char kManifests[] = R"(apiVersion: metallb.io/v1beta1
kind: IPAddressPool
metadata: {name: pool, namespace: metallb-system}
spec:
  addresses: [192.168.1.240-192.168.1.250]
---
apiVersion: metallb.io/v1beta2
kind: BGPPeer
metadata: {name: leaf-0, namespace: metallb-system}
spec:
  myASN: 64500
  peerASN: 64502
  peerAddress: 10.0.0.1
  holdTime: 9s
  nodeSelectors:
    - matchExpressions:
        - {key: kubernetes.io/hostname, operator: In, values: [node-0, node-1]}
---
apiVersion: metallb.io/v1beta2
kind: BGPPeer
metadata: {name: leaf-1, namespace: metallb-system}
spec:
  myASN: 64500
  peerASN: 64503
  peerAddress: 10.0.1.1
  holdTime: 9s
  nodeSelectors:
    - matchExpressions:
        - {key: kubernetes.io/hostname, operator: In, values: [node-2, node-3]}
---
apiVersion: metallb.io/v1beta1
kind: BGPAdvertisement
metadata: {name: bgp, namespace: metallb-system}
---
apiVersion: v1
kind: Service
metadata: {name: web, namespace: default}
spec:
  type: LoadBalancer
  externalTrafficPolicy: Cluster
  ports: [{port: 80, protocol: TCP}]
)";

const core::Prefix kVip32 = core::Prefix::Parse("192.168.1.240/32").value();
constexpr size_t kClients = 8;
const std::set<std::string> kLeaf0Nodes{"node-0", "node-1"};
const std::set<std::string> kLeaf1Nodes{"node-2", "node-3"};

std::string ProbeName(size_t c) { return "probe-" + std::to_string(c); }

std::unique_ptr<World> MakeLeafSpineWorld() {
  WorldOptions options;
  options.topology.kind = "leaf-spine";
  options.topology.spines = 2;
  options.topology.leaves = 2;
  options.topology.nodes_per_leaf = 2;
  options.topology.nodes = 4;  // as CheckParams sets it
  options.topology.clients = kClients;
  options.topology.router_asn = 64501;
  auto built = World::Build(options);
  EXPECT_TRUE(built.ok()) << (built.ok() ? "" : built.error());
  if (!built.ok()) return nullptr;
  std::unique_ptr<World> world = std::move(built).value();
  const config::LoadResult loaded = config::LoadManifests({{"leaf-spine.yaml", kManifests}});
  for (const auto& d : loaded.diagnostics) ADD_FAILURE() << d.ToString();
  world->ApplyResources(loaded.resources);
  world->SetEndpoints({{kWeb, {"node-0", "node-1", "node-2", "node-3"}}});
  for (size_t c = 0; c < kClients; ++c) {
    Probe probe;
    probe.name = ProbeName(c);
    probe.from = "client-" + std::to_string(c);
    probe.service = kWeb;
    probe.every = Duration::Milliseconds(10);
    EXPECT_TRUE(world->AddProbe(probe).ok());
  }
  return world;
}

// Who answered `probe` in [from, to).
std::set<std::string> Answerers(const std::vector<TimelineEvent>& t, const std::string& probe,
                                core::TimePoint from, core::TimePoint to) {
  std::set<std::string> out;
  for (const TimelineEvent& e : t) {
    if (e.kind == Kind::kProbeAnswered && e.detail == probe && e.at >= from && e.at < to) {
      out.insert(e.host);
    }
  }
  return out;
}

// Longest time in [from, to] without an answer to `probe`.
Duration ProbeSilence(const std::vector<TimelineEvent>& t, const std::string& probe,
                      core::TimePoint from, core::TimePoint to) {
  core::TimePoint last = from;
  Duration longest = Duration::Zero();
  for (const TimelineEvent& e : t) {
    if (e.kind != Kind::kProbeAnswered || e.detail != probe || e.at < from || e.at > to) continue;
    longest = std::max(longest, e.at - last);
    last = e.at;
  }
  return std::max(longest, to - last);
}

bool Within(const std::set<std::string>& hosts, const std::set<std::string>& allowed) {
  for (const std::string& h : hosts) {
    if (allowed.count(h) == 0) return false;
  }
  return true;
}

TEST(Ns3WorldLeafSpineTest, HostsAreNodesClientsSpinesThenLeaves) {
  std::unique_ptr<World> world = MakeLeafSpineWorld();
  ASSERT_NE(world, nullptr);
  const std::vector<std::string> hosts = world->Hosts();
  ASSERT_EQ(hosts.size(), 4 + kClients + 2 + 2);
  EXPECT_EQ(hosts[0], "node-0");
  EXPECT_EQ(hosts[3], "node-3");
  EXPECT_EQ(hosts[4], "client-0");
  EXPECT_EQ(hosts[4 + kClients], "spine-0");
  EXPECT_EQ(hosts[4 + kClients + 2], "leaf-0");
  EXPECT_EQ(hosts.back(), "leaf-1");
  EXPECT_FALSE(world->LiveMembers("leaf-0").has_value());
  EXPECT_FALSE(world->SpeakerKill("leaf-0").ok());
  EXPECT_FALSE(world->RouterRestart("node-0").ok());
  // A restart before the routers' applications started is harmless: they
  // boot when they start.
  EXPECT_TRUE(world->RouterRestart("spine-1").ok());
  world->RunUntil(At(Duration::Seconds(3)));
  EXPECT_EQ(world->BgpSessionsEstablished("spine-1"), 2u);
}

TEST(Ns3WorldLeafSpineTest, FabricConvergesAndSpreadsFlowsOverBothLeaves) {
  std::unique_ptr<World> world = MakeLeafSpineWorld();
  ASSERT_NE(world, nullptr);
  world->RunUntil(At(Duration::Seconds(6)));
  // Each leaf: its two nodes and both spines; each spine: both leaves.
  EXPECT_EQ(world->BgpSessionsEstablished("leaf-0"), 4u);
  EXPECT_EQ(world->BgpSessionsEstablished("leaf-1"), 4u);
  EXPECT_EQ(world->BgpSessionsEstablished("spine-0"), 2u);
  EXPECT_EQ(world->BgpSessionsEstablished("spine-1"), 2u);
  // A leaf learns the VIP from its own nodes only (nodeSelectors).
  EXPECT_EQ(world->Routes("leaf-0", kVip32), (std::vector<std::string>{"node-0", "node-1"}));
  EXPECT_EQ(world->Routes("leaf-1", kVip32), (std::vector<std::string>{"node-2", "node-3"}));
  // The spines learn it from both leaves (ECMP over different neighbour
  // ASes with equal AS_PATH length), and each leaf's subnet from it.
  const std::vector<std::string> both{"leaf-0", "leaf-1"};
  EXPECT_EQ(world->Routes("spine-0", kVip32), both);
  EXPECT_EQ(world->Routes("spine-1", kVip32), both);
  EXPECT_EQ(world->Routes("spine-0", core::Prefix::Parse("10.0.1.0/24").value()),
            std::vector<std::string>{"leaf-1"});
  const auto& t = world->Timeline();
  EXPECT_TRUE(std::any_of(t.begin(), t.end(), [](const TimelineEvent& e) {
    return e.kind == Kind::kRoute && e.host == "spine-0" && e.service == "192.168.1.240/32" &&
           e.detail == "leaf-0,leaf-1";
  }));
  // Every flow is answered, by one node (per-flow ECMP at both tiers), and
  // the flows reach nodes under both leaves.
  std::set<std::string> all;
  for (size_t c = 0; c < kClients; ++c) {
    const std::set<std::string> who =
        Answerers(t, ProbeName(c), At(Duration::Seconds(3)), At(Duration::Seconds(6)));
    EXPECT_EQ(who.size(), 1u) << ProbeName(c);
    EXPECT_LT(ProbeSilence(t, ProbeName(c), At(Duration::Seconds(3)), At(Duration::Seconds(6))),
              Duration::Milliseconds(50))
        << ProbeName(c);
    all.insert(who.begin(), who.end());
  }
  bool via_leaf0 = false, via_leaf1 = false;
  for (const std::string& node : all) {
    via_leaf0 |= kLeaf0Nodes.count(node) != 0;
    via_leaf1 |= kLeaf1Nodes.count(node) != 0;
  }
  EXPECT_TRUE(via_leaf0);
  EXPECT_TRUE(via_leaf1);
}

TEST(Ns3WorldLeafSpineTest, CrashedLeafLeavesTheSpinesEcmpSetAndItsFlowsMove) {
  std::unique_ptr<World> world = MakeLeafSpineWorld();
  ASSERT_NE(world, nullptr);
  world->RunUntil(At(Duration::Seconds(6)));
  const auto before = [&](size_t c) {
    return Answerers(world->Timeline(), ProbeName(c), At(Duration::Seconds(3)),
                     At(Duration::Seconds(6)));
  };
  std::vector<bool> via_leaf0(kClients);
  for (size_t c = 0; c < kClients; ++c) via_leaf0[c] = Within(before(c), kLeaf0Nodes);
  // Some flows went through leaf-0 and some did not (else this tests less).
  EXPECT_NE(std::count(via_leaf0.begin(), via_leaf0.end(), true), 0);
  EXPECT_NE(std::count(via_leaf0.begin(), via_leaf0.end(), false), 0);
  ASSERT_TRUE(world->Crash("leaf-0").ok());
  // Fabric hold time 3 s: still both until then.
  world->RunUntil(At(Duration::Seconds(8)));
  EXPECT_EQ(world->Routes("spine-0", kVip32), (std::vector<std::string>{"leaf-0", "leaf-1"}));
  world->RunUntil(At(Duration::Seconds(12)));
  EXPECT_EQ(world->Routes("spine-0", kVip32), std::vector<std::string>{"leaf-1"});
  EXPECT_EQ(world->Routes("spine-1", kVip32), std::vector<std::string>{"leaf-1"});
  EXPECT_EQ(world->BgpSessionsEstablished("spine-0"), 1u);
  EXPECT_EQ(world->BgpSessionsEstablished("leaf-0"), 0u);
  EXPECT_TRUE(world->Routes("leaf-0", kVip32).empty());
  const auto& t = world->Timeline();
  for (size_t c = 0; c < kClients; ++c) {
    // After detection every flow is served under leaf-1.
    const std::set<std::string> after =
        Answerers(t, ProbeName(c), At(Duration::Seconds(10)), At(Duration::Seconds(12)));
    EXPECT_FALSE(after.empty()) << ProbeName(c);
    EXPECT_TRUE(Within(after, kLeaf1Nodes)) << ProbeName(c);
    const Duration silence =
        ProbeSilence(t, ProbeName(c), At(Duration::Seconds(5)), At(Duration::Seconds(12)));
    if (via_leaf0[c]) {
      // Cut from the crash to the hold time expiry (3 s, keepalives 1 s).
      EXPECT_GT(silence, Duration::Milliseconds(1500)) << ProbeName(c);
      EXPECT_LT(silence, Duration::Milliseconds(3500)) << ProbeName(c);
    } else {
      EXPECT_LT(silence, Duration::Milliseconds(50)) << ProbeName(c);
    }
  }
}

TEST(Ns3WorldLeafSpineTest, RecoveredLeafRejoinsTheEcmpSet) {
  std::unique_ptr<World> world = MakeLeafSpineWorld();
  ASSERT_NE(world, nullptr);
  world->RunUntil(At(Duration::Seconds(5)));
  ASSERT_TRUE(world->Crash("leaf-0").ok());
  world->RunUntil(At(Duration::Seconds(10)));
  ASSERT_EQ(world->Routes("spine-0", kVip32), std::vector<std::string>{"leaf-1"});
  ASSERT_TRUE(world->Recover("leaf-0").ok());
  world->RunUntil(At(Duration::Seconds(40)));
  EXPECT_EQ(world->BgpSessionsEstablished("leaf-0"), 4u);
  EXPECT_EQ(world->Routes("spine-0", kVip32), (std::vector<std::string>{"leaf-0", "leaf-1"}));
}

}  // namespace
}  // namespace vipcast::sim::testing
