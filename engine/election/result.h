// What the election says about one LoadBalancer service: who announces its
// IPs, who would take over, and why every other node can't.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "engine/core/ip.h"
#include "engine/election/exclusion.h"

namespace vipcast::election {

struct Candidate {
  std::string node;
  int64_t score = 0;  // summed preferredNodeSelectors weights; higher goes first
  bool operator==(const Candidate&) const = default;
};

struct Exclusion {
  std::string node;
  ExclusionReason reason = ExclusionReason::kNotLiveMember;
  bool operator==(const Exclusion&) const = default;
};

// Invariants: winner == candidates[0].node and next_in_line ==
// candidates[1].node when those exist; status == kAnnounced exactly when a
// winner exists; a node appears in at most one of candidates and excluded.
struct ElectionResult {
  std::string service;            // "namespace/name"
  std::vector<core::IpAddr> ips;  // status.loadBalancer.ingress; ips[0] orders the nodes
  std::string pool;               // the pool holding every IP; empty when none does
  VipStatus status = VipStatus::kNoLiveCandidate;
  std::optional<std::string> winner;
  // The node that takes over when the winner fails. Membership watches it
  // closely: its failure changes nothing now, the winner's failure hands over.
  std::optional<std::string> next_in_line;
  std::vector<Candidate> candidates;  // live eligible nodes, election order
  // Every other node that is a Node object or a live member, by name.
  std::vector<Exclusion> excluded;
  bool operator==(const ElectionResult&) const = default;
};

// A service whose announcing node changed; previous/current are empty when
// nobody announced before/after.
struct WinnerChange {
  std::string service;
  std::vector<core::IpAddr> ips;
  std::optional<std::string> previous;
  std::optional<std::string> current;
  bool operator==(const WinnerChange&) const = default;
};

}  // namespace vipcast::election
