// Runs one scenario with one seed in ns-3: builds the World, applies the
// manifests and endpoints, starts the probes, fires the faults at their
// times, runs to the end and measures (analysis.h, expectations.h).
#pragma once

#include <string>
#include <vector>

#include "sim/ns3/world.h"
#include "sim/runner/run_result.h"
#include "sim/scenario/scenario.h"

namespace vipcast::sim {

struct RunOptions {
  uint64_t seed = 1;
  std::string pcap_prefix;  // non-empty: pcaps written with this prefix
};

struct RunOutput {
  RunResult result;
  std::vector<TimelineEvent> timeline;  // the World's, for the trace and the plot
  std::vector<std::string> hosts;
};

// What this build of vipcast-sim cannot run yet, as problems on the
// scenario's lines (the CLI reports them like any invalid scenario, exit 2).
std::vector<Problem> Unsupported(const Scenario& scenario);

// Precondition: Unsupported(scenario) is empty. Errors are failures of the
// simulated world to build (a topology parameter it cannot honour).
core::Result<RunOutput> RunScenario(const Scenario& scenario, const RunOptions& options);

}  // namespace vipcast::sim
