// BGP over ns-3 TCP: three cluster nodes (EngineHost running NodeSpeaker
// unchanged) peer eBGP with a router (RouterHost running the engine's
// router role) on the l2-switch LAN. Checks the stream adapter end to end:
// sessions reach Established over ns-3 TCP, the VIP /32 arrives with one
// next hop per node, and a crashed node's next hop goes away after the
// negotiated hold time (ns-3 TCP has no keepalive; BGP's hold timer is what
// notices).
#include <gtest/gtest.h>

#include <memory>
#include <string>
#include <vector>

#include "engine/config/loader.h"
#include "engine/core/node_name.h"
#include "ns3/rng-seed-manager.h"
#include "ns3/simulator.h"
#include "sim/ns3/conversions.h"
#include "sim/ns3/engine_host.h"
#include "sim/ns3/router_host.h"
#include "sim/ns3/speaker_timing.h"
#include "sim/ns3/topology.h"
#include "sim/ns3/world_resources.h"

namespace vipcast::sim::testing {
namespace {

using core::Duration;

constexpr size_t kNodes = 3;
constexpr char kRouterAddress[] = "10.0.0.13";  // the 4th l2-switch host, used as the router

std::string Manifests() {
  return std::string(R"(apiVersion: metallb.io/v1beta1
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
  peerAddress: )") +
         kRouterAddress + R"(
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
}

void RunUntil(Duration at) {
  ns3::Simulator::Stop(ToNs3(at) - ns3::Simulator::Now());
  ns3::Simulator::Run();
}

// The LAN of topology.h with kNodes speakers and the last host as router.
class BgpLan {
 public:
  BgpLan() {
    ns3::RngSeedManager::SetSeed(1);
    ns3::RngSeedManager::SetRun(1);
    TopologyParams params;
    params.kind = "l2-switch";
    params.nodes = kNodes + 1;
    params.clients = 0;
    auto topology = BuildTopology(params, "");
    EXPECT_TRUE(topology.ok()) << (topology.ok() ? "" : topology.error());
    if (!topology.ok()) return;
    topo_ = std::move(topology).value();
    EXPECT_EQ(topo_.hosts.at(kNodes).address, ns3::Ipv4Address(kRouterAddress));

    const config::LoadResult loaded = config::LoadManifests({{"bgp.yaml", Manifests()}});
    for (const auto& d : loaded.diagnostics) ADD_FAILURE() << d.ToString();
    std::vector<std::pair<std::string, core::IpAddr>> nodes;
    for (size_t i = 0; i < kNodes; ++i) {
      nodes.emplace_back(topo_.hosts[i].name, core::IpAddr(FromNs3(topo_.hosts[i].address)));
    }
    std::vector<std::string> names;
    for (const auto& [name, address] : nodes) names.push_back(name);
    view_ = ComputeControllerView(loaded.resources, {{"default/web", names}}, nodes);

    auto timing = ResolveSpeakerTiming("default", {});
    EXPECT_TRUE(timing.ok());
    if (!timing.ok()) return;
    RouterHostOptions router_options;
    router_options.asn = core::Asn(64501);
    router_options.hold_time = Duration::Seconds(3);
    for (size_t i = 0; i < kNodes; ++i) {
      const HostLink& host = topo_.hosts[i];
      router_options.peers.push_back(
          {host.name, nodes[i].second, core::Asn(64500), std::nullopt, std::nullopt, false, {}});
      speaker::NodeSpeakerOptions o;
      o.l2.membership.self = core::NodeName::Parse(host.name).value();
      o.l2.membership.endpoint = {nodes[i].second, 7946};
      for (size_t k = 1; k < kNodes; ++k)
        o.l2.membership.seeds.push_back({nodes[(i + k) % kNodes].second, 7946});
      o.l2.membership.profile = timing.value().membership;
      o.l2.membership.key = core::Bytes(32, 0x5A);
      o.l2.responder.schedule = timing.value().schedule;
      o.bgp.node = host.name;
      ns3::Ptr<EngineHost> engine = ns3::CreateObject<EngineHost>();
      engine->Configure(host.name, std::move(o), 100 + i, host.device, host.address, nullptr,
                        [this](EngineHost& e) {
                          e.Inject(core::ConfigApplied{view_.config});
                          e.Inject(core::NodesChanged{view_.nodes});
                          e.Inject(core::ServicesChanged{view_.services});
                        });
      host.node->AddApplication(engine);
      engine->SetStartTime(ns3::Seconds(0));
      speakers_.push_back(engine);
    }
    const HostLink& r = topo_.hosts[kNodes];
    router_ = ns3::CreateObject<RouterHost>();
    router_->Configure("router-0", std::move(router_options), r.device, r.address);
    r.node->AddApplication(router_);
    router_->SetStartTime(ns3::Seconds(0));
  }
  ~BgpLan() {
    speakers_.clear();
    router_ = nullptr;
    ns3::Simulator::Destroy();
  }

  // Devices detached, engine gone (as Ns3World::Crash).
  void Crash(size_t node) {
    HostLink& host = topo_.hosts[node];
    host.channel->Detach(host.device);
    speakers_[node]->Kill();
  }

  core::Prefix Vip() const {
    auto it = view_.assignments.find("default/web");
    EXPECT_TRUE(it != view_.assignments.end() && !it->second.empty());
    return core::Prefix::Make(it->second.front(), 32).value();
  }
  RouterHost& router() { return *router_; }
  EngineHost& speaker(size_t i) { return *speakers_[i]; }

 private:
  Topology topo_;
  ControllerView view_;
  std::vector<ns3::Ptr<EngineHost>> speakers_;
  ns3::Ptr<RouterHost> router_;
};

TEST(WorldBgpTest, SessionsEstablishAndTheVipHasOneNextHopPerNode) {
  BgpLan lan;
  RunUntil(Duration::Seconds(10));
  EXPECT_EQ(lan.router().EstablishedSessions(), kNodes);
  EXPECT_EQ(lan.router().Routes(lan.Vip()),
            (std::vector<std::string>{"node-0", "node-1", "node-2"}));
}

TEST(WorldBgpTest, ACrashedNodesNextHopGoesAfterTheHoldTime) {
  BgpLan lan;
  RunUntil(Duration::Seconds(10));
  ASSERT_EQ(lan.router().Routes(lan.Vip()).size(), kNodes);
  const core::TimePoint crash = SimNow();
  lan.Crash(1);
  // Negotiated hold time 3 s (RFC 4271 4.2: the smaller of the two OPENs').
  RunUntil(Duration::Seconds(10) + Duration::Milliseconds(1500));
  EXPECT_EQ(lan.router().Routes(lan.Vip()).size(), kNodes) << "withdrawn before the hold time";
  RunUntil(Duration::Seconds(14));
  EXPECT_EQ(lan.router().Routes(lan.Vip()), (std::vector<std::string>{"node-0", "node-2"}));
  EXPECT_EQ(lan.router().EstablishedSessions(), kNodes - 1);
  // The withdrawal came from the hold timer: between 2 and 3 s after the
  // crash (the last KEEPALIVE arrived up to hold/3 before it).
  const auto& log = lan.router().route_log();
  ASSERT_FALSE(log.empty());
  const Duration after = log.back().first - crash;
  EXPECT_GE(after, Duration::Seconds(2));
  EXPECT_LE(after, Duration::Seconds(3));
}

TEST(WorldBgpTest, AKilledSpeakerClosesItsStreamsAndRebootsIntoANewSession) {
  BgpLan lan;
  RunUntil(Duration::Seconds(10));
  ASSERT_EQ(lan.router().EstablishedSessions(), kNodes);
  // Engine gone, host up: its sockets are closed (FIN), so the router sees
  // the session end at once, well before the hold time.
  lan.speaker(0).Kill();
  RunUntil(Duration::Seconds(10) + Duration::Milliseconds(500));
  EXPECT_EQ(lan.router().EstablishedSessions(), kNodes - 1);
  EXPECT_EQ(lan.router().Routes(lan.Vip()), (std::vector<std::string>{"node-1", "node-2"}));
  lan.speaker(0).Boot();
  RunUntil(Duration::Seconds(20));
  EXPECT_EQ(lan.router().EstablishedSessions(), kNodes);
  EXPECT_EQ(lan.router().Routes(lan.Vip()).size(), kNodes);
}

}  // namespace
}  // namespace vipcast::sim::testing
