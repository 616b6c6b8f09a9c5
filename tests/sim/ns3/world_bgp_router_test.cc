// The bgp-router topology through the World: three speakers peer eBGP with
// router-0, the client behind router-0 reaches the VIP through the
// router's BGP-learned ECMP FIB, and the World reports sessions, routes and
// faults (node crash detected by the hold time, router restart, router
// crash) as the runner's expectations need them.
#include <gtest/gtest.h>

#include <algorithm>
#include <array>
#include <map>
#include <memory>
#include <set>
#include <string>
#include <vector>

#include "engine/config/loader.h"
#include "ns3/ipv4-header.h"
#include "sim/ns3/ecmp_fib_routing.h"
#include "sim/ns3/world.h"
#include "tests/sim/ns3/spec_world.h"

namespace vipcast::sim::testing {
namespace {

using core::Duration;
using Kind = TimelineEvent::Kind;

constexpr char kManifests[] = R"(apiVersion: metallb.io/v1beta1
kind: IPAddressPool
metadata: {name: pool, namespace: metallb-system}
spec:
  addresses: [192.168.1.240-192.168.1.250]
---
apiVersion: metallb.io/v1beta2
kind: BGPPeer
metadata: {name: router-0, namespace: metallb-system}
spec:
  myASN: 64500
  peerASN: 64501
  peerAddress: 10.0.0.1
  holdTime: 3s
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

std::unique_ptr<World> MakeBgpWorld() {
  WorldOptions options;
  options.topology.kind = "bgp-router";
  options.topology.nodes = 3;
  options.topology.clients = 1;
  options.topology.routers = 1;
  auto built = World::Build(options);
  EXPECT_TRUE(built.ok()) << (built.ok() ? "" : built.error());
  if (!built.ok()) return nullptr;
  std::unique_ptr<World> world = std::move(built).value();
  const config::LoadResult loaded = config::LoadManifests({{"bgp.yaml", kManifests}});
  for (const auto& d : loaded.diagnostics) ADD_FAILURE() << d.ToString();
  world->ApplyResources(loaded.resources);
  world->SetEndpoints({{kWeb, {"node-0", "node-1", "node-2"}}});
  Probe probe;
  probe.name = "probe";
  probe.from = "client-0";
  probe.service = kWeb;
  probe.every = Duration::Milliseconds(10);
  EXPECT_TRUE(world->AddProbe(probe).ok());
  return world;
}

std::vector<std::string> All() { return {"node-0", "node-1", "node-2"}; }

TEST(Ns3WorldBgpRouterTest, HostsAreNamedAndTheRouterIsNotASpeaker) {
  std::unique_ptr<World> world = MakeBgpWorld();
  ASSERT_NE(world, nullptr);
  EXPECT_EQ(world->Hosts(),
            (std::vector<std::string>{"node-0", "node-1", "node-2", "client-0", "router-0"}));
  EXPECT_FALSE(world->LiveMembers("router-0").has_value());
  EXPECT_FALSE(world->SpeakerKill("router-0").ok());
  EXPECT_FALSE(world->RouterRestart("node-0").ok());
}

TEST(Ns3WorldBgpRouterTest, ClientBehindTheRouterReachesTheVipOverEcmp) {
  std::unique_ptr<World> world = MakeBgpWorld();
  ASSERT_NE(world, nullptr);
  world->RunUntil(At(Duration::Seconds(5)));
  EXPECT_EQ(world->BgpSessionsEstablished("router-0"), 3u);
  EXPECT_EQ(world->Routes("router-0", kVip32), All());
  const auto& t = world->Timeline();
  // The route appeared in the timeline, and the client's probes were
  // answered through the router by one node (one flow, one next hop).
  EXPECT_TRUE(std::any_of(t.begin(), t.end(), [](const TimelineEvent& e) {
    return e.kind == Kind::kRoute && e.host == "router-0" && e.service == "192.168.1.240/32" &&
           e.detail == "node-0,node-1,node-2";
  }));
  const std::string answerer = LastAnswerer(t, At(Duration::Seconds(5)));
  EXPECT_NE(answerer, "");
  EXPECT_LT(LongestSilence(t, At(Duration::Seconds(2)), At(Duration::Seconds(5))),
            Duration::Milliseconds(50));
  std::set<std::string> answerers;
  for (const TimelineEvent& e : t) {
    if (e.kind == Kind::kProbeAnswered) answerers.insert(e.host);
  }
  EXPECT_EQ(answerers, std::set<std::string>{answerer});
}

TEST(Ns3WorldBgpRouterTest, CrashedNodeLeavesTheEcmpSetAfterTheHoldTime) {
  std::unique_ptr<World> world = MakeBgpWorld();
  ASSERT_NE(world, nullptr);
  world->RunUntil(At(Duration::Seconds(5)));
  const std::string victim = LastAnswerer(world->Timeline(), At(Duration::Seconds(5)));
  ASSERT_NE(victim, "");
  ASSERT_TRUE(world->Crash(victim).ok());
  // Within the 3 s hold time the route still points at the dead node.
  world->RunUntil(At(Duration::Seconds(7)));
  EXPECT_EQ(world->Routes("router-0", kVip32).size(), 3u);
  world->RunUntil(At(Duration::Seconds(12)));
  std::vector<std::string> rest = All();
  rest.erase(std::find(rest.begin(), rest.end(), victim));
  EXPECT_EQ(world->Routes("router-0", kVip32), rest);
  EXPECT_EQ(world->BgpSessionsEstablished("router-0"), 2u);
  const auto& t = world->Timeline();
  // The outage is the hold time (3 s, the router's hold timer started at the
  // last keepalive, so 2-3 s after the crash), then another node answers.
  const Duration silence = LongestSilence(t, At(Duration::Seconds(5)), At(Duration::Seconds(12)));
  EXPECT_GT(silence, Duration::Seconds(2));
  EXPECT_LT(silence, Duration::Milliseconds(3500));
  const std::string now = LastAnswerer(t, At(Duration::Seconds(12)));
  EXPECT_NE(now, victim);
  EXPECT_NE(now, "");
}

TEST(Ns3WorldBgpRouterTest, RouterRestartDropsAndRelearnsEveryRoute) {
  std::unique_ptr<World> world = MakeBgpWorld();
  ASSERT_NE(world, nullptr);
  world->RunUntil(At(Duration::Seconds(5)));
  ASSERT_TRUE(world->RouterRestart("router-0").ok());
  EXPECT_EQ(world->BgpSessionsEstablished("router-0"), 0u);
  EXPECT_TRUE(world->Routes("router-0", kVip32).empty());
  // The speakers notice the dead sessions (their connections are reset by
  // the restarted router's TCP, or time out) and reconnect within their
  // connect-retry backoff.
  world->RunUntil(At(Duration::Seconds(30)));
  EXPECT_EQ(world->BgpSessionsEstablished("router-0"), 3u);
  EXPECT_EQ(world->Routes("router-0", kVip32), All());
  const auto& t = world->Timeline();
  size_t down = 0;
  for (const TimelineEvent& e : t) {
    if (e.kind == Kind::kSession && e.host == "router-0" &&
        e.detail.find("Established->Idle router down") != std::string::npos) {
      ++down;
    }
  }
  EXPECT_EQ(down, 3u);
  EXPECT_EQ(LastAnswerer(t, At(Duration::Seconds(30))) != "", true);
}

TEST(Ns3WorldBgpRouterTest, CrashedRouterCutsTheClientsOffUntilItRecovers) {
  std::unique_ptr<World> world = MakeBgpWorld();
  ASSERT_NE(world, nullptr);
  world->RunUntil(At(Duration::Seconds(5)));
  ASSERT_TRUE(world->Crash("router-0").ok());
  world->RunUntil(At(Duration::Seconds(8)));
  const auto& t = world->Timeline();
  EXPECT_GE(LongestSilence(t, At(Duration::Seconds(5)), At(Duration::Seconds(8))),
            Duration::Milliseconds(2900));
  ASSERT_TRUE(world->Recover("router-0").ok());
  world->RunUntil(At(Duration::Seconds(40)));
  EXPECT_EQ(world->BgpSessionsEstablished("router-0"), 3u);
  EXPECT_NE(LastAnswerer(t, At(Duration::Seconds(40))), "");
}

// Per-flow ECMP: one flow always takes one next hop; many flows spread
// over all of them.
TEST(EcmpFibRoutingTest, FlowsStickToOneNextHopAndSpreadOverAll) {
  ns3::Ptr<EcmpFibRouting> fib = ns3::CreateObject<EcmpFibRouting>();
  fib->SetRoute(ns3::Ipv4Address("192.168.1.0"), 24,
                {ns3::Ipv4Address("10.0.0.12"), ns3::Ipv4Address("10.0.0.10"),
                 ns3::Ipv4Address("10.0.0.11")});
  fib->SetRoute(ns3::Ipv4Address("192.168.1.240"), 32, {ns3::Ipv4Address("10.0.0.13")});
  ns3::Ipv4Header h;
  h.SetSource(ns3::Ipv4Address("10.1.0.10"));
  h.SetProtocol(17);
  h.SetDestination(ns3::Ipv4Address("192.168.1.240"));
  std::array<uint8_t, 4> ports{0xc0, 0x00, 0x00, 0x50};
  EXPECT_EQ(fib->NextHopFor(h, ports.data(), 4), ns3::Ipv4Address("10.0.0.13"));  // longest match
  h.SetDestination(ns3::Ipv4Address("192.168.1.7"));
  const ns3::Ipv4Address first = fib->NextHopFor(h, ports.data(), 4);
  for (int i = 0; i < 10; ++i) EXPECT_EQ(fib->NextHopFor(h, ports.data(), 4), first);
  std::map<uint32_t, int> per_hop;
  for (int port = 0; port < 3000; ++port) {
    ports[0] = static_cast<uint8_t>(port >> 8);
    ports[1] = static_cast<uint8_t>(port);
    ++per_hop[fib->NextHopFor(h, ports.data(), 4).Get()];
  }
  ASSERT_EQ(per_hop.size(), 3u);
  for (const auto& [hop, n] : per_hop) EXPECT_GT(n, 800) << ns3::Ipv4Address(hop);
  h.SetDestination(ns3::Ipv4Address("192.168.2.1"));
  EXPECT_EQ(fib->NextHopFor(h, ports.data(), 4), ns3::Ipv4Address::GetAny());
  fib->SetRoute(ns3::Ipv4Address("192.168.1.0"), 24, {});
  h.SetDestination(ns3::Ipv4Address("192.168.1.7"));
  EXPECT_EQ(fib->NextHopFor(h, ports.data(), 4), ns3::Ipv4Address::GetAny());
  EXPECT_EQ(fib->size(), 1u);
}

}  // namespace
}  // namespace vipcast::sim::testing
