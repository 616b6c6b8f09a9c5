// A small cluster (three nodes, one pool, one L2Advertisement for all pools,
// one service with a ready endpoint) that each test bends to exercise one
// rule. Elect() runs the incremental Election and the from-scratch reference
// and fails the test if they disagree, so every rule test is also an
// agreement test.
#pragma once

#include <gtest/gtest.h>

#include <ostream>
#include <set>
#include <string>
#include <vector>

#include "engine/election/election.h"
#include "engine/election/from_scratch.h"
#include "tests/unit/election/model_builders.h"

namespace vipcast::election {

// Readable gtest failure output.
inline void PrintTo(const ElectionResult& r, std::ostream* os) {
  *os << r.service << " [" << Code(r.status) << "] pool=" << r.pool
      << " winner=" << r.winner.value_or("-") << " next=" << r.next_in_line.value_or("-")
      << " candidates=";
  for (const auto& c : r.candidates) *os << c.node << "(" << c.score << ") ";
  *os << "excluded=";
  for (const auto& e : r.excluded) *os << e.node << ":" << Code(e.reason) << " ";
}

}  // namespace vipcast::election

namespace vipcast::election::testing {

struct Cluster {
  Cluster() {
    config.pools.push_back(MakePool("first-pool", {"192.168.1.240-192.168.1.250"}));
    config.l2_advertisements.push_back(MakeAd("l2"));
    nodes.nodes = {MakeNode("node-a"), MakeNode("node-b"), MakeNode("node-c")};
    services.services.push_back(MakeService("default", "web", {"192.168.1.240"}));
    services.endpoint_slices.push_back(MakeSlice("default", "web", {{"node-a", true}}));
  }

  config::Service& web() { return services.services.front(); }

  std::vector<std::string> LiveMembers() const {
    if (members) return *members;
    std::vector<std::string> all;
    for (const auto& n : nodes.nodes) all.push_back(n.meta.name);
    return all;
  }

  // nullopt when the service doesn't take part.
  std::optional<ElectionResult> Elect(const std::string& service = "default/web") const {
    Election election(options);
    election.SetConfig(config);
    election.SetNodes(nodes);
    election.SetServices(services);
    election.SetMembers(Members(LiveMembers()));
    std::optional<ElectionResult> incremental = election.Explain(service);

    const auto live_vec = LiveMembers();
    const std::set<std::string> live(live_vec.begin(), live_vec.end());
    std::optional<ElectionResult> reference;
    for (auto& r : ElectFromScratch({config, nodes, services, live, options})) {
      if (r.service == service) reference = r;
    }
    EXPECT_EQ(incremental, reference) << "incremental and from-scratch disagree on " << service;
    return incremental;
  }

  config::ClusterConfig config;
  config::NodeSet nodes;
  config::ServiceSet services;
  std::optional<std::vector<std::string>> members;  // default: every Node
  ElectionOptions options;
};

inline std::vector<std::string> CandidateNames(const ElectionResult& r) {
  std::vector<std::string> out;
  for (const auto& c : r.candidates) out.push_back(c.node);
  return out;
}

inline std::optional<ExclusionReason> ReasonOf(const ElectionResult& r, const std::string& node) {
  for (const auto& e : r.excluded) {
    if (e.node == node) return e.reason;
  }
  return std::nullopt;
}

}  // namespace vipcast::election::testing
