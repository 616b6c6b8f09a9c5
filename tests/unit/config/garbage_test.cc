// Whatever the bytes, LoadManifests returns (never throws, never crashes,
// never runs away) and says what is wrong.
#include <gtest/gtest.h>

#include <random>

#include "test_files.h"

namespace vipcast::config {
namespace {

using testing::LoadText;

void ExpectError(const std::string& text) {
  LoadResult r;
  ASSERT_NO_THROW(r = LoadText(text));
  EXPECT_FALSE(r.ok()) << text.substr(0, 200);
  EXPECT_FALSE(r.diagnostics.empty());
}

std::string Repeat(const std::string& s, size_t n) {
  std::string out;
  out.reserve(s.size() * n);
  for (size_t i = 0; i < n; ++i) out += s;
  return out;
}

TEST(Garbage, BinaryBytes) {
  std::string all;
  for (int i = 0; i < 256; ++i) all += static_cast<char>(i);
  ASSERT_NO_THROW(LoadText(all));
  ExpectError(std::string("\x00\x01\x02\xff\xfe", 5));
  ExpectError("\xef\xbb\xbf\x80\x81: [\x82");
  std::mt19937 rng(12345);  // fixed seed: the same bytes every run
  for (int round = 0; round < 300; ++round) {
    std::string bytes(static_cast<size_t>(rng() % 2000), '\0');
    for (char& c : bytes) c = static_cast<char>(rng() & 0xff);
    ASSERT_NO_THROW(LoadText(bytes)) << round;
  }
}

TEST(Garbage, RandomYamlishText) {
  // Fragments of YAML syntax and of our schema, shuffled: this reaches the
  // readers far more often than random bytes do.
  const std::vector<std::string> pieces = {"apiVersion: metallb.io/v1beta1\n",
                                           "kind: IPAddressPool\n",
                                           "kind: BGPPeer\n",
                                           "apiVersion: metallb.io/v1beta2\n",
                                           "metadata:\n",
                                           "  name: x\n",
                                           "spec:\n",
                                           "  addresses:\n",
                                           "  - 10.0.0.0/8\n",
                                           "  - &a [1, 2]\n",
                                           "  - *a\n",
                                           "---\n",
                                           "  ",
                                           "{",
                                           "}",
                                           "[",
                                           "]",
                                           ": ",
                                           "- ",
                                           "!!str ",
                                           "<<: *a\n",
                                           "? ",
                                           "|\n",
                                           ">-\n",
                                           "'",
                                           "\"",
                                           "  myASN: 99999999999999999999\n",
                                           "  nodeSelectors:\n",
                                           "  - matchExpressions:\n",
                                           "    - {key: k, operator: In, values: []}\n",
                                           "kind: List\nitems:\n",
                                           "\t",
                                           "#c\n",
                                           "apiVersion: v1\nkind: Service\n",
                                           "  ports: [{port: 80}]\n",
                                           "%YAML 1.2\n",
                                           "...\n"};
  std::mt19937 rng(424242);
  for (int round = 0; round < 2000; ++round) {
    std::string text;
    const size_t n = 1 + rng() % 40;
    for (size_t i = 0; i < n; ++i) text += pieces[rng() % pieces.size()];
    ASSERT_NO_THROW(LoadText(text)) << text;
  }
}

TEST(Garbage, EveryPrefixOfAValidFile) {
  const std::string full = testing::ReadFile(
      "tests/data/metallb-docs/configsamples/configsamples-11-deployment-bgp.yaml");
  ASSERT_FALSE(full.empty());
  for (size_t n = 0; n <= full.size(); ++n) ASSERT_NO_THROW(LoadText(full.substr(0, n))) << n;
}

TEST(Garbage, DeepNesting) {
  ExpectError(Repeat("[", 100000));
  ExpectError(Repeat("{a: ", 100000));
  ExpectError(
      "apiVersion: metallb.io/v1beta1\nkind: IPAddressPool\nmetadata: {name: x}\n"
      "spec:\n  addresses: " +
      Repeat("[", 50000) + Repeat("]", 50000) + "\n");
  std::string block;
  for (int depth = 0; depth < 1500; ++depth)
    block += std::string(static_cast<size_t>(depth), ' ') + "a:\n";
  ExpectError(block);
}

TEST(Garbage, HugeNumbersAndStrings) {
  ExpectError(R"(apiVersion: metallb.io/v1beta2
kind: BGPPeer
metadata: {name: p, namespace: metallb-system}
spec:
  myASN: 99999999999999999999999999999999999999
  peerASN: -99999999999999999999
  peerAddress: 10.0.0.1
  peerPort: 0xffffffffffffffffffffffff
  holdTime: 99999999999999999999h
)");
  ExpectError(R"(apiVersion: metallb.io/v1beta1
kind: BGPAdvertisement
metadata: {name: a, namespace: metallb-system}
spec:
  aggregationLength: 1e400
  localPref: 18446744073709551616
)");
  // A 4 MB name: reported (too long), quoted in bounded form.
  const auto r = LoadText(
      "apiVersion: v1\nkind: Service\nmetadata:\n  name: " + std::string(4 << 20, 'a') + "\n");
  ASSERT_FALSE(r.ok());
  for (const auto& d : r.diagnostics) EXPECT_LT(d.ToString().size(), 1000u);
}

TEST(Garbage, AliasBombIsBounded) {
  // "Billion laughs": nine levels of ten aliases each, placed where the
  // reader walks lists of lists (selectors -> expressions -> values).
  std::string text = "a0: &a0 [x, x, x, x, x, x, x, x, x, x]\n";
  for (int i = 1; i < 9; ++i) {
    const std::string prev = "*a" + std::to_string(i - 1);
    text += "a" + std::to_string(i) + ": &a" + std::to_string(i) + " [" + Repeat(prev + ", ", 9) +
            prev + "]\n";
  }
  ExpectError(text);  // top-level: not an object; nothing is walked

  std::string bomb =
      "apiVersion: metallb.io/v1beta1\nkind: L2Advertisement\nmetadata: {name: l2, namespace: "
      "metallb-system}\nspec:\n  values: &v [" +
      Repeat("a, ", 999) + "a]\n" + "  expr: &e {key: k, operator: In, values: *v}\n" +
      "  sel: &s {matchExpressions: [" + Repeat("*e, ", 999) + "*e]}\n" + "  nodeSelectors: [" +
      Repeat("*s, ", 999) + "*s]\n";
  LoadResult r;
  ASSERT_NO_THROW(r = LoadText(bomb));
  ASSERT_EQ(r.diagnostics.size(), 1u) << testing::Format(r.diagnostics);
  EXPECT_EQ(r.diagnostics[0].message.rfind("YAML aliases expand this document to 1", 0), 0u)
      << r.diagnostics[0].message;
}

TEST(Garbage, ModestAliasUseIsFine) {
  // Anchors for shared selectors are legitimate and stay well under the limit.
  const auto r = LoadText(R"(apiVersion: v1
kind: List
items:
- apiVersion: metallb.io/v1beta1
  kind: L2Advertisement
  metadata: {name: a, namespace: metallb-system}
  spec:
    nodeSelectors: &nodes
    - matchLabels: {role: edge}
- apiVersion: metallb.io/v1beta1
  kind: L2Advertisement
  metadata: {name: b, namespace: metallb-system}
  spec:
    nodeSelectors: *nodes
)");
  EXPECT_TRUE(r.ok()) << testing::Format(r.diagnostics);
  EXPECT_EQ(r.resources.config.l2_advertisements.at(1).node_selectors.size(), 1u);
}

TEST(Garbage, SelfReferentialAlias) {
  // yaml-cpp registers an anchor before its content, so this is a cycle.
  ASSERT_NO_THROW(LoadText("a: &a [*a]\n"));
  const auto r = LoadText(R"(apiVersion: metallb.io/v1beta1
kind: L2Advertisement
metadata: {name: l2, namespace: metallb-system}
spec: &s
  nodeSelectors: [*s]
)");
  ASSERT_EQ(r.diagnostics.size(), 1u) << testing::Format(r.diagnostics);
  EXPECT_EQ(r.diagnostics[0].ToString(),
            "test.yaml:5: YAML alias refers to a node that contains it; document ignored");
}

TEST(Garbage, YamlSyntaxErrorHasALine) {
  const auto r = LoadText("a: 1\nb: [1, 2\nc: 3\n", "broken.yaml");
  ASSERT_EQ(r.diagnostics.size(), 1u);
  EXPECT_EQ(r.diagnostics[0].file, "broken.yaml");
  EXPECT_GT(r.diagnostics[0].line, 0);
  EXPECT_NE(r.diagnostics[0].message.find("YAML syntax error"), std::string::npos);
}

}  // namespace
}  // namespace vipcast::config
