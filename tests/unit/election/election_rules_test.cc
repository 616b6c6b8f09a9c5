// One test per election rule, each run through both the incremental
// Election and the from-scratch reference (Cluster::Elect checks agreement).
#include <gtest/gtest.h>

#include "tests/unit/election/cluster_fixture.h"

namespace vipcast::election::testing {
namespace {

using Names = std::vector<std::string>;

// ---------------------------------------------------------------- ordering

TEST(ElectionRulesTest, HashOrderMatchesMetalLBVectorIpv4) {
  Cluster c;
  auto r = c.Elect().value();
  EXPECT_EQ(CandidateNames(r), (Names{"node-a", "node-c", "node-b"}));
  EXPECT_EQ(r.winner, "node-a");
  EXPECT_EQ(r.next_in_line, "node-c");
  EXPECT_EQ(r.status, VipStatus::kAnnounced);
  EXPECT_EQ(r.pool, "first-pool");
  EXPECT_TRUE(r.excluded.empty());
}

TEST(ElectionRulesTest, HashOrderMatchesMetalLBVectorIpv6) {
  Cluster c;
  c.config.pools = {MakePool("v6", {"fc00:f853:ccd:e799::/64"})};
  c.web().ingress_ips = {core::IpAddr::Parse("fc00:f853:ccd:e799::1").value()};
  EXPECT_EQ(CandidateNames(c.Elect().value()), (Names{"node-b", "node-a", "node-c"}));
}

TEST(ElectionRulesTest, DualStackFollowsTheFirstIp) {
  Cluster c;
  c.config.pools = {MakePool("dual", {"192.168.1.240-192.168.1.250", "fc00:f853:ccd:e799::/64"})};
  c.web().ingress_ips = {core::IpAddr::Parse("fc00:f853:ccd:e799::1").value(),
                         core::IpAddr::Parse("192.168.1.240").value()};
  EXPECT_EQ(CandidateNames(c.Elect().value()), (Names{"node-b", "node-a", "node-c"}));
  std::swap(c.web().ingress_ips[0], c.web().ingress_ips[1]);
  EXPECT_EQ(CandidateNames(c.Elect().value()), (Names{"node-a", "node-c", "node-b"}));
}

TEST(ElectionRulesTest, PreferredNodeScoreBeatsTheHash) {
  Cluster c;
  c.nodes.nodes[1].meta.labels["zone"] = "edge";  // node-b, last by hash
  config::PreferredNodeSelector edge;
  edge.weight = 50;
  edge.preference = Match({{"zone", "edge"}});
  c.config.l2_advertisements[0].preferred_node_selectors = {edge};
  auto r = c.Elect().value();
  EXPECT_EQ(CandidateNames(r), (Names{"node-b", "node-a", "node-c"}));
  EXPECT_EQ(r.candidates[0].score, 50);
  EXPECT_EQ(r.candidates[1].score, 0);
}

TEST(ElectionRulesTest, PreferenceWeightsAddUpAcrossSelectorsAndAdvertisements) {
  Cluster c;
  c.nodes.nodes[1].meta.labels = {{"zone", "z1"}};                 // node-b: 10
  c.nodes.nodes[2].meta.labels = {{"zone", "z1"}, {"tier", "1"}};  // node-c: 10 + 5 + 7
  config::PreferredNodeSelector z1{10, Match({{"zone", "z1"}})};
  config::PreferredNodeSelector t1{5, Match({{"tier", "1"}})};
  c.config.l2_advertisements[0].preferred_node_selectors = {z1, t1};
  auto second = MakeAd("l2-boost");
  second.preferred_node_selectors = {{7, Match({{"tier", "1"}})}};
  c.config.l2_advertisements.push_back(second);
  auto r = c.Elect().value();
  EXPECT_EQ(CandidateNames(r), (Names{"node-c", "node-b", "node-a"}));
  EXPECT_EQ(r.candidates[0].score, 22);
  EXPECT_EQ(r.candidates[1].score, 10);
}

TEST(ElectionRulesTest, PreferencesCountOnlyWhereTheAdvertisementSelectsTheNode) {
  Cluster c;
  c.nodes.nodes[0].meta.labels = {{"sel", "yes"}};
  c.nodes.nodes[1].meta.labels = {{"zone", "edge"}};
  c.nodes.nodes[2].meta.labels = {{"sel", "yes"}, {"zone", "edge"}};
  // "picky" prefers edge nodes but selects only sel=yes nodes: node-b is a
  // candidate through the plain "l2" advertisement, with score 0.
  auto picky = MakeAd("picky");
  picky.node_selectors = {Match({{"sel", "yes"}})};
  picky.preferred_node_selectors = {{100, Match({{"zone", "edge"}})}};
  c.config.l2_advertisements.push_back(picky);
  auto r = c.Elect().value();
  EXPECT_EQ(CandidateNames(r), (Names{"node-c", "node-a", "node-b"}));
  EXPECT_EQ(r.candidates[0].score, 100);
  EXPECT_EQ(r.candidates[2].score, 0);
}

TEST(ElectionRulesTest, NegativeWeightSumScoresZero) {
  Cluster c;
  c.nodes.nodes[0].meta.labels = {{"slow", "yes"}};  // node-a, first by hash
  c.config.l2_advertisements[0].preferred_node_selectors = {{-5, Match({{"slow", "yes"}})}};
  // MetalLB keeps only positive totals, so node-a keeps score 0 and wins.
  auto r = c.Elect().value();
  EXPECT_EQ(r.winner, "node-a");
  EXPECT_EQ(r.candidates[0].score, 0);
}

// sha256("node-4411#192.168.1.240") = 9d37e83f 219c... and
// sha256("node-10164#192.168.1.240") = 9d37e83f dc3a...: the first four bytes
// tie, so the order must come from the full digests (node-4411 first), not
// from the names (which would put node-10164 first).
TEST(ElectionRulesTest, DigestPrefixTieFallsBackToTheFullDigest) {
  Cluster c;
  c.nodes.nodes = {MakeNode("node-10164"), MakeNode("node-4411")};
  EXPECT_EQ(CandidateNames(c.Elect().value()), (Names{"node-4411", "node-10164"}));
}

TEST(ElectionRulesTest, DigestPrefixTieWhenANodeIsInsertedIncrementally) {
  Cluster c;
  // Enough other nodes that adding one is an insertion, not a re-sort.
  for (int i = 0; i < 10; ++i) c.nodes.nodes.push_back(MakeNode("filler-" + std::to_string(i)));
  c.nodes.nodes.push_back(MakeNode("node-4411"));
  Election election;
  election.SetConfig(c.config);
  election.SetNodes(c.nodes);
  election.SetServices(c.services);
  std::vector<std::string> members = {"node-4411", "node-10164"};
  election.SetMembers(Members(members));
  c.nodes.nodes.push_back(MakeNode("node-10164"));
  election.SetNodes(c.nodes);
  EXPECT_EQ(CandidateNames(election.Explain("default/web").value()),
            (Names{"node-4411", "node-10164"}));
  // And the other way round: node-4411 arrives last and goes first.
  c.nodes.nodes.erase(c.nodes.nodes.end() - 2);
  election.SetNodes(c.nodes);
  c.nodes.nodes.push_back(MakeNode("node-4411"));
  election.SetNodes(c.nodes);
  EXPECT_EQ(CandidateNames(election.Explain("default/web").value()),
            (Names{"node-4411", "node-10164"}));
}

// ---------------------------------------------------------------- node rules

TEST(ElectionRulesTest, NonMembersAreExcluded) {
  Cluster c;
  c.members = Names{"node-b", "node-c"};
  auto r = c.Elect().value();
  EXPECT_EQ(r.winner, "node-c");
  EXPECT_EQ(r.next_in_line, "node-b");
  EXPECT_EQ(ReasonOf(r, "node-a"), ExclusionReason::kNotLiveMember);
  EXPECT_EQ(Describe(ExclusionReason::kNotLiveMember, r.pool), "not a live member");
}

TEST(ElectionRulesTest, LiveMemberWithoutNodeObjectIsExcluded) {
  Cluster c;
  c.members = Names{"node-a", "node-b", "node-c", "ghost"};
  auto r = c.Elect().value();
  EXPECT_EQ(ReasonOf(r, "ghost"), ExclusionReason::kNoNodeObject);
  EXPECT_EQ(r.candidates.size(), 3u);
}

TEST(ElectionRulesTest, NoLiveMemberMeansNoWinner) {
  Cluster c;
  c.members = Names{};
  auto r = c.Elect().value();
  EXPECT_EQ(r.status, VipStatus::kNoLiveCandidate);
  EXPECT_FALSE(r.winner);
  EXPECT_EQ(r.excluded.size(), 3u);
}

TEST(ElectionRulesTest, NetworkUnavailableTrueExcludes) {
  Cluster c;
  c.nodes.nodes[0] = WithCondition(c.nodes.nodes[0], "NetworkUnavailable", "True");
  c.nodes.nodes[1] = WithCondition(c.nodes.nodes[1], "NetworkUnavailable", "False");
  c.nodes.nodes[2] = WithCondition(c.nodes.nodes[2], "NetworkUnavailable", "Unknown");
  auto r = c.Elect().value();
  EXPECT_EQ(CandidateNames(r), (Names{"node-c", "node-b"}));
  EXPECT_EQ(ReasonOf(r, "node-a"), ExclusionReason::kNetworkUnavailable);
  EXPECT_EQ(Describe(ExclusionReason::kNetworkUnavailable, r.pool),
            "condition NetworkUnavailable=True");
}

TEST(ElectionRulesTest, ExcludeFromExternalLoadBalancersLabel) {
  Cluster c;
  c.nodes.nodes[0].meta.labels[kLabelExcludeFromExternalLoadBalancers] = "";
  auto r = c.Elect().value();
  EXPECT_EQ(r.winner, "node-c");
  EXPECT_EQ(ReasonOf(r, "node-a"), ExclusionReason::kExcludeLabel);
  EXPECT_EQ(Describe(ExclusionReason::kExcludeLabel, r.pool),
            "label node.kubernetes.io/exclude-from-external-load-balancers");
  c.options.ignore_exclude_lb_label = true;
  EXPECT_EQ(c.Elect()->winner, "node-a");
}

TEST(ElectionRulesTest, NodeRulesAreReportedBeforeServiceWideOnes) {
  Cluster c;
  c.services.endpoint_slices.clear();
  c.nodes.nodes[0].meta.labels[kLabelExcludeFromExternalLoadBalancers] = "true";
  auto r = c.Elect().value();
  EXPECT_EQ(r.status, VipStatus::kNoServingEndpoint);
  EXPECT_EQ(ReasonOf(r, "node-a"), ExclusionReason::kExcludeLabel);
  EXPECT_EQ(ReasonOf(r, "node-b"), ExclusionReason::kNoServingEndpoint);
}

// ---------------------------------------------------------------- advertisements

TEST(ElectionRulesTest, NodeSelectorsLimitCandidates) {
  Cluster c;
  c.nodes.nodes[1].meta.labels = {{"role", "lb"}};
  c.nodes.nodes[2].meta.labels = {{"role", "lb"}};
  c.config.l2_advertisements[0].node_selectors = {Match({{"role", "lb"}})};
  auto r = c.Elect().value();
  EXPECT_EQ(CandidateNames(r), (Names{"node-c", "node-b"}));
  EXPECT_EQ(ReasonOf(r, "node-a"), ExclusionReason::kNotSelectedByAdvertisement);
  EXPECT_EQ(Describe(ExclusionReason::kNotSelectedByAdvertisement, r.pool),
            "not selected by any L2Advertisement for pool first-pool");
}

TEST(ElectionRulesTest, NodeSelectorsOfSeveralAdvertisementsUnite) {
  Cluster c;
  c.nodes.nodes[0].meta.labels = {{"rack", "1"}};
  c.nodes.nodes[1].meta.labels = {{"rack", "2"}};
  c.config.l2_advertisements[0].node_selectors = {Match({{"rack", "1"}})};
  auto second = MakeAd("rack2");
  second.node_selectors = {Match({{"rack", "2"}})};
  c.config.l2_advertisements.push_back(second);
  auto r = c.Elect().value();
  EXPECT_EQ(CandidateNames(r), (Names{"node-a", "node-b"}));
  EXPECT_EQ(ReasonOf(r, "node-c"), ExclusionReason::kNotSelectedByAdvertisement);
}

TEST(ElectionRulesTest, AdvertisementForAnotherPoolDoesNotCount) {
  Cluster c;
  c.config.pools.push_back(MakePool("other-pool", {"10.0.0.0/24"}));
  c.config.l2_advertisements[0].ip_address_pools = {"other-pool", "no-such-pool"};
  auto r = c.Elect().value();
  EXPECT_EQ(r.status, VipStatus::kNoL2Advertisement);
  EXPECT_FALSE(r.winner);
  EXPECT_TRUE(r.candidates.empty());
  EXPECT_EQ(ReasonOf(r, "node-a"), ExclusionReason::kNoL2Advertisement);
  c.config.l2_advertisements[0].ip_address_pools = {"first-pool"};
  EXPECT_EQ(c.Elect()->winner, "node-a");
}

TEST(ElectionRulesTest, AdvertisementSelectsPoolsByLabel) {
  Cluster c;
  c.config.pools[0].meta.labels = {{"tier", "gold"}};
  c.config.l2_advertisements[0].ip_address_pool_selectors = {Match({{"tier", "silver"}})};
  EXPECT_EQ(c.Elect()->status, VipStatus::kNoL2Advertisement);
  c.config.l2_advertisements[0].ip_address_pool_selectors = {Match({{"tier", "gold"}})};
  EXPECT_EQ(c.Elect()->winner, "node-a");
}

TEST(ElectionRulesTest, ServiceSelectorsPickTheAdvertisements) {
  Cluster c;
  c.nodes.nodes[2].meta.labels = {{"role", "frontend"}};
  // "l2" serves backend services anywhere; "front" serves frontend services
  // on node-c only.
  c.config.l2_advertisements[0].service_selectors = {Match({{"app", "backend"}})};
  auto front = MakeAd("front");
  front.service_selectors = {Match({{"app", "frontend"}})};
  front.node_selectors = {Match({{"role", "frontend"}})};
  c.config.l2_advertisements.push_back(front);

  c.web().meta.labels = {{"app", "frontend"}};
  auto r = c.Elect().value();
  EXPECT_EQ(CandidateNames(r), (Names{"node-c"}));
  EXPECT_EQ(ReasonOf(r, "node-a"), ExclusionReason::kNotSelectedByAdvertisement);

  c.web().meta.labels = {{"app", "backend"}};
  EXPECT_EQ(CandidateNames(c.Elect().value()), (Names{"node-a", "node-c", "node-b"}));

  c.web().meta.labels = {{"app", "other"}};
  EXPECT_EQ(c.Elect()->status, VipStatus::kNoL2Advertisement);
}

TEST(ElectionRulesTest, SharedIpWithServiceSelectorIsNotAnnounced) {
  Cluster c;
  c.web().meta.annotations["metallb.universe.tf/allow-shared-ip"] = "key";
  EXPECT_EQ(c.Elect()->winner, "node-a");  // no serviceSelectors: fine
  c.config.l2_advertisements[0].service_selectors = {Match({{"app", "web"}})};
  c.web().meta.labels = {{"app", "web"}};
  auto r = c.Elect().value();
  EXPECT_EQ(r.status, VipStatus::kSharedIpWithServiceSelector);
  EXPECT_FALSE(r.winner);
  EXPECT_EQ(ReasonOf(r, "node-b"), ExclusionReason::kSharedIpWithServiceSelector);
}

// ---------------------------------------------------------------- endpoints

TEST(ElectionRulesTest, LocalPolicyNeedsAReadyEndpointOnTheNode) {
  Cluster c;
  c.web().external_traffic_policy = config::TrafficPolicy::kLocal;
  c.services.endpoint_slices = {MakeSlice("default", "web", {{"node-b", true}, {"node-c", false}})};
  auto r = c.Elect().value();
  EXPECT_EQ(CandidateNames(r), (Names{"node-b"}));
  EXPECT_EQ(ReasonOf(r, "node-a"), ExclusionReason::kNoLocalEndpoint);
  EXPECT_EQ(ReasonOf(r, "node-c"), ExclusionReason::kNoLocalEndpoint);
  EXPECT_EQ(Describe(ExclusionReason::kNoLocalEndpoint, r.pool),
            "no ready endpoint (externalTrafficPolicy Local)");
}

TEST(ElectionRulesTest, UnsetReadyConditionMeansReady) {
  Cluster c;
  c.web().external_traffic_policy = config::TrafficPolicy::kLocal;
  c.services.endpoint_slices = {MakeSlice("default", "web", {{"node-c", std::nullopt}})};
  EXPECT_EQ(CandidateNames(c.Elect().value()), (Names{"node-c"}));
}

TEST(ElectionRulesTest, ServingButNotReadyEndpointCounts) {
  // MetalLB EndpointCanServe: a terminating endpoint that still serves keeps
  // the announcement so connections can drain.
  Cluster c;
  c.web().external_traffic_policy = config::TrafficPolicy::kLocal;
  auto slice = MakeSlice("default", "web", {{"node-c", false}});
  slice.endpoints[0].conditions.serving = true;
  c.services.endpoint_slices = {slice};
  EXPECT_EQ(CandidateNames(c.Elect().value()), (Names{"node-c"}));
}

TEST(ElectionRulesTest, EndpointsAcrossSeveralSlicesCount) {
  Cluster c;
  c.web().external_traffic_policy = config::TrafficPolicy::kLocal;
  c.services.endpoint_slices = {MakeSlice("default", "web", {{"node-b", true}}, "web-1"),
                                MakeSlice("default", "web", {{"node-c", true}}, "web-2")};
  EXPECT_EQ(CandidateNames(c.Elect().value()), (Names{"node-c", "node-b"}));
}

TEST(ElectionRulesTest, ClusterPolicyWithNoReadyEndpointAnywhereAnnouncesNothing) {
  Cluster c;
  c.services.endpoint_slices = {MakeSlice("default", "web", {{"node-a", false}})};
  auto r = c.Elect().value();
  EXPECT_EQ(r.status, VipStatus::kNoServingEndpoint);
  EXPECT_FALSE(r.winner);
  EXPECT_EQ(ReasonOf(r, "node-a"), ExclusionReason::kNoServingEndpoint);
  c.services.endpoint_slices.clear();
  EXPECT_EQ(c.Elect()->status, VipStatus::kNoServingEndpoint);
}

TEST(ElectionRulesTest, ClusterPolicyAnyReadyEndpointLetsEveryNodeCompete) {
  Cluster c;
  // The endpoint is on a node that isn't even a member, and has no nodeName
  // in a second slice: both count for "exists anywhere".
  c.services.endpoint_slices = {MakeSlice("default", "web", {{"", true}})};
  EXPECT_EQ(c.Elect()->candidates.size(), 3u);
}

TEST(ElectionRulesTest, SlicesOfOtherServicesOrNamespacesDontCount) {
  Cluster c;
  c.services.endpoint_slices = {MakeSlice("other", "web", {{"node-a", true}}),
                                MakeSlice("default", "api", {{"node-a", true}})};
  EXPECT_EQ(c.Elect()->status, VipStatus::kNoServingEndpoint);
}

// ---------------------------------------------------------------- services

TEST(ElectionRulesTest, IpOutsideEveryPoolIsNotAnnounced) {
  Cluster c;
  c.web().ingress_ips = {core::IpAddr::Parse("10.9.9.9").value()};
  auto r = c.Elect().value();
  EXPECT_EQ(r.status, VipStatus::kIpNotInAnyPool);
  EXPECT_TRUE(r.pool.empty());
  EXPECT_EQ(ReasonOf(r, "node-b"), ExclusionReason::kIpNotInAnyPool);
}

TEST(ElectionRulesTest, IpsSplitAcrossPoolsAreNotAnnounced) {
  Cluster c;
  c.config.pools.push_back(MakePool("v6", {"fc00::/64"}));
  c.web().ingress_ips.push_back(core::IpAddr::Parse("fc00::1").value());
  EXPECT_EQ(c.Elect()->status, VipStatus::kIpNotInAnyPool);
}

TEST(ElectionRulesTest, OnlyLoadBalancerServicesWithIpsOfOurClassTakePart) {
  Cluster c;
  c.web().type = config::ServiceType::kNodePort;
  EXPECT_FALSE(c.Elect());
  c.web().type = config::ServiceType::kLoadBalancer;
  c.web().ingress_ips.clear();
  EXPECT_FALSE(c.Elect());
  c.web().ingress_ips = {core::IpAddr::Parse("192.168.1.240").value()};
  c.web().load_balancer_class = "other.example/lb";
  EXPECT_FALSE(c.Elect());
  c.options.load_balancer_class = "other.example/lb";
  EXPECT_TRUE(c.Elect());
  c.web().load_balancer_class.reset();
  EXPECT_FALSE(c.Elect());
}

}  // namespace
}  // namespace vipcast::election::testing
