// The fault operations of sim/ns3's World on the spec example's cluster:
// what the speakers and the client see after each one.
#include <gtest/gtest.h>
#include <unistd.h>

#include <algorithm>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
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

std::string OwnerAt(World& world, Duration at) {
  world.RunUntil(At(at));
  const std::set<std::string> owners = world.Announcers(kWeb);
  EXPECT_EQ(owners.size(), 1u);
  return owners.empty() ? "" : *owners.begin();
}

TEST(Ns3WorldFaultsTest, SpeakerStopHandsOverWithoutFailureDetection) {
  std::unique_ptr<World> world = MakeSpecWorld(SpecOptions());
  ASSERT_NE(world, nullptr);
  const std::string owner = OwnerAt(*world, Duration::Seconds(10));
  ASSERT_TRUE(world->SpeakerStop(owner).ok());
  const std::string next = OwnerAt(*world, Duration::Seconds(15));
  EXPECT_NE(next, owner);
  const auto& t = world->Timeline();
  // The stopped speaker withdrew ("shutdown"), and the client moved on
  // faster than failure detection would allow.
  EXPECT_TRUE(std::any_of(t.begin(), t.end(), [&](const TimelineEvent& e) {
    return e.kind == Kind::kVipWithdrawn && e.host == owner && e.detail == "shutdown";
  }));
  EXPECT_LT(LongestSilence(t, At(Duration::Seconds(9)), At(Duration::Seconds(15))),
            Duration::Milliseconds(200));
  EXPECT_EQ(LastAnswerer(t, At(Duration::Seconds(15))), next);
}

TEST(Ns3WorldFaultsTest, SpeakerKillLeavesTheHostServingUntilTheClientMoves) {
  std::unique_ptr<World> world = MakeSpecWorld(SpecOptions());
  ASSERT_NE(world, nullptr);
  const std::string owner = OwnerAt(*world, Duration::Seconds(10));
  ASSERT_TRUE(world->SpeakerKill(owner).ok());
  EXPECT_FALSE(world->SpeakerKill(owner).ok());  // nothing left to kill
  const std::string next = OwnerAt(*world, Duration::Seconds(15));
  EXPECT_NE(next, owner);
  const auto& t = world->Timeline();
  // The host stayed up: the client never lost service, first answered by
  // the old host (kube-proxy still runs there), then by the new owner.
  EXPECT_LT(LongestSilence(t, At(Duration::Seconds(9)), At(Duration::Seconds(15))),
            Duration::Milliseconds(100));
  EXPECT_EQ(LastAnswerer(t, At(Duration::Milliseconds(10'050))), owner);
  EXPECT_EQ(LastAnswerer(t, At(Duration::Seconds(15))), next);
}

// On a host that stayed up, recover restarts a killed speaker (the
// DaemonSet restarting its pod): it rejoins the membership.
TEST(Ns3WorldFaultsTest, RecoverRestartsAKilledSpeaker) {
  std::unique_ptr<World> world = MakeSpecWorld(SpecOptions());
  ASSERT_NE(world, nullptr);
  const std::string owner = OwnerAt(*world, Duration::Seconds(10));
  ASSERT_TRUE(world->SpeakerKill(owner).ok());
  EXPECT_FALSE(world->LiveMembers(owner).has_value());
  world->RunUntil(At(Duration::Seconds(12)));
  ASSERT_TRUE(world->Recover(owner).ok());
  EXPECT_FALSE(world->Recover(owner).ok());  // its speaker runs again
  world->RunUntil(At(Duration::Seconds(20)));
  const auto live = world->LiveMembers(owner);
  ASSERT_TRUE(live.has_value());
  EXPECT_EQ(live->size(), 3u);
  EXPECT_EQ(world->Announcers(kWeb).size(), 1u);
}

TEST(Ns3WorldFaultsTest, CrashedNodeRecoversWithAFreshEngine) {
  std::unique_ptr<World> world = MakeSpecWorld(SpecOptions());
  ASSERT_NE(world, nullptr);
  const std::string owner = OwnerAt(*world, Duration::Seconds(10));
  ASSERT_TRUE(world->Crash(owner).ok());
  EXPECT_FALSE(world->Crash(owner).ok());
  const std::string next = OwnerAt(*world, Duration::Seconds(15));
  ASSERT_TRUE(world->Recover(owner).ok());
  world->RunUntil(At(Duration::Seconds(25)));
  // Back in the cluster (it gossips again), one announcer, client served.
  EXPECT_EQ(world->Announcers(kWeb).size(), 1u);
  const auto& t = world->Timeline();
  EXPECT_TRUE(std::any_of(t.begin(), t.end(), [&](const TimelineEvent& e) {
    return e.kind == Kind::kFault && e.detail == "recover " + owner;
  }));
  EXPECT_LT(LongestSilence(t, At(Duration::Seconds(16)), At(Duration::Seconds(25))),
            Duration::Seconds(1));
}

TEST(Ns3WorldFaultsTest, LinkDownIsolatesTheAnnouncerUntilLinkUp) {
  std::unique_ptr<World> world = MakeSpecWorld(SpecOptions());
  ASSERT_NE(world, nullptr);
  const std::string owner = OwnerAt(*world, Duration::Seconds(10));
  ASSERT_TRUE(world->LinkDown(owner).ok());
  world->RunUntil(At(Duration::Seconds(15)));
  // The isolated node still believes it owns the VIP; the others elected
  // a new owner, which the client follows.
  const std::set<std::string> both = world->Announcers(kWeb);
  EXPECT_EQ(both.size(), 2u);
  EXPECT_EQ(both.count(owner), 1u);
  const std::string client_side = LastAnswerer(world->Timeline(), At(Duration::Seconds(15)));
  EXPECT_NE(client_side, owner);
  EXPECT_EQ(both.count(client_side), 1u);
  ASSERT_TRUE(world->LinkUp(owner).ok());
  world->RunUntil(At(Duration::Seconds(30)));
  EXPECT_EQ(world->Announcers(kWeb).size(), 1u);
}

// Round trip of every probe sent in [from, to): seq -> answer - send
// (probes lost are missing).
std::map<uint64_t, Duration> RoundTrips(const std::vector<TimelineEvent>& t, core::TimePoint from,
                                        core::TimePoint to) {
  std::map<uint64_t, core::TimePoint> sent;
  std::map<uint64_t, Duration> out;
  for (const TimelineEvent& e : t) {
    if (e.kind == Kind::kProbeSent && e.at >= from && e.at < to) sent[e.seq] = e.at;
    if (e.kind == Kind::kProbeAnswered && sent.count(e.seq) != 0) out[e.seq] = e.at - sent[e.seq];
  }
  return out;
}

// A delay fault holds frames back on the announcer's link without
// capping its rate: every probe still answered, each 2 x 20 ms later.
TEST(Ns3WorldFaultsTest, DelayAddsLatencyBothWaysWithoutLosingFrames) {
  std::unique_ptr<World> world = MakeSpecWorld(SpecOptions());
  ASSERT_NE(world, nullptr);
  const std::string owner = OwnerAt(*world, Duration::Seconds(10));
  ASSERT_TRUE(world->SetDelay(owner, std::nullopt, Duration::Milliseconds(20)).ok());
  world->RunUntil(At(Duration::Seconds(13)));
  ASSERT_TRUE(world->SetDelay(owner, std::nullopt, Duration()).ok());
  world->RunUntil(At(Duration::Seconds(15)));
  const auto& t = world->Timeline();
  const auto delayed = RoundTrips(t, At(Duration::Milliseconds(10'100)), At(Duration::Seconds(12)));
  EXPECT_EQ(delayed.size(), 190u);  // 10 ms probes, none lost
  for (const auto& [seq, rtt] : delayed) {
    EXPECT_GE(rtt, Duration::Milliseconds(40)) << seq;
    EXPECT_LT(rtt, Duration::Milliseconds(42)) << seq;
  }
  const auto after = RoundTrips(t, At(Duration::Milliseconds(13'100)), At(Duration::Seconds(14)));
  EXPECT_EQ(after.size(), 90u);
  for (const auto& [seq, rtt] : after) EXPECT_LT(rtt, Duration::Milliseconds(2)) << seq;
  EXPECT_EQ(world->Announcers(kWeb), std::set<std::string>{owner});  // 40 ms < probe timeout
}

// link_down with a peer cuts one link: the announcer's link to its switch
// (the others elect a new owner), or the trunk between two switches.
TEST(Ns3WorldFaultsTest, CuttingOneLinkByItsEnds) {
  WorldOptions options = SpecOptions();
  options.topology.kind = "l2-two-switches";
  options.topology.nodes = 4;
  std::unique_ptr<World> world = MakeSpecWorld(options);
  ASSERT_NE(world, nullptr);
  const std::string owner = OwnerAt(*world, Duration::Seconds(10));
  const std::string its_switch = owner == "node-0" || owner == "node-1" ? "switch-0" : "switch-1";
  ASSERT_TRUE(world->SetLinkCut(owner, its_switch, true).ok());
  world->RunUntil(At(Duration::Seconds(15)));
  const std::set<std::string> both = world->Announcers(kWeb);
  EXPECT_EQ(both.size(), 2u);  // the cut-off owner still believes it owns the VIP
  ASSERT_TRUE(world->SetLinkCut(owner, its_switch, false).ok());
  world->RunUntil(At(Duration::Seconds(30)));
  EXPECT_EQ(world->Announcers(kWeb).size(), 1u);
  ASSERT_TRUE(world->SetLinkCut("switch-0", "switch-1", true).ok());
  world->RunUntil(At(Duration::Seconds(35)));
  EXPECT_EQ(world->Announcers(kWeb).size(), 2u);  // one per half

  const auto no_link = world->SetLinkCut("node-0", "node-1", true);
  ASSERT_FALSE(no_link.ok());
  EXPECT_EQ(no_link.error(), "link_down: no link joins node-0 and node-1");
  EXPECT_FALSE(world->SetLinkCut("node-0", "switch-7", true).ok());
  EXPECT_FALSE(world->SetLinkLoss("node-0", "switch-0", 1.5).ok());
}

TEST(Ns3WorldFaultsTest, PartitionOverTwoSwitchesGivesTwoAnnouncersUntilHeal) {
  WorldOptions options = SpecOptions();
  options.topology.kind = "l2-two-switches";
  options.topology.nodes = 4;
  std::unique_ptr<World> world = MakeSpecWorld(options);
  ASSERT_NE(world, nullptr);
  OwnerAt(*world, Duration::Seconds(10));
  EXPECT_FALSE(world->Partition({{"node-0", "node-1"}, {"node-1"}}).ok());  // twice
  EXPECT_FALSE(world->Partition({{"node-0"}, {"node-7"}}).ok());
  ASSERT_TRUE(world->Partition({{"node-0", "node-1"}, {"node-2", "node-3"}}).ok());
  world->RunUntil(At(Duration::Seconds(20)));
  const std::set<std::string> during = world->Announcers(kWeb);
  ASSERT_EQ(during.size(), 2u);
  // One per side.
  EXPECT_NE(during.count("node-0") + during.count("node-1"), 0u);
  EXPECT_NE(during.count("node-2") + during.count("node-3"), 0u);
  world->Heal();
  world->RunUntil(At(Duration::Seconds(35)));
  EXPECT_EQ(world->Announcers(kWeb).size(), 1u);
  // The client (on switch 0, in no group) is served at the end.
  EXPECT_LT(LongestSilence(world->Timeline(), At(Duration::Seconds(34)), At(Duration::Seconds(35))),
            Duration::Milliseconds(100));
}

TEST(Ns3WorldFaultsTest, FivePercentLossCausesNoSpuriousFailover) {
  std::unique_ptr<World> world = MakeSpecWorld(SpecOptions());
  ASSERT_NE(world, nullptr);
  const std::string owner = OwnerAt(*world, Duration::Seconds(5));
  for (const std::string& host : world->Hosts()) ASSERT_TRUE(world->SetLoss(host, 0.05).ok());
  EXPECT_FALSE(world->SetLoss("node-0", 1.5).ok());
  world->RunUntil(At(Duration::Seconds(125)));
  const auto& t = world->Timeline();
  EXPECT_EQ(world->Announcers(kWeb), std::set<std::string>{owner});
  EXPECT_EQ(Count(t, Kind::kVipAnnounced, At(Duration::Seconds(5)), At(Duration::Seconds(125))),
            0u);
  EXPECT_EQ(Count(t, Kind::kVipWithdrawn, At(Duration::Seconds(5)), At(Duration::Seconds(125))),
            0u);
  // Loss was real: some probes went unanswered (each round trip crosses
  // four lossy receivers, about 19% lost).
  const size_t sent =
      Count(t, Kind::kProbeSent, At(Duration::Seconds(5)), At(Duration::Seconds(124)));
  const size_t answered =
      Count(t, Kind::kProbeAnswered, At(Duration::Seconds(5)), At(Duration::Seconds(125)));
  EXPECT_LT(answered, sent * 9 / 10);
  EXPECT_GT(answered, sent * 7 / 10);
}

// 30 nodes booting at the same instant with 30 services: every VIP gets
// exactly one announcer, and membership sees no suspicion at all (each node
// reports each other node joining, once). Guards the LAN model against
// cold-start storms (ARP, switch queues) that make a large cluster flap.
TEST(Ns3WorldFaultsTest, ThirtyNodesConvergeWithoutFlapping) {
  constexpr size_t kNodes = 30;
  WorldOptions options = SpecOptions();
  options.topology.nodes = kNodes;
  auto built = World::Build(options);
  ASSERT_TRUE(built.ok());
  std::unique_ptr<World> world = std::move(built).value();
  // A pool big enough for every service.
  std::string yaml = R"(apiVersion: metallb.io/v1beta1
kind: IPAddressPool
metadata: {name: big, namespace: metallb-system}
spec:
  addresses: [192.168.2.0/24]
---
apiVersion: metallb.io/v1beta1
kind: L2Advertisement
metadata: {name: l2, namespace: metallb-system}
)";
  std::map<std::string, std::vector<std::string>> endpoints;
  std::vector<std::string> nodes;
  for (size_t i = 0; i < kNodes; ++i) nodes.push_back("node-" + std::to_string(i));
  for (size_t i = 0; i < kNodes; ++i) {
    const std::string name = "svc-" + std::to_string(i);
    yaml += "---\napiVersion: v1\nkind: Service\nmetadata: {name: " + name +
            ", namespace: default}\nspec:\n  type: LoadBalancer\n  ports: [{port: 80}]\n";
    endpoints["default/" + name] = nodes;
  }
  const config::LoadResult loaded = config::LoadManifests({{"thirty.yaml", yaml}});
  ASSERT_TRUE(loaded.ok());
  world->ApplyResources(loaded.resources);
  world->SetEndpoints(endpoints);
  world->RunUntil(At(Duration::Seconds(10)));
  for (const auto& [service, on] : endpoints) {
    EXPECT_TRUE(world->Assignment(service).has_value()) << service;
    EXPECT_EQ(world->Announcers(service).size(), 1u) << service;
  }
  const auto& t = world->Timeline();
  EXPECT_EQ(Count(t, Kind::kSession, At(Duration::Zero()), At(Duration::Seconds(10))),
            kNodes * (kNodes - 1));
  for (const TimelineEvent& e : t) {
    if (e.kind == Kind::kSession) EXPECT_NE(e.detail.find("none->alive"), std::string::npos);
  }
  EXPECT_EQ(Count(t, Kind::kVipWithdrawn, At(Duration::Zero()), At(Duration::Seconds(10))), 0u);
}

// A BGPPeer whose address no host has: the speakers' TCP connects get no
// answer (ns-3 retransmits the SYN until it gives up or the session's
// ConnectRetryTimer, 30 s, ends the attempt), so each node fails a few times
// per minute, paced by TCP and the session's timers, never in a loop at one
// instant; layer 2 is unaffected.
TEST(Ns3WorldFaultsTest, UnreachableBgpPeerLeavesLayer2Working) {
  const std::string yaml = R"(apiVersion: metallb.io/v1beta1
kind: IPAddressPool
metadata: {name: first-pool, namespace: metallb-system}
spec:
  addresses: [192.168.1.240-192.168.1.250]
---
apiVersion: metallb.io/v1beta1
kind: L2Advertisement
metadata: {name: l2, namespace: metallb-system}
---
apiVersion: metallb.io/v1beta1
kind: BGPAdvertisement
metadata: {name: bgp, namespace: metallb-system}
---
apiVersion: metallb.io/v1beta2
kind: BGPPeer
metadata: {name: tor, namespace: metallb-system}
spec:
  myASN: 64500
  peerASN: 64501
  peerAddress: 10.0.200.1
---
apiVersion: v1
kind: Service
metadata: {name: web, namespace: default}
spec:
  type: LoadBalancer
  ports: [{port: 80}]
)";
  const config::LoadResult loaded = config::LoadManifests({{"bgp.yaml", yaml}});
  ASSERT_TRUE(loaded.ok());
  auto built = World::Build(SpecOptions());
  ASSERT_TRUE(built.ok());
  std::unique_ptr<World> world = std::move(built).value();
  world->ApplyResources(loaded.resources);
  world->SetEndpoints({{kWeb, {"node-0", "node-1", "node-2"}}});
  world->RunUntil(At(Duration::Seconds(60)));
  EXPECT_EQ(world->Announcers(kWeb).size(), 1u);
  const auto& t = world->Timeline();
  // Nothing was announced by BGP.
  for (const TimelineEvent& e : t) {
    if (e.kind == Kind::kVipAnnounced) EXPECT_EQ(e.detail, "eth0");
  }
  // Every node tried and failed at least once, and not in a loop.
  size_t failed = 0;
  std::set<std::string> tried;
  for (const TimelineEvent& e : t) {
    if (e.kind != Kind::kSession || e.detail.rfind("bgp tor Connect->Active", 0) != 0) continue;
    ++failed;
    tried.insert(e.host);
  }
  EXPECT_EQ(tried.size(), 3u);
  EXPECT_GE(failed, 3u);
  EXPECT_LE(failed, 30u);
}

TEST(Ns3WorldFaultsTest, PcapFilesOpenInTshark) {
  const std::filesystem::path dir =
      std::filesystem::temp_directory_path() / ("vipcast-ns3-pcap-" + std::to_string(::getpid()));
  std::filesystem::create_directories(dir);
  {
    WorldOptions options = SpecOptions();
    options.pcap_prefix = (dir / "spec").string();
    std::unique_ptr<World> world = MakeSpecWorld(options);
    ASSERT_NE(world, nullptr);
    world->RunUntil(At(Duration::Seconds(3)));
  }  // the World's end flushes and closes the files
  const std::filesystem::path client = dir / "spec-client-0-eth0.pcap";
  ASSERT_TRUE(std::filesystem::exists(client));
  EXPECT_TRUE(std::filesystem::exists(dir / "spec-node-2-eth0.pcap"));
  EXPECT_TRUE(std::filesystem::exists(dir / "spec-switch-0-port0.pcap"));
  EXPECT_GT(std::filesystem::file_size(client), 1000u);
  if (std::system("command -v tshark >/dev/null 2>&1") == 0) {
    // Gratuitous ARP for the VIP reached the client, and nothing is malformed.
    const std::string cmd = "tshark -r '" + client.string() +
                            "' -Y 'arp.src.proto_ipv4 == 192.168.1.240' 2>&1 | grep -c ARP";
    FILE* pipe = popen(cmd.c_str(), "r");
    ASSERT_NE(pipe, nullptr);
    int count = 0;
    EXPECT_EQ(std::fscanf(pipe, "%d", &count), 1);
    pclose(pipe);
    EXPECT_GT(count, 0);
    const std::string malformed = "tshark -r '" + client.string() + "' 2>&1 | grep -qi malformed";
    EXPECT_NE(std::system(malformed.c_str()), 0);
  }
  std::filesystem::remove_all(dir);
}

}  // namespace
}  // namespace vipcast::sim::testing
