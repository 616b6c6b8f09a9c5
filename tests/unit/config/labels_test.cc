// Label selector semantics, exactly as k8s.io/apimachinery's
// LabelSelectorAsSelector evaluates them, including through the loader.
#include "engine/config/labels.h"

#include <gtest/gtest.h>

#include "test_files.h"

namespace vipcast::config {
namespace {

LabelSelectorRequirement Req(std::string key, SelectorOperator op,
                             std::vector<std::string> values = {}) {
  return LabelSelectorRequirement{std::move(key), op, std::move(values)};
}

const LabelMap kWeb = {{"app", "web"}, {"tier", "frontend"}};

TEST(LabelSelector, EmptySelectorMatchesEverything) {
  EXPECT_TRUE(LabelSelector{}.Matches({}));
  EXPECT_TRUE(LabelSelector{}.Matches(kWeb));
}

TEST(LabelSelector, MatchLabelsNeedsEveryPair) {
  EXPECT_TRUE((LabelSelector{{{"app", "web"}}, {}}).Matches(kWeb));
  EXPECT_TRUE((LabelSelector{{{"app", "web"}, {"tier", "frontend"}}, {}}).Matches(kWeb));
  EXPECT_FALSE((LabelSelector{{{"app", "web"}, {"tier", "backend"}}, {}}).Matches(kWeb));
  EXPECT_FALSE((LabelSelector{{{"zone", "a"}}, {}}).Matches(kWeb));
  // Values compare exactly: an empty value is not a missing key.
  EXPECT_FALSE((LabelSelector{{{"app", ""}}, {}}).Matches(kWeb));
  EXPECT_TRUE((LabelSelector{{{"app", ""}}, {}}).Matches({{"app", ""}}));
}

TEST(LabelSelector, In) {
  EXPECT_TRUE(
      (LabelSelector{{}, {Req("app", SelectorOperator::kIn, {"db", "web"})}}).Matches(kWeb));
  EXPECT_FALSE((LabelSelector{{}, {Req("app", SelectorOperator::kIn, {"db"})}}).Matches(kWeb));
  // In never matches an object without the key.
  EXPECT_FALSE((LabelSelector{{}, {Req("zone", SelectorOperator::kIn, {"a"})}}).Matches(kWeb));
}

TEST(LabelSelector, NotInMatchesMissingKey) {
  EXPECT_FALSE((LabelSelector{{}, {Req("app", SelectorOperator::kNotIn, {"web"})}}).Matches(kWeb));
  EXPECT_TRUE((LabelSelector{{}, {Req("app", SelectorOperator::kNotIn, {"db"})}}).Matches(kWeb));
  EXPECT_TRUE((LabelSelector{{}, {Req("zone", SelectorOperator::kNotIn, {"a"})}}).Matches(kWeb));
}

TEST(LabelSelector, ExistsAndDoesNotExist) {
  EXPECT_TRUE((LabelSelector{{}, {Req("app", SelectorOperator::kExists)}}).Matches(kWeb));
  EXPECT_FALSE((LabelSelector{{}, {Req("zone", SelectorOperator::kExists)}}).Matches(kWeb));
  EXPECT_FALSE((LabelSelector{{}, {Req("app", SelectorOperator::kDoesNotExist)}}).Matches(kWeb));
  EXPECT_TRUE((LabelSelector{{}, {Req("zone", SelectorOperator::kDoesNotExist)}}).Matches(kWeb));
  // Exists matches an empty value: the key is there.
  EXPECT_TRUE((LabelSelector{{}, {Req("app", SelectorOperator::kExists)}}).Matches({{"app", ""}}));
}

TEST(LabelSelector, LabelsAndExpressionsAreAnded) {
  LabelSelector s{{{"app", "web"}}, {Req("tier", SelectorOperator::kIn, {"backend"})}};
  EXPECT_FALSE(s.Matches(kWeb));
  s.match_expressions[0].values.push_back("frontend");
  EXPECT_TRUE(s.Matches(kWeb));
  s.match_expressions.push_back(Req("canary", SelectorOperator::kDoesNotExist));
  EXPECT_TRUE(s.Matches(kWeb));
  EXPECT_FALSE(s.Matches({{"app", "web"}, {"tier", "frontend"}, {"canary", "1"}}));
}

TEST(AnySelectorMatches, EmptyListMatchesAllAndListsAreOred) {
  EXPECT_TRUE(AnySelectorMatches({}, {}));
  EXPECT_TRUE(AnySelectorMatches({}, kWeb));
  const std::vector<LabelSelector> list = {LabelSelector{{{"app", "db"}}, {}},
                                           LabelSelector{{{"tier", "frontend"}}, {}}};
  EXPECT_TRUE(AnySelectorMatches(list, kWeb));
  EXPECT_FALSE(AnySelectorMatches(list, {{"app", "cache"}}));
  // A list holding one empty selector matches everything too.
  EXPECT_TRUE(AnySelectorMatches({LabelSelector{}}, {{"x", "y"}}));
}

// The same semantics through YAML, as the docs' node selector example writes
// them (advanced-bgp-configuration-04: matchLabels + NotIn, ORed with an In).
TEST(LabelSelector, LoadedFromYaml) {
  const auto r = testing::LoadText(R"(apiVersion: metallb.io/v1beta2
kind: BGPPeer
metadata: {name: p, namespace: metallb-system}
spec:
  myASN: 64512
  peerASN: 64512
  peerAddress: 172.30.0.3
  nodeSelectors:
  - matchLabels:
      rack: frontend
    matchExpressions:
    - key: network-speed
      operator: NotIn
      values: [slow]
  - matchExpressions:
    - key: kubernetes.io/hostname
      operator: In
      values: [hostA, hostB]
)");
  ASSERT_TRUE(r.ok()) << testing::Format(r.diagnostics);
  const auto& selectors = r.resources.config.bgp_peers.at(0).node_selectors;
  ASSERT_EQ(selectors.size(), 2u);
  EXPECT_TRUE(AnySelectorMatches(selectors, {{"rack", "frontend"}}));
  EXPECT_TRUE(AnySelectorMatches(selectors, {{"rack", "frontend"}, {"network-speed", "fast"}}));
  EXPECT_FALSE(AnySelectorMatches(selectors, {{"rack", "frontend"}, {"network-speed", "slow"}}));
  EXPECT_TRUE(AnySelectorMatches(selectors, {{"kubernetes.io/hostname", "hostB"}}));
  EXPECT_FALSE(AnySelectorMatches(selectors, {{"kubernetes.io/hostname", "hostC"}}));
}

}  // namespace
}  // namespace vipcast::config
