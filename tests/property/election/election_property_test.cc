// Election agreement: after any sequence of changes, the incremental
// Election says exactly what a from-scratch computation over the same inputs
// says (winner, order, scores, next in line and every exclusion reason), and
// the winner changes it reports are exactly the differences.
#include <gtest/gtest.h>
// rapidcheck/gtest.h needs gtest/gtest.h first.
#include <rapidcheck/gtest.h>

#include <map>
#include <optional>

#include "engine/election/election.h"
#include "engine/election/from_scratch.h"
#include "tests/property/election/election_world.h"

namespace vipcast::election::testing {
namespace {

using WinnerMap = std::map<std::string, std::optional<std::string>>;

std::vector<ElectionResult> Reference(const World& w, const ElectionOptions& options) {
  return ElectFromScratch({w.config, w.nodes, w.services, w.members, options});
}

WinnerMap WinnersOf(const std::vector<ElectionResult>& results) {
  WinnerMap out;
  for (const auto& r : results) out[r.service] = r.winner;
  return out;
}

// The changes a correct Election must report between two reference states.
WinnerMap Diff(const WinnerMap& before, const WinnerMap& after) {
  WinnerMap out;
  for (const auto& [service, winner] : after) {
    auto it = before.find(service);
    const auto previous = it == before.end() ? std::nullopt : it->second;
    if (previous != winner) out[service] = winner;
  }
  for (const auto& [service, winner] : before) {
    if (after.count(service) == 0 && winner) out[service] = std::nullopt;
  }
  return out;
}

WinnerMap Reported(const std::vector<WinnerChange>& changes) {
  WinnerMap out;
  for (const auto& ch : changes) {
    RC_ASSERT(ch.previous != ch.current);
    out[ch.service] = ch.current;
  }
  return out;
}

std::set<core::NodeName> ToNodeNames(const std::set<std::string>& names) {
  std::set<core::NodeName> out;
  for (const auto& n : names) out.insert(Name(n));
  return out;
}

enum class Step {
  kMemberUp,
  kMemberDown,
  kSetMembers,
  kRelabelNode,
  kDropNode,
  kServices,
  kConfig
};

RC_GTEST_PROP(ElectionPropertyTest, IncrementalEqualsFromScratch, ()) {
  ElectionOptions options;
  options.ignore_exclude_lb_label = Pick(0, 5) == 0;
  World w = GenWorld();
  Election election(options);

  // The four inputs arrive in any order, as they do at speaker start-up.
  std::vector<int> order = {0, 1, 2, 3};
  for (size_t i = order.size() - 1; i > 0; --i) {
    std::swap(order[i], order[static_cast<size_t>(Pick(0, static_cast<int>(i) + 1))]);
  }
  for (int setter : order) {
    if (setter == 0) election.SetConfig(w.config);
    if (setter == 1) election.SetNodes(w.nodes);
    if (setter == 2) election.SetServices(w.services);
    if (setter == 3) election.SetMembers(ToNodeNames(w.members));
  }
  auto expected = Reference(w, options);
  RC_ASSERT(election.ExplainAll() == expected);

  const int steps = Pick(1, 16);
  for (int i = 0; i < steps; ++i) {
    const WinnerMap before = WinnersOf(expected);
    const auto step = PickOf(std::vector<Step>{
        Step::kMemberUp, Step::kMemberDown, Step::kMemberUp, Step::kMemberDown, Step::kSetMembers,
        Step::kRelabelNode, Step::kRelabelNode, Step::kDropNode, Step::kServices, Step::kConfig});
    std::vector<WinnerChange> changes;
    switch (step) {
      case Step::kMemberUp:
      case Step::kMemberDown: {
        const bool up = step == Step::kMemberUp;
        const std::string name = PickOf(NodeNames());
        if (up) {
          w.members.insert(name);
        } else {
          w.members.erase(name);
        }
        changes = election.MemberChanged(Name(name), up);
        break;
      }
      case Step::kSetMembers:
        w.members = GenMembers();
        changes = election.SetMembers(ToNodeNames(w.members));
        break;
      case Step::kRelabelNode: {
        // Relabel, re-condition or add one node, or several at once.
        const int count = PickOf(std::vector<int>{1, 1, 1, 2, 2, 5});
        for (int k = 0; k < count; ++k) {
          const std::string name = PickOf(NodeNames());
          auto it = std::find_if(w.nodes.nodes.begin(), w.nodes.nodes.end(),
                                 [&](const config::Node& n) { return n.meta.name == name; });
          if (it == w.nodes.nodes.end()) {
            w.nodes.nodes.push_back(GenNode(name));
          } else {
            *it = GenNode(name);
          }
        }
        changes = election.SetNodes(w.nodes);
        break;
      }
      case Step::kDropNode:
        if (!w.nodes.nodes.empty()) {
          w.nodes.nodes.erase(w.nodes.nodes.begin() +
                              Pick(0, static_cast<int>(w.nodes.nodes.size())));
        }
        changes = election.SetNodes(w.nodes);
        break;
      case Step::kServices:
        w.services = GenServices();
        changes = election.SetServices(w.services);
        break;
      case Step::kConfig:
        w.config = GenConfig();
        changes = election.SetConfig(w.config);
        break;
    }
    expected = Reference(w, options);
    RC_ASSERT(election.ExplainAll() == expected);
    RC_ASSERT(Reported(changes) == Diff(before, WinnersOf(expected)));
  }
}

// Every speaker computes the election on its own; they must agree whatever
// order their inputs arrived in.
RC_GTEST_PROP(ElectionPropertyTest, ResultDoesNotDependOnInputOrder, ()) {
  World w = GenWorld();
  Election forward;
  forward.SetConfig(w.config);
  forward.SetNodes(w.nodes);
  forward.SetServices(w.services);
  forward.SetMembers(ToNodeNames(w.members));
  Election backward;
  std::reverse(w.nodes.nodes.begin(), w.nodes.nodes.end());
  backward.SetMembers(ToNodeNames(w.members));
  for (const auto& m : w.members) backward.MemberChanged(Name(m), true);
  backward.SetServices(w.services);
  backward.SetNodes(w.nodes);
  backward.SetConfig(w.config);
  RC_ASSERT(forward.ExplainAll() == backward.ExplainAll());
}

}  // namespace
}  // namespace vipcast::election::testing
