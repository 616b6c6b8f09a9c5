#include "engine/bgp/policy.h"

#include <gtest/gtest.h>

namespace vipcast::bgp {
namespace {

core::Prefix P(const char* t) { return core::Prefix::Parse(t).value(); }
core::IpAddr A(const char* t) { return core::IpAddr::Parse(t).value(); }

config::ClusterConfig Config() {
  config::ClusterConfig c;
  config::BGPPeer ext;
  ext.meta.name = "ext";
  ext.my_asn = core::Asn(64500);
  ext.peer_asn = core::Asn(64501);
  ext.peer_address = A("10.0.0.254");
  config::BGPPeer in = ext;
  in.meta.name = "in";
  in.peer_asn = core::Asn(64500);
  in.peer_address = A("10.0.0.253");
  config::BGPPeer rack2 = ext;
  rack2.meta.name = "rack2";
  config::LabelSelector sel;
  sel.match_labels["rack"] = "2";
  rack2.node_selectors.push_back(sel);
  c.bgp_peers = {ext, in, rack2};
  config::IPAddressPool pool;
  pool.meta.name = "pool";
  c.pools = {pool};
  return c;
}

NodeIdentity Node() { return {"node-a", {{"rack", "1"}}}; }

AnnouncedService Svc(const char* vip, bool local = false, bool ready = false) {
  return {"default/web", {{"app", "web"}}, "pool", {A(vip)}, local, ready};
}

TEST(Policy, PeersSelectedByNodeSelectors) {
  auto routes = DesiredRoutes(Config(), Node(), {});
  EXPECT_EQ(routes.size(), 2u);
  EXPECT_TRUE(routes.contains("ext"));
  EXPECT_TRUE(routes.contains("in"));
}

TEST(Policy, AggregationAndCommunitiesMerged) {
  auto c = Config();
  config::BGPAdvertisement a1;
  a1.aggregation_length = 24;
  a1.resolved_communities = {{config::CommunityValue::Kind::kStandard, 64500, 100, 0}};
  config::BGPAdvertisement a2;
  a2.aggregation_length = 24;
  a2.resolved_communities = {{config::CommunityValue::Kind::kStandard, 64500, 200, 0},
                             {config::CommunityValue::Kind::kLarge, 64500, 1, 2}};
  c.bgp_advertisements = {a1, a2};
  auto routes = DesiredRoutes(c, Node(), {Svc("192.0.2.77"), Svc("192.0.2.78")});
  ASSERT_EQ(routes["ext"].size(), 1u);
  const RouteAttributes& r = routes["ext"].at(P("192.0.2.0/24"));
  EXPECT_EQ(r.communities, (std::vector<uint32_t>{(64500u << 16) | 100, (64500u << 16) | 200}));
  EXPECT_EQ(r.large_communities.size(), 1u);
}

TEST(Policy, Ipv6AggregationLength) {
  auto c = Config();
  config::BGPAdvertisement a;
  a.aggregation_length_v6 = 64;
  c.bgp_advertisements = {a};
  auto routes = DesiredRoutes(c, Node(), {Svc("2001:db8::5")});
  EXPECT_TRUE(routes["ext"].contains(P("2001:db8::/64")));
}

TEST(Policy, LocalPrefOnlyToInternalPeers) {
  auto c = Config();
  config::BGPAdvertisement a;
  a.local_pref = 250;
  c.bgp_advertisements = {a};
  auto routes = DesiredRoutes(c, Node(), {Svc("192.0.2.1")});
  EXPECT_EQ(routes["in"].at(P("192.0.2.1/32")).local_pref, 250u);
  EXPECT_FALSE(routes["ext"].at(P("192.0.2.1/32")).local_pref.has_value());
}

TEST(Policy, LocalTrafficPolicyNeedsReadyEndpoint) {
  auto c = Config();
  c.bgp_advertisements = {config::BGPAdvertisement{}};
  EXPECT_TRUE(DesiredRoutes(c, Node(), {Svc("192.0.2.1", true, false)})["ext"].empty());
  EXPECT_EQ(DesiredRoutes(c, Node(), {Svc("192.0.2.1", true, true)})["ext"].size(), 1u);
}

TEST(Policy, AdvertisementPeersPoolsAndSelectors) {
  auto c = Config();
  config::BGPAdvertisement a;
  a.peers = {"in"};
  a.ip_address_pools = {"pool"};
  config::LabelSelector svc_sel;
  svc_sel.match_labels["app"] = "web";
  a.service_selectors = {svc_sel};
  c.bgp_advertisements = {a};
  auto routes = DesiredRoutes(c, Node(), {Svc("192.0.2.1")});
  EXPECT_TRUE(routes["ext"].empty());
  EXPECT_EQ(routes["in"].size(), 1u);
  c.bgp_advertisements[0].ip_address_pools = {"other"};
  EXPECT_TRUE(DesiredRoutes(c, Node(), {Svc("192.0.2.1")})["in"].empty());
  c.bgp_advertisements[0].ip_address_pools = {"pool"};
  c.bgp_advertisements[0].service_selectors[0].match_labels["app"] = "db";
  EXPECT_TRUE(DesiredRoutes(c, Node(), {Svc("192.0.2.1")})["in"].empty());
}

TEST(Policy, VipLeavingIsWithdrawnFromDesired) {
  auto c = Config();
  c.bgp_advertisements = {config::BGPAdvertisement{}};
  EXPECT_EQ(DesiredRoutes(c, Node(), {Svc("192.0.2.1")})["ext"].size(), 1u);
  EXPECT_TRUE(DesiredRoutes(c, Node(), {})["ext"].empty());
}

TEST(Policy, SessionConfigFromPeer) {
  auto c = Config();
  SessionConfig s = SessionConfigFor(c, c.bgp_peers[0], core::RouterId(7));
  EXPECT_EQ(s.name, "ext");
  EXPECT_EQ(s.remote.port, 179);
  EXPECT_EQ(s.local.router_id, core::RouterId(7));
  EXPECT_EQ(s.local.hold_time, core::Duration::Seconds(90));
}

// MetalLB spec.passwordSecret: the "password" key of a kubernetes.io/basic-auth
// Secret, in the peer's namespace unless the reference names another.
TEST(Policy, PasswordFromTheReferencedSecret) {
  auto c = Config();
  config::BGPPeer& peer = c.bgp_peers[0];
  peer.meta.namespace_ = "metallb-system";
  peer.password_secret = config::SecretReference{"bgp-auth", ""};
  config::Secret secret;
  secret.meta.name = "bgp-auth";
  secret.meta.namespace_ = "metallb-system";
  secret.type = "kubernetes.io/basic-auth";
  secret.data["password"] = "from-secret";
  config::Secret elsewhere = secret;
  elsewhere.meta.namespace_ = "other";
  elsewhere.data["password"] = "other-ns";
  c.secrets = {elsewhere, secret};
  EXPECT_EQ(SessionConfigFor(c, peer, core::RouterId(7)).password, "from-secret");
  peer.password_secret->namespace_ = "other";
  EXPECT_EQ(SessionConfigFor(c, peer, core::RouterId(7)).password, "other-ns");
  // Missing or unfit Secrets (validation reports them) give no key.
  peer.password_secret->namespace_ = "nowhere";
  EXPECT_EQ(SessionConfigFor(c, peer, core::RouterId(7)).password, "");
  peer.password_secret->namespace_ = "";
  c.secrets[1].type = "Opaque";
  EXPECT_EQ(SessionConfigFor(c, peer, core::RouterId(7)).password, "");
  // spec.password still works without a reference.
  peer.password_secret.reset();
  peer.password = "inline";
  EXPECT_EQ(SessionConfigFor(c, peer, core::RouterId(7)).password, "inline");
}

// RFC 5082: single-hop eBGP sends TTL 255 so that a peer enforcing GTSM
// accepts it; iBGP and ebgpMultiHop keep the host default.
TEST(Policy, SingleHopEbgpSendsTtl255) {
  auto c = Config();
  EXPECT_EQ(SessionConfigFor(c, c.bgp_peers[0], core::RouterId(7)).ttl, 255);
  EXPECT_EQ(SessionConfigFor(c, c.bgp_peers[1], core::RouterId(7)).ttl, 64);  // iBGP
  c.bgp_peers[0].ebgp_multi_hop = true;
  EXPECT_EQ(SessionConfigFor(c, c.bgp_peers[0], core::RouterId(7)).ttl, 64);
}

}  // namespace
}  // namespace vipcast::bgp
