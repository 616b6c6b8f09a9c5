// The incremental API: what each change reports, and that only the services a
// change can affect are reported.
#include <gtest/gtest.h>

#include "tests/unit/election/cluster_fixture.h"

namespace vipcast::election::testing {
namespace {

// Three nodes; by hash, 192.168.1.240 orders a, c, b and the service on
// 192.168.1.241 has its own order.
class ElectionIncrementalTest : public ::testing::Test {
 protected:
  using Names = std::vector<std::string>;

  void SetUp() override {
    c.services.services.push_back(MakeService("default", "api", {"192.168.1.241"}));
    c.services.endpoint_slices.push_back(MakeSlice("default", "api", {{"node-b", true}}));
    election.SetConfig(c.config);
    election.SetNodes(c.nodes);
    election.SetServices(c.services);
    election.SetMembers(Members({"node-a", "node-b", "node-c"}));
  }

  // The winners the reference computes for the current inputs.
  std::map<std::string, std::optional<std::string>> Reference(const Names& live) const {
    std::set<std::string> members(live.begin(), live.end());
    std::map<std::string, std::optional<std::string>> out;
    for (auto& [service, winner] :
         ElectWinnersFromScratch({c.config, c.nodes, c.services, members, {}})) {
      out[service] = winner;
    }
    return out;
  }

  std::map<std::string, std::optional<std::string>> Winners() const {
    std::map<std::string, std::optional<std::string>> out;
    for (const auto& s : election.Services()) out[s] = election.Winner(s);
    return out;
  }

  Cluster c;
  Election election;
};

std::optional<WinnerChange> Find(const std::vector<WinnerChange>& changes,
                                 const std::string& service) {
  for (const auto& ch : changes) {
    if (ch.service == service) return ch;
  }
  return std::nullopt;
}

TEST_F(ElectionIncrementalTest, WinnerGoingDownHandsOverToNextInLine) {
  ASSERT_EQ(election.Winner("default/web"), "node-a");
  ASSERT_EQ(election.NextInLine("default/web"), "node-c");

  auto changes = election.MemberChanged(Name("node-a"), false);
  EXPECT_EQ(Find(changes, "default/web"),
            (WinnerChange{"default/web", c.web().ingress_ips, "node-a", "node-c"}));
  EXPECT_EQ(election.NextInLine("default/web"), "node-b");
  EXPECT_EQ(Winners(), Reference({"node-b", "node-c"}));

  changes = election.MemberChanged(Name("node-a"), true);
  EXPECT_EQ(Find(changes, "default/web"),
            (WinnerChange{"default/web", c.web().ingress_ips, "node-c", "node-a"}));
  EXPECT_EQ(election.NextInLine("default/web"), "node-c");
  EXPECT_EQ(Winners(), Reference({"node-a", "node-b", "node-c"}));
}

TEST_F(ElectionIncrementalTest, LosingANonWinnerChangesNothing) {
  // node-b is last for web; whatever it is for api, web must not be reported.
  for (const auto& change : election.MemberChanged(Name("node-b"), false)) {
    EXPECT_NE(change.service, "default/web");
  }
  EXPECT_EQ(election.Winner("default/web"), "node-a");
  EXPECT_EQ(election.NextInLine("default/web"), "node-c");
}

TEST_F(ElectionIncrementalTest, RepeatedReportsAreNoOps) {
  EXPECT_TRUE(election.MemberChanged(Name("node-a"), true).empty());
  election.MemberChanged(Name("node-a"), false);
  EXPECT_TRUE(election.MemberChanged(Name("node-a"), false).empty());
}

TEST_F(ElectionIncrementalTest, LastMemberLeavingLeavesNobody) {
  election.SetMembers(Members({"node-b"}));
  EXPECT_EQ(election.Winner("default/web"), "node-b");
  auto changes = election.MemberChanged(Name("node-b"), false);
  ASSERT_EQ(changes.size(), 2u);
  EXPECT_EQ(changes[0].service, "default/api");
  EXPECT_EQ(changes[1].service, "default/web");
  EXPECT_EQ(changes[1].previous, "node-b");
  EXPECT_FALSE(changes[1].current);
  EXPECT_EQ(election.Explain("default/web")->status, VipStatus::kNoLiveCandidate);
}

TEST_F(ElectionIncrementalTest, SetMembersReportsOnlyNetChanges) {
  // a leaves and c leaves, so web goes a -> b; api's change depends on hashes.
  auto changes = election.SetMembers(Members({"node-b"}));
  EXPECT_EQ(Winners(), Reference({"node-b"}));
  bool saw_web = false;
  for (const auto& ch : changes) {
    if (ch.service == "default/web") {
      saw_web = true;
      EXPECT_EQ(ch.previous, "node-a");
      EXPECT_EQ(ch.current, "node-b");
    }
    EXPECT_NE(ch.previous, ch.current);
  }
  EXPECT_TRUE(saw_web);
  // Back to the same set: every change is reverted, nothing stays reported twice.
  changes = election.SetMembers(Members({"node-a", "node-b", "node-c"}));
  EXPECT_EQ(Winners(), Reference({"node-a", "node-b", "node-c"}));
  for (const auto& ch : changes) EXPECT_EQ(ch.previous, "node-b");
}

TEST_F(ElectionIncrementalTest, UnknownMemberJoiningChangesNothing) {
  EXPECT_TRUE(election.MemberChanged(Name("node-z"), true).empty());
  EXPECT_EQ(election.Explain("default/web")->excluded,
            (std::vector<Exclusion>{{"node-z", ExclusionReason::kNoNodeObject}}));
}

TEST_F(ElectionIncrementalTest, NodeLabelChangeMovesTheWinner) {
  c.nodes.nodes[0].meta.labels[kLabelExcludeFromExternalLoadBalancers] = "";
  auto changes = election.SetNodes(c.nodes);
  ASSERT_FALSE(changes.empty());
  EXPECT_EQ(election.Winner("default/web"), "node-c");
  EXPECT_EQ(Winners(), Reference({"node-a", "node-b", "node-c"}));
  // The same node set again: nothing to do.
  EXPECT_TRUE(election.SetNodes(c.nodes).empty());
  c.nodes.nodes[0].meta.labels.clear();
  election.SetNodes(c.nodes);
  EXPECT_EQ(election.Winner("default/web"), "node-a");
}

// Two nodes trade their preference in one update: the insertion path must not
// compare against an entry whose score already changed but which still sits
// at its old place.
TEST(ElectionNodeUpdateTest, NodesSwappingPreferenceInOneUpdate) {
  Cluster c;
  c.config.l2_advertisements[0].preferred_node_selectors = {{10, Match({{"zone", "edge"}})}};
  c.nodes.nodes.clear();
  std::set<std::string> live;
  for (int i = 0; i < 40; ++i) {
    c.nodes.nodes.push_back(MakeNode("node-" + std::to_string(i)));
    live.insert("node-" + std::to_string(i));
  }
  for (int i = 0; i < 8; ++i) {
    c.services.services.push_back(MakeService("default", "svc-" + std::to_string(i),
                                              {"192.168.1." + std::to_string(241 + i)}));
    c.services.endpoint_slices.push_back(
        MakeSlice("default", "svc-" + std::to_string(i), {{"node-0", true}}));
  }
  Election election;
  election.SetConfig(c.config);
  election.SetServices(c.services);
  election.SetMembers(Members(std::vector<std::string>(live.begin(), live.end())));
  for (int round = 0; round < 10; ++round) {
    // node-(2r) and node-(2r+1) hold "edge" in turn; 2 of 40 changed is an
    // insertion, not a re-sort.
    for (auto& n : c.nodes.nodes) n.meta.labels.clear();
    c.nodes.nodes[static_cast<size_t>(round % 2 == 0 ? 2 * round : 2 * round + 1)]
        .meta.labels["zone"] = "edge";
    election.SetNodes(c.nodes);
    EXPECT_EQ(election.ExplainAll(), ElectFromScratch({c.config, c.nodes, c.services, live, {}}))
        << "round " << round;
  }
}

TEST_F(ElectionIncrementalTest, NodeObjectRemovedWhileStillAMember) {
  c.nodes.nodes.erase(c.nodes.nodes.begin());
  election.SetNodes(c.nodes);
  EXPECT_EQ(election.Winner("default/web"), "node-c");
  EXPECT_EQ(election.Explain("default/web")->excluded,
            (std::vector<Exclusion>{{"node-a", ExclusionReason::kNoNodeObject}}));
}

TEST_F(ElectionIncrementalTest, ServiceChangesReportAddedAndRemovedServices) {
  c.services.endpoint_slices[0].endpoints[0].conditions.ready = false;  // web: no endpoint
  auto changes = election.SetServices(c.services);
  ASSERT_EQ(changes.size(), 1u);
  EXPECT_EQ(changes[0].service, "default/web");
  EXPECT_EQ(changes[0].previous, "node-a");
  EXPECT_FALSE(changes[0].current);

  c.services.services.erase(c.services.services.begin() + 1);  // api goes away
  changes = election.SetServices(c.services);
  ASSERT_EQ(changes.size(), 1u);
  EXPECT_EQ(changes[0].service, "default/api");
  EXPECT_FALSE(changes[0].current);
  EXPECT_EQ(election.Services(), (Names{"default/web"}));
  EXPECT_FALSE(election.Explain("default/api"));
}

TEST_F(ElectionIncrementalTest, ConfigChangeReelects) {
  c.nodes.nodes[1].meta.labels = {{"zone", "edge"}};
  election.SetNodes(c.nodes);
  c.config.l2_advertisements[0].preferred_node_selectors = {{10, Match({{"zone", "edge"}})}};
  auto changes = election.SetConfig(c.config);
  EXPECT_EQ(election.Winner("default/web"), "node-b");
  EXPECT_EQ(election.Winner("default/api"), "node-b");
  EXPECT_FALSE(changes.empty());
}

TEST_F(ElectionIncrementalTest, WatchTargetsAreTheWinnersWeWouldReplace) {
  // node-c is next in line behind node-a for web.
  auto targets = election.WatchTargets(Name("node-c"));
  EXPECT_NE(std::find(targets.begin(), targets.end(), "node-a"), targets.end());
  // node-b is last for web; it watches api's winner only if it is second there.
  for (const auto& t : election.WatchTargets(Name("node-b"))) EXPECT_NE(t, "node-b");
  EXPECT_TRUE(election.WatchTargets(Name("node-unknown")).empty());
}

}  // namespace
}  // namespace vipcast::election::testing
