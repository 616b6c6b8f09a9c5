// Reading scenario-side files (this is sim/, not engine/: file I/O is fine)
// and parsing them into exactly one YAML document.
#pragma once

#include <optional>
#include <string>

#include "engine/config/yaml_node.h"
#include "engine/config/yaml_tree.h"
#include "engine/core/result.h"

namespace vipcast::sim::detail {

// Work budget per scenario or topology document (map entries and list
// items visited), as config's loader bounds each manifest document.
constexpr int64_t kParseBudget = 1'000'000;
// Scenario, topology and manifest files larger than this are refused.
constexpr size_t kMaxFileBytes = 16 * 1024 * 1024;

// The whole file, or "cannot read FILE: REASON".
core::Result<std::string> ReadTextFile(const std::string& path);

// `base_dir`/`path` unless `path` is absolute or `base_dir` empty.
std::string JoinPath(const std::string& base_dir, const std::string& path);

// Parses `text`, which must hold exactly one YAML document whose root is a
// map; reports syntax errors and anything else through `ctx`.
std::optional<config::detail::YamlStream> ParseOneDocument(config::detail::ParseContext& ctx,
                                                           const std::string& text);

}  // namespace vipcast::sim::detail
