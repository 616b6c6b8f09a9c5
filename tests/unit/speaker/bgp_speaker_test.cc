// The BGP speaker composition on the deterministic harness against the
// engine/bgp router role: session establishment, what the router learns
// (prefix, communities, large communities, LOCAL_PREF over iBGP only, next
// hop, IPv6 by MP_REACH_NLRI), aggregation, withdrawal, externalTrafficPolicy
// Local, ECMP over two speakers, BFD taking the session down, TCP-MD5 (inline
// and from a Secret), GTSM at the router, a speaker restart against a graceful
// restart helper, and graceful shutdown.
#include "engine/speaker/bgp_speaker.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <memory>
#include <string>
#include <vector>

#include "engine/wire/bgp/error_codes.h"
#include "engine/wire/bgp/message.h"
#include "tests/unit/speaker/bgp_world.h"

namespace vipcast::speaker::testing {
namespace {

namespace wb = wire::bgp;
using core::Duration;
using core::TimePoint;

// Pools, the Community aliases and one BGPPeer to the router (AS `peer_as`,
// from AS 64500); `extra` adds advertisements or BFD profiles.
std::string ConfigYaml(uint32_t peer_as, const std::string& peer_extra,
                       const std::string& advertisement) {
  return R"(apiVersion: metallb.io/v1beta1
kind: IPAddressPool
metadata: {name: pool, namespace: metallb-system}
spec:
  addresses: [192.168.1.0/24, "2001:db8:1::/120"]
---
apiVersion: metallb.io/v1beta1
kind: Community
metadata: {name: communities, namespace: metallb-system}
spec:
  communities:
  - name: vpn-only
    value: "1234:1"
---
apiVersion: metallb.io/v1beta2
kind: BGPPeer
metadata: {name: tor, namespace: metallb-system}
spec:
  myASN: 64500
  peerASN: )" +
         std::to_string(peer_as) +
         R"(
  peerAddress: 10.0.0.1
)" + peer_extra +
         "---\n" + advertisement;
}

const char kAdvertisement[] = R"(apiVersion: metallb.io/v1beta1
kind: BGPAdvertisement
metadata: {name: ad, namespace: metallb-system}
spec:
  localPref: 150
  communities: [vpn-only, "65535:65282", "large:64500:1:2"]
)";

// A second advertisement for the same pool: its community merges in.
const char kSecondAdvertisement[] = R"(---
apiVersion: metallb.io/v1beta1
kind: BGPAdvertisement
metadata: {name: ad2, namespace: metallb-system}
spec:
  localPref: 150
  communities: ["64500:7"]
)";

struct Rig {
  explicit Rig(size_t speakers, uint32_t peer_as = kRouterAs, uint64_t seed = 1)
      : h({.seed = seed}) {
    router_id = AddRouterNode(h);
    for (size_t i = 0; i < speakers; ++i) ids.push_back(AddSpeakerNode(h, i));
    router = std::make_unique<UpstreamRouter>(core::Asn(peer_as), h.rng(router_id));
    for (size_t i = 0; i < speakers; ++i) {
      BgpSpeakerOptions o;
      o.node = NodeName(i);
      speakers_.push_back(std::make_unique<BgpSpeaker>(o, h.rng(ids[i])));
    }
  }
  void Start() {
    h.Start(router_id, router.get());
    for (size_t i = 0; i < ids.size(); ++i) h.Start(ids[i], speakers_[i].get());
  }
  void TellAll(const config::Resources& r) {
    for (auto id : ids) Tell(h, id, r);
  }
  bool RunUntil(const std::function<bool()>& done, Duration limit = Duration::Seconds(30)) {
    return h.RunUntil(done, h.now() + limit);
  }
  BgpSpeaker& speaker(size_t i) { return *speakers_[i]; }

  harness::Harness h;
  harness::NodeId router_id;
  std::vector<harness::NodeId> ids;
  std::unique_ptr<UpstreamRouter> router;
  std::vector<std::unique_ptr<BgpSpeaker>> speakers_;
};

std::vector<core::IpAddr> Hops(const UpstreamRouter& r, const core::Prefix& p) {
  auto it = r.fib().find(p);
  return it == r.fib().end() ? std::vector<core::IpAddr>{} : it->second;
}

template <typename A>
const A* Attr(const bgp::ReceivedRoute& route) {
  for (const auto& a : route.attributes) {
    if (const A* v = std::get_if<A>(&a.value)) return v;
  }
  return nullptr;
}

TEST(BgpSpeakerTest, EbgpPeerLearnsVipWithCommunitiesAndNextHopButNoLocalPref) {
  Rig rig(1);
  rig.router->SetSpeakers(1, core::Asn(64500));
  rig.Start();
  Manifests m{ConfigYaml(kRouterAs, "", std::string(kAdvertisement) + kSecondAdvertisement),
              NodesYaml(1),
              ServiceYaml("web", "192.168.1.240", {0}) + ServiceYaml("web6", "2001:db8:1::5", {0})};
  rig.TellAll(Load(m));
  const core::Prefix v4 = Pfx("192.168.1.240/32");
  const core::Prefix v6 = Pfx("2001:db8:1::5/128");
  ASSERT_TRUE(rig.RunUntil([&] { return rig.router->fib().size() == 2; }));
  EXPECT_TRUE(rig.router->Established(0));
  EXPECT_EQ(rig.speaker(0).sessions().sessions().at("tor")->state(), bgp::FsmState::kEstablished);

  EXPECT_EQ(Hops(*rig.router, v4), std::vector<core::IpAddr>{NodeV4(0)});
  const bgp::ReceivedRoute* r4 = rig.router->RouteFrom(0, v4);
  ASSERT_NE(r4, nullptr);
  EXPECT_EQ(r4->next_hop, NodeV4(0));
  const auto* communities = Attr<wb::CommunitiesAttribute>(*r4);
  ASSERT_NE(communities, nullptr);
  // The alias resolved, the literal and the second advertisement's value
  // merged; sorted and unique.
  EXPECT_EQ(communities->communities,
            (std::vector<uint32_t>{(1234u << 16) | 1, (64500u << 16) | 7, 0xFFFFFF02u}));
  const auto* large = Attr<wb::LargeCommunitiesAttribute>(*r4);
  ASSERT_NE(large, nullptr);
  EXPECT_EQ(large->communities, (std::vector<wb::LargeCommunity>{{64500, 1, 2}}));
  // RFC 4271 5.1.5: no LOCAL_PREF to an external peer.
  EXPECT_EQ(Attr<wb::LocalPrefAttribute>(*r4), nullptr);

  // IPv6 over the IPv4 session: MP_REACH_NLRI (RFC 4760) with the node's
  // global IPv6 address as next hop.
  EXPECT_EQ(Hops(*rig.router, v6), std::vector<core::IpAddr>{NodeV6(0)});
  const bgp::ReceivedRoute* r6 = rig.router->RouteFrom(0, v6);
  ASSERT_NE(r6, nullptr);
  EXPECT_EQ(r6->next_hop, NodeV6(0));

  const auto announced = rig.h.trace().Facts<core::VipAnnounced>(rig.ids[0]);
  ASSERT_EQ(announced.size(), 2u);
  for (const auto& a : announced) EXPECT_EQ(a.mode, core::AnnounceMode::kBgp);
  EXPECT_TRUE(rig.speaker(0).Carries(Ip("192.168.1.240")));
  EXPECT_TRUE(rig.speaker(0).Carries(Ip("2001:db8:1::5")));

  // The service leaves: withdrawn at once (one link delay), the fact follows.
  m.services = ServiceYaml("web6", "2001:db8:1::5", {0});
  rig.TellAll(Load(m));
  const TimePoint removed = rig.h.now();
  ASSERT_TRUE(rig.RunUntil([&] { return !rig.router->fib().contains(v4); }));
  EXPECT_LE(rig.h.now() - removed, Duration::Milliseconds(10));
  EXPECT_TRUE(rig.router->fib().contains(v6));
  const auto withdrawn = rig.h.trace().Facts<core::VipWithdrawn>(rig.ids[0]);
  ASSERT_EQ(withdrawn.size(), 1u);
  EXPECT_EQ(withdrawn[0].vip, Ip("192.168.1.240"));
  EXPECT_EQ(withdrawn[0].service, "default/web");
  EXPECT_EQ(withdrawn[0].mode, core::AnnounceMode::kBgp);
  EXPECT_TRUE(rig.h.violations().empty());
}

TEST(BgpSpeakerTest, IbgpPeerGetsLocalPref) {
  Rig rig(1, /*peer_as=*/64500);
  rig.router->SetSpeakers(1, core::Asn(64500));
  rig.Start();
  rig.TellAll(Load({ConfigYaml(64500, "", kAdvertisement), NodesYaml(1),
                    ServiceYaml("web", "192.168.1.240", {0})}));
  const core::Prefix v4 = Pfx("192.168.1.240/32");
  ASSERT_TRUE(rig.RunUntil([&] { return rig.router->RouteFrom(0, v4) != nullptr; }));
  const auto* lp = Attr<wb::LocalPrefAttribute>(*rig.router->RouteFrom(0, v4));
  ASSERT_NE(lp, nullptr);
  EXPECT_EQ(lp->value, 150u);
  EXPECT_EQ(rig.router->RouteFrom(0, v4)->next_hop, NodeV4(0));
}

TEST(BgpSpeakerTest, AggregationLengthAdvertisesTheCoveringPrefix) {
  Rig rig(1);
  rig.router->SetSpeakers(1, core::Asn(64500));
  rig.Start();
  const std::string ad = R"(apiVersion: metallb.io/v1beta1
kind: BGPAdvertisement
metadata: {name: ad, namespace: metallb-system}
spec:
  aggregationLength: 24
)";
  rig.TellAll(
      Load({ConfigYaml(kRouterAs, "", ad), NodesYaml(1),
            ServiceYaml("web", "192.168.1.240", {0}) + ServiceYaml("api", "192.168.1.241", {0})}));
  ASSERT_TRUE(rig.RunUntil([&] { return !rig.router->fib().empty(); }));
  rig.h.RunFor(Duration::Milliseconds(50));
  ASSERT_EQ(rig.router->fib().size(), 1u);
  EXPECT_EQ(rig.router->fib().begin()->first, Pfx("192.168.1.0/24"));
  EXPECT_EQ(rig.router->fib().begin()->second, std::vector<core::IpAddr>{NodeV4(0)});
  // Both VIPs are carried by the one /24.
  EXPECT_TRUE(rig.speaker(0).Carries(Ip("192.168.1.240")));
  EXPECT_TRUE(rig.speaker(0).Carries(Ip("192.168.1.241")));
}

TEST(BgpSpeakerTest, TwoSpeakersGiveTheRouterAnEcmpSet) {
  Rig rig(2);
  rig.router->SetSpeakers(2, core::Asn(64500));
  rig.Start();
  rig.TellAll(Load({ConfigYaml(kRouterAs, "", kAdvertisement), NodesYaml(2),
                    ServiceYaml("web", "192.168.1.240", {0})}));
  const core::Prefix v4 = Pfx("192.168.1.240/32");
  ASSERT_TRUE(rig.RunUntil([&] { return Hops(*rig.router, v4).size() == 2; }));
  EXPECT_EQ(Hops(*rig.router, v4), (std::vector<core::IpAddr>{NodeV4(0), NodeV4(1)}));
}

TEST(BgpSpeakerTest, LocalTrafficPolicyIsAdvertisedOnlyWhereAnEndpointIsReady) {
  Rig rig(2);
  rig.router->SetSpeakers(2, core::Asn(64500));
  rig.Start();
  // The only ready endpoint is on node-1.
  rig.TellAll(Load({ConfigYaml(kRouterAs, "", kAdvertisement), NodesYaml(2),
                    ServiceYaml("web", "192.168.1.240", {1}, /*local=*/true)}));
  const core::Prefix v4 = Pfx("192.168.1.240/32");
  ASSERT_TRUE(
      rig.RunUntil([&] { return rig.router->Established(0) && rig.router->Established(1); }));
  ASSERT_TRUE(rig.RunUntil([&] { return !Hops(*rig.router, v4).empty(); }));
  rig.h.RunFor(Duration::Seconds(1));
  EXPECT_EQ(Hops(*rig.router, v4), std::vector<core::IpAddr>{NodeV4(1)});
  EXPECT_EQ(rig.router->RouteFrom(0, v4), nullptr);
  EXPECT_FALSE(rig.speaker(0).Carries(Ip("192.168.1.240")));
  EXPECT_TRUE(rig.speaker(0).desired().at("tor").empty());
  EXPECT_TRUE(rig.h.trace().Facts<core::VipAnnounced>(rig.ids[0]).empty());
}

TEST(BgpSpeakerTest, BfdDownTakesTheSessionDownWithinTheDetectionTime) {
  Rig rig(1);
  bfd::SessionParameters fast;
  fast.desired_min_tx = Duration::Milliseconds(100);
  fast.required_min_rx = Duration::Milliseconds(100);
  fast.detect_mult = 3;
  rig.router->SetSpeakers(1, core::Asn(64500), fast);
  const std::string profile = R"(---
apiVersion: metallb.io/v1beta1
kind: BFDProfile
metadata: {name: fast, namespace: metallb-system}
spec:
  receiveInterval: 100
  transmitInterval: 100
  detectMultiplier: 3
)";
  std::vector<std::pair<TimePoint, core::Bytes>> written;
  rig.h.SetActionObserver([&](TimePoint at, harness::NodeId node, const core::Action& a) {
    if (node != rig.ids[0]) return;
    if (const auto* w = std::get_if<core::WriteStream>(&a)) written.emplace_back(at, w->data);
  });
  rig.Start();
  rig.TellAll(Load({ConfigYaml(kRouterAs, "  bfdProfile: fast\n", kAdvertisement + profile),
                    NodesYaml(1), ServiceYaml("web", "192.168.1.240", {0})}));
  const bfd::SessionKey key{kRouterV4, NodeV4(0), bfd::HopMode::kSingleHop};
  auto bfd_up = [&] { return rig.speaker(0).bfd().GetState(key) == wire::bfd::State::kUp; };
  const core::Prefix v4 = Pfx("192.168.1.240/32");
  // RFC 5880 6.8.3: the fast intervals apply once Up (after a Poll Sequence).
  auto fast_detection = [&] {
    auto info = rig.speaker(0).bfd().GetSession(key);
    return info && info->detection_time == Duration::Milliseconds(300);
  };
  ASSERT_TRUE(
      rig.RunUntil([&] { return bfd_up() && fast_detection() && rig.router->fib().contains(v4); }));
  const auto info = rig.speaker(0).bfd().GetSession(key);

  // The link breaks: TCP stalls without loss, so BGP alone would wait out
  // the 90 s hold time; BFD notices within its detection time.
  const TimePoint cut = rig.h.now();
  rig.h.Partition({{rig.router_id}, {rig.ids[0]}});
  auto session_down = [&] {
    return rig.speaker(0).sessions().sessions().at("tor")->state() != bgp::FsmState::kEstablished;
  };
  ASSERT_TRUE(rig.RunUntil(session_down, Duration::Seconds(5)));
  const Duration took = rig.h.now() - cut;
  EXPECT_LE(took, info->detection_time + Duration::Milliseconds(100));
  EXPECT_LT(took, Duration::Seconds(90) / 10);
  EXPECT_FALSE(rig.speaker(0).Carries(Ip("192.168.1.240")));
  const auto withdrawn = rig.h.trace().Facts<core::VipWithdrawn>(rig.ids[0]);
  ASSERT_EQ(withdrawn.size(), 1u);
  EXPECT_EQ(withdrawn[0].reason, "no established BGP session carries it");
  // The speaker wrote NOTIFICATION Cease / BFD Down (RFC 9384, subcode 10).
  bool cease10 = false;
  for (const auto& [at, bytes] : written) {
    if (at < cut) continue;
    auto m = wb::DecodeMessage(bytes, {});
    if (!m.ok()) continue;
    if (const auto* n = std::get_if<wb::NotificationMessage>(&m.value())) {
      cease10 |= n->code == 6 && n->subcode == wb::cease::kBfdDown;
    }
  }
  EXPECT_TRUE(cease10);
  bool told = false;
  for (const auto& s : rig.h.trace().Facts<core::SessionStateChanged>(rig.ids[0])) {
    told |= s.protocol == "bgp" && s.from == "Established" && s.reason == "BFD down";
  }
  EXPECT_TRUE(told);

  // The link heals: BFD comes back, the session reconnects after its backoff
  // and the route returns.
  rig.h.Heal();
  ASSERT_TRUE(rig.RunUntil(
      [&] {
        return bfd_up() && rig.speaker(0).Carries(Ip("192.168.1.240")) &&
               rig.router->fib().contains(v4);
      },
      Duration::Seconds(60)));
  EXPECT_TRUE(rig.router->Established(0));
}

// RFC 2385 both ways: the speaker connects with its key, and the router's
// listener must carry the speaker's key or the SYNs are dropped.
TEST(BgpSpeakerTest, PeersWithATcpMd5PasswordEstablish) {
  Rig rig(1);
  rig.router->SetSpeakers(1, core::Asn(64500), std::nullopt, {.password = "s3cret"});
  std::vector<core::Listen> router_listens;
  std::vector<core::Connect> connects;
  rig.h.SetActionObserver([&](TimePoint, harness::NodeId node, const core::Action& a) {
    if (const auto* l = std::get_if<core::Listen>(&a); l && node == rig.router_id) {
      router_listens.push_back(*l);
    }
    if (const auto* c = std::get_if<core::Connect>(&a); c && node == rig.ids[0]) {
      connects.push_back(*c);
    }
  });
  rig.Start();
  rig.TellAll(Load({ConfigYaml(kRouterAs, "  password: s3cret\n", kAdvertisement), NodesYaml(1),
                    ServiceYaml("web", "192.168.1.240", {0})}));
  const core::Prefix v4 = Pfx("192.168.1.240/32");
  ASSERT_TRUE(rig.RunUntil([&] { return rig.router->fib().contains(v4); }));
  ASSERT_FALSE(connects.empty());
  EXPECT_EQ(connects[0].md5_key, std::optional<std::string>("s3cret"));
  bool keyed = false;
  for (const auto& l : router_listens) {
    keyed |= l.md5_keys == std::vector<std::pair<core::IpAddr, std::string>>{{NodeV4(0), "s3cret"}};
  }
  EXPECT_TRUE(keyed);
  EXPECT_TRUE(rig.h.violations().empty());
}

// The same with the key in a Secret (spec.passwordSecret), as MetalLB.
TEST(BgpSpeakerTest, PasswordSecretGivesTheTcpMd5Key) {
  Rig rig(1);
  rig.router->SetSpeakers(1, core::Asn(64500), std::nullopt, {.password = "from-secret"});
  rig.Start();
  const std::string secret = R"(---
apiVersion: v1
kind: Secret
metadata: {name: bgp-auth, namespace: metallb-system}
type: kubernetes.io/basic-auth
stringData:
  password: from-secret
)";
  rig.TellAll(Load({ConfigYaml(kRouterAs, "  passwordSecret: {name: bgp-auth}\n",
                               std::string(kAdvertisement) + secret),
                    NodesYaml(1), ServiceYaml("web", "192.168.1.240", {0})}));
  ASSERT_TRUE(rig.RunUntil([&] { return rig.router->fib().contains(Pfx("192.168.1.240/32")); }));
  EXPECT_EQ(rig.speaker(0).sessions().sessions().at("tor")->config().password, "from-secret");
  EXPECT_TRUE(rig.h.violations().empty());
}

// RFC 5082: a single-hop eBGP router that enforces GTSM only hears
// segments sent with TTL 255.
TEST(BgpSpeakerTest, SingleHopEbgpReachesARouterEnforcingGtsm) {
  Rig rig(1);
  rig.router->SetSpeakers(1, core::Asn(64500), std::nullopt, {.gtsm = true});
  rig.Start();
  rig.TellAll(Load({ConfigYaml(kRouterAs, "", kAdvertisement), NodesYaml(1),
                    ServiceYaml("web", "192.168.1.240", {0})}));
  ASSERT_TRUE(rig.RunUntil([&] { return rig.router->fib().contains(Pfx("192.168.1.240/32")); }));
  EXPECT_TRUE(rig.h.violations().empty());
}

// RFC 4724 4.1 end to end: the speaker process restarts (its engine is
// replaced by a fresh one) while the router, a graceful restart helper, keeps
// its routes stale; the new session's OPEN carries the Restart State bit and
// the Forwarding State bit for both families, the routes are sent again and
// End-of-RIB follows; the router's FIB never loses the prefix.
TEST(BgpSpeakerTest, SpeakerRestartKeepsTheRouteAtAGracefulRestartHelper) {
  Rig rig(1);
  rig.router->SetSpeakers(1, core::Asn(64500), std::nullopt, {.graceful_restart = true});
  std::vector<std::pair<TimePoint, core::Bytes>> written;
  rig.h.SetActionObserver([&](TimePoint at, harness::NodeId node, const core::Action& a) {
    if (node != rig.ids[0]) return;
    if (const auto* w = std::get_if<core::WriteStream>(&a)) written.emplace_back(at, w->data);
  });
  rig.Start();
  const config::Resources world =
      Load({ConfigYaml(kRouterAs, "  enableGracefulRestart: true\n", kAdvertisement), NodesYaml(1),
            ServiceYaml("web", "192.168.1.240", {0})});
  rig.TellAll(world);
  const core::Prefix v4 = Pfx("192.168.1.240/32");
  ASSERT_TRUE(rig.RunUntil([&] { return rig.router->fib().contains(v4); }));
  bgp::Session* at_router = rig.router->router().sessions().Find(NodeName(0));
  ASSERT_NE(at_router, nullptr);
  ASSERT_TRUE(at_router->negotiated()->peer_graceful_restart.has_value());
  // A while in steady state, keepalives flowing.
  rig.h.RunFor(Duration::Minutes(5));
  ASSERT_TRUE(rig.router->fib().contains(v4));
  rig.router->router().DrainRouteChanges();

  // The speaker process dies; the kernel keeps forwarding to the node.
  rig.h.Crash(rig.ids[0]);
  rig.h.RunFor(Duration::Seconds(2));
  const TimePoint restart = rig.h.now();
  BgpSpeakerOptions o;
  o.node = NodeName(0);
  auto fresh = std::make_unique<BgpSpeaker>(o, rig.h.rng(rig.ids[0]));
  rig.h.Start(rig.ids[0], fresh.get());
  Tell(rig.h, rig.ids[0], world);
  bool held_stale = false;
  bool lost = false;
  auto back = [&] {
    bgp::Session* s = rig.router->router().sessions().Find(NodeName(0));
    held_stale |= s->rib_in().stale_count() > 0;
    lost |= !rig.router->fib().contains(v4);
    return rig.router->Established(0) && fresh->Carries(Ip("192.168.1.240")) &&
           s->rib_in().stale_count() == 0 && s->rib_in().routes().contains(v4);
  };
  ASSERT_TRUE(rig.RunUntil(back, Duration::Seconds(60)));
  rig.h.RunFor(Duration::Seconds(1));
  EXPECT_TRUE(held_stale);  // RFC 4724 4.2: the helper kept the route stale
  EXPECT_FALSE(lost);
  for (const auto& change : rig.router->router().DrainRouteChanges()) {
    EXPECT_FALSE(change.prefix == v4 && change.next_hops.empty()) << "the FIB lost the VIP";
  }
  EXPECT_EQ(Hops(*rig.router, v4), std::vector<core::IpAddr>{NodeV4(0)});

  // What the restarted speaker wrote: OPEN (R and F bits), KEEPALIVE, the
  // route, then End-of-RIB for IPv4 and IPv6.
  const wb::SessionOptions options = at_router->negotiated()->options;
  std::vector<wb::Message> sent;
  for (const auto& [at, bytes] : written) {
    if (at < restart) continue;
    auto m = wb::DecodeMessage(bytes, options);
    ASSERT_TRUE(m.ok());
    sent.push_back(m.value());
  }
  ASSERT_FALSE(sent.empty());
  const auto* open = std::get_if<wb::OpenMessage>(&sent[0]);
  ASSERT_NE(open, nullptr);
  const auto* gr = open->Find<wb::GracefulRestartCapability>();
  ASSERT_NE(gr, nullptr);
  EXPECT_TRUE(gr->restart_state());
  ASSERT_EQ(gr->families.size(), 2u);
  for (const auto& f : gr->families) {
    EXPECT_TRUE(f.forwarding_state_preserved()) << f.afi;
    EXPECT_EQ(f.safi, 1);
  }
  std::vector<std::string> order;
  for (const auto& m : sent) {
    const auto* u = std::get_if<wb::UpdateMessage>(&m);
    if (u == nullptr) continue;
    if (auto eor = u->EndOfRib()) {
      order.push_back(eor->afi == wb::kAfiIpv4 ? "eor-v4" : "eor-v6");
    } else if (u->nlri == std::vector<core::Prefix>{v4}) {
      order.push_back("route");
    }
  }
  EXPECT_EQ(order, (std::vector<std::string>{"route", "eor-v4", "eor-v6"}));
  EXPECT_TRUE(rig.h.violations().empty());
}

TEST(BgpSpeakerTest, GracefulShutdownWithdrawsThenCeasesWithTheMessage) {
  Rig rig(1);
  rig.router->SetSpeakers(1, core::Asn(64500));
  std::vector<core::Bytes> written;
  rig.h.SetActionObserver([&](TimePoint, harness::NodeId node, const core::Action& a) {
    if (node != rig.ids[0]) return;
    if (const auto* w = std::get_if<core::WriteStream>(&a)) written.push_back(w->data);
  });
  rig.Start();
  rig.TellAll(Load({ConfigYaml(kRouterAs, "", kAdvertisement), NodesYaml(1),
                    ServiceYaml("web", "192.168.1.240", {0})}));
  const core::Prefix v4 = Pfx("192.168.1.240/32");
  ASSERT_TRUE(rig.RunUntil([&] { return rig.router->fib().contains(v4); }));
  const auto options = rig.speaker(0).sessions().sessions().at("tor")->negotiated()->options;
  const size_t before = written.size();

  rig.h.Inject(rig.ids[0], core::ShutdownRequested{});
  rig.h.RunFor(Duration::Seconds(1));
  EXPECT_TRUE(rig.speaker(0).shut_down());
  EXPECT_TRUE(rig.router->fib().empty());

  std::vector<wb::Message> sent;
  for (size_t i = before; i < written.size(); ++i) {
    auto m = wb::DecodeMessage(written[i], options);
    ASSERT_TRUE(m.ok());
    sent.push_back(m.value());
  }
  ASSERT_EQ(sent.size(), 2u);
  const auto* update = std::get_if<wb::UpdateMessage>(&sent[0]);
  ASSERT_NE(update, nullptr);
  EXPECT_EQ(update->withdrawn, std::vector<core::Prefix>{v4});
  const auto* n = std::get_if<wb::NotificationMessage>(&sent[1]);
  ASSERT_NE(n, nullptr);
  EXPECT_EQ(n->code, 6);
  EXPECT_EQ(n->subcode, wb::cease::kAdministrativeShutdown);
  EXPECT_EQ(n->Shutdown().status, wb::ShutdownCommunication::Status::kValid);
  EXPECT_EQ(n->Shutdown().message, "vipcast speaker shutting down");

  const auto withdrawn = rig.h.trace().Facts<core::VipWithdrawn>(rig.ids[0]);
  ASSERT_EQ(withdrawn.size(), 1u);
  EXPECT_EQ(withdrawn[0].reason, "shutdown");
  // The router heard the message (RFC 9003).
  bool heard = false;
  for (const auto& s : rig.h.trace().Facts<core::SessionStateChanged>(rig.router_id)) {
    heard |= s.reason.find("vipcast speaker shutting down") != std::string::npos;
  }
  EXPECT_TRUE(heard);
  // Nothing comes back.
  rig.h.RunFor(Duration::Seconds(30));
  EXPECT_TRUE(rig.router->fib().empty());
  EXPECT_TRUE(rig.h.violations().empty());
}

}  // namespace
}  // namespace vipcast::speaker::testing
