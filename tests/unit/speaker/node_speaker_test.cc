// The per-node composition: one NodeSpeaker per node announces a VIP both by
// layer 2 (membership datagrams and frames reach the L2 part) and by BGP
// (streams and BFD datagrams reach the BGP part), and shuts both down.
#include "engine/speaker/node_speaker.h"

#include <gtest/gtest.h>

#include <memory>
#include <set>
#include <string>
#include <vector>

#include "tests/unit/speaker/bgp_world.h"

namespace vipcast::speaker::testing {
namespace {

using core::Duration;

const char kConfig[] = R"(apiVersion: metallb.io/v1beta1
kind: IPAddressPool
metadata: {name: pool, namespace: metallb-system}
spec:
  addresses: [192.168.1.0/24]
---
apiVersion: metallb.io/v1beta1
kind: L2Advertisement
metadata: {name: l2, namespace: metallb-system}
---
apiVersion: metallb.io/v1beta1
kind: BGPAdvertisement
metadata: {name: ad, namespace: metallb-system}
---
apiVersion: metallb.io/v1beta1
kind: BFDProfile
metadata: {name: fast, namespace: metallb-system}
spec:
  receiveInterval: 100
  transmitInterval: 100
---
apiVersion: metallb.io/v1beta2
kind: BGPPeer
metadata: {name: tor, namespace: metallb-system}
spec:
  myASN: 64500
  peerASN: 64501
  peerAddress: 10.0.0.1
  bfdProfile: fast
)";

// The cluster's shared membership secret.
core::Bytes MembershipKey() {
  core::Bytes key(32);
  for (size_t i = 0; i < key.size(); ++i) key[i] = static_cast<uint8_t>(0xA5 ^ i);
  return key;
}

NodeSpeakerOptions OptionsFor(size_t i, size_t count) {
  NodeSpeakerOptions o;
  o.l2.membership.self = core::NodeName::Parse(NodeName(i)).value();
  o.l2.membership.endpoint = {NodeV4(i), 7946};
  for (size_t j = 0; j < count; ++j) {
    if (j != i) o.l2.membership.seeds.push_back({NodeV4(j), 7946});
  }
  o.l2.membership.key = MembershipKey();
  o.bgp.node = NodeName(i);
  return o;
}

TEST(NodeSpeakerTest, AnnouncesByLayer2AndBgpAndShutsBothDown) {
  harness::Harness h({.seed = 3});
  const harness::NodeId router_id = AddRouterNode(h);
  std::vector<harness::NodeId> ids{AddSpeakerNode(h, 0), AddSpeakerNode(h, 1)};
  UpstreamRouter router(core::Asn(kRouterAs), h.rng(router_id));
  bfd::SessionParameters fast;
  fast.desired_min_tx = Duration::Milliseconds(100);
  fast.required_min_rx = Duration::Milliseconds(100);
  router.SetSpeakers(2, core::Asn(64500), fast);
  std::vector<std::unique_ptr<NodeSpeaker>> speakers;
  for (size_t i = 0; i < 2; ++i) {
    speakers.push_back(std::make_unique<NodeSpeaker>(OptionsFor(i, 2), h.rng(ids[i])));
  }
  h.Start(router_id, &router);
  for (size_t i = 0; i < 2; ++i) h.Start(ids[i], speakers[i].get());
  const config::Resources world =
      Load({kConfig, NodesYaml(2), ServiceYaml("web", "192.168.1.240", {0, 1})});
  for (auto id : ids) Tell(h, id, world);

  const core::IpAddr vip = Ip("192.168.1.240");
  const core::Prefix prefix = Pfx("192.168.1.240/32");
  ASSERT_TRUE(h.RunUntil(
      [&] {
        const auto it = router.fib().find(prefix);
        return it != router.fib().end() && it->second.size() == 2;
      },
      h.now() + Duration::Seconds(30)));
  h.RunFor(Duration::Seconds(3));
  // Membership datagrams reached the L2 parts: each sees both nodes, and
  // exactly one of them answers ARP for the VIP.
  EXPECT_EQ(speakers[0]->l2().live_members().size(), 2u);
  EXPECT_EQ(speakers[1]->l2().live_members().size(), 2u);
  EXPECT_NE(speakers[0]->l2().Announces(vip), speakers[1]->l2().Announces(vip));
  // BFD datagrams reached the BGP parts.
  for (size_t i = 0; i < 2; ++i) {
    const bfd::SessionKey key{kRouterV4, NodeV4(i), bfd::HopMode::kSingleHop};
    EXPECT_EQ(speakers[i]->bgp().bfd().GetState(key), wire::bfd::State::kUp) << i;
    EXPECT_TRUE(speakers[i]->bgp().Carries(vip)) << i;
  }
  EXPECT_LE(speakers[0]->NextDeadline(),
            std::min(speakers[0]->l2().NextDeadline(), speakers[0]->bgp().NextDeadline()));

  // Both facts, one per mode, on the L2 winner.
  const size_t winner = speakers[0]->l2().Announces(vip) ? 0 : 1;
  std::set<core::AnnounceMode> modes;
  for (const auto& a : h.trace().Facts<core::VipAnnounced>(ids[winner])) modes.insert(a.mode);
  EXPECT_EQ(modes,
            (std::set<core::AnnounceMode>{core::AnnounceMode::kLayer2, core::AnnounceMode::kBgp}));

  // Shutdown of the winner: its L2 announcement moves, its BGP route goes.
  h.Inject(ids[winner], core::ShutdownRequested{});
  h.RunFor(Duration::Seconds(2));
  EXPECT_FALSE(speakers[winner]->l2().Announces(vip));
  EXPECT_TRUE(speakers[1 - winner]->l2().Announces(vip));
  EXPECT_EQ(router.fib().at(prefix), std::vector<core::IpAddr>{NodeV4(1 - winner)});
  EXPECT_TRUE(h.violations().empty());
}

}  // namespace
}  // namespace vipcast::speaker::testing
