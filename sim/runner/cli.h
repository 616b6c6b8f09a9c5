// Command line of vipcast-sim (../shared/specs/scenario-format.md, Output).
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "engine/core/result.h"

namespace vipcast::sim {

struct CliOptions {
  std::string command;  // "run" | "validate"
  std::vector<std::string> files;
  uint64_t first_seed = 0;  // with has_seeds
  uint64_t last_seed = 0;
  bool has_seeds = false;  // --seed or --seeds given (otherwise the file's seed)
  std::string out;         // --out
  bool pcap = false;
  std::string topologies;  // --topologies
  bool quiet = false;      // --quiet: no progress bar
};

// Parses argv[1..]; the error says which argument is wrong.
core::Result<CliOptions> ParseCli(const std::vector<std::string>& args);

extern const char kUsage[];

}  // namespace vipcast::sim
