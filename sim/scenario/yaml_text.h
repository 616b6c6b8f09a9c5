// YAML trees back to text, for two readers: config::LoadManifests (inline
// manifests of a scenario, whose diagnostics must point into the scenario
// file) and the report (a fault or expectation as written, on one line).
#pragma once

#include <string>

#include "engine/config/yaml_tree.h"

namespace vipcast::sim {

// Renders `node` as one YAML flow collection (JSON-like) in which every key
// and scalar stands on the line it had in its source: the text starts with
// blank lines up to the node's first line and breaks lines wherever the
// source did. A diagnostic about the re-emitted text therefore names the
// line of the original file. Scalars keep their type (strings are double
// quoted, numbers, booleans and nulls stay plain), and `<<` merge keys stay
// merge keys.
std::string EmitKeepingLines(const config::detail::YamlNode& node);

// A compact one-line flow rendering, as the user wrote it: plain scalars
// bare, quoted ones quoted, "{traffic: probe, limit: 1s}", "[node-0, node-1]".
// Anything past `max_len` bytes is cut and ends in "...".
std::string CompactText(const config::detail::YamlNode& node, size_t max_len = 200);

}  // namespace vipcast::sim
