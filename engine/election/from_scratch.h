// The layer 2 election computed from nothing, the way MetalLB's speaker does
// on every change: for each service, filter the live members, hash each one
// with the service's first IP and sort. It is the specification the
// incremental Election is tested against, and the baseline it is measured
// against.
#pragma once

#include <optional>
#include <set>
#include <string>
#include <utility>
#include <vector>

#include "engine/config/model.h"
#include "engine/election/options.h"
#include "engine/election/result.h"

namespace vipcast::election {

struct ElectionInputs {
  const config::ClusterConfig& config;
  const config::NodeSet& nodes;
  const config::ServiceSet& services;
  const std::set<std::string>& live_members;
  ElectionOptions options;
};

// One result per service taking part (TakesPartInElection), ordered by
// "namespace/name". When two objects share a key, the first one counts (the
// same for Node objects).
std::vector<ElectionResult> ElectFromScratch(const ElectionInputs& inputs);

// Only the winners, without explanations: what MetalLB's speakers recompute
// on each change. Same order as ElectFromScratch.
std::vector<std::pair<std::string, std::optional<std::string>>> ElectWinnersFromScratch(
    const ElectionInputs& inputs);

}  // namespace vipcast::election
