// Loading scenario files (../shared/specs/scenario-format.md) into the typed
// Scenario of scenario.h, with every problem reported at once.
#pragma once

#include <string>
#include <vector>

#include "engine/core/result.h"
#include "sim/scenario/scenario.h"

namespace vipcast::sim {

// A valid scenario, or every problem found (at least one), sorted: the
// scenario file's by line, then those of the files it names.
using ScenarioResult = core::Result<Scenario, std::vector<Problem>>;

// Reads the scenario at `path`; manifest paths in it are relative to its
// directory, topology names are files in `topologies_dir` (sim/topologies).
ScenarioResult LoadScenarioFile(const std::string& path, const std::string& topologies_dir);

// The same for text already in memory (tests): `file_name` names it in
// problems, `base_dir` is where its relative manifest paths start.
ScenarioResult LoadScenarioText(const std::string& file_name, const std::string& text,
                                const std::string& base_dir, const std::string& topologies_dir);

}  // namespace vipcast::sim
