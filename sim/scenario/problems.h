// Turning config diagnostics (from the scenario's own reading, which reuses
// config's typed YAML readers, and from config::LoadManifests) into the
// scenario's Problems.
#pragma once

#include <map>
#include <string>
#include <vector>

#include "engine/config/diagnostic.h"
#include "sim/scenario/scenario.h"

namespace vipcast::sim::detail {

// Diagnostics of `severity` as Problems, in order. `inline_files` maps the
// name given to an inline manifest ("scenario.yaml:14") to the scenario
// file: its text keeps the scenario's line numbers, so only the name changes.
// The object a diagnostic is about goes in front of its field, so that
// ToString reads like `vipcastctl validate`:
// "f.yaml:7: IPAddressPool metallb-system/first-pool: spec.addresses[1]: ...".
std::vector<Problem> ToProblems(const std::vector<config::Diagnostic>& diagnostics,
                                const std::map<std::string, std::string>& inline_files,
                                config::Severity severity = config::Severity::kError);

// Scenario-file problems first, then the other files', each by line; ties
// keep their order.
void SortProblems(const std::string& scenario_file, std::vector<Problem>& problems);

}  // namespace vipcast::sim::detail
