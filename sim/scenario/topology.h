// Topology files (sim/topologies/<name>.yaml) and the hosts a topology has.
//
// A topology file:
//
//   name: l2-switch              # must match the file name
//   kind: l2-switch              # l2-switch | l2-two-switches | bgp-router | leaf-spine
//   description: ...
//   params:                      # defaults; a scenario's `params:` overrides them
//     nodes: 3
//     link_rate: 1Gbps
//
// Which parameters exist depends on the kind (TopologyParameterNames); a
// scenario's `topology:` may also be such a mapping, inline.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "engine/core/result.h"
#include "sim/scenario/scenario.h"
#include "sim/scenario/values.h"

namespace vipcast::sim {

struct TopologyFile {
  std::string name;
  std::string description;
  TopologyParams params;  // params.kind is the file's kind
};

// Every topology kind, and the parameters each accepts (in YAML spelling).
const std::vector<std::string>& TopologyKinds();
std::vector<std::string> TopologyParameterNames(const std::string& kind);

// The hosts of a topology, by the names scenarios use: node-<i>, client-<j>,
// router-<k> (bgp-router), spine-<k> and leaf-<k> (leaf-spine), and the
// switches switch-<k> of the layer 2 kinds (only as link ends).
class HostSet {
 public:
  enum class Role : uint8_t { kNode, kClient, kRouter, kSwitch };
  explicit HostSet(const TopologyParams& params);
  std::optional<Role> RoleOf(const std::string& name) const;
  // "node-0..node-2, client-0", for messages; switches only when asked.
  std::string Describe(bool with_switches = false) const;

 private:
  struct Group {
    std::string prefix;
    size_t count;
    Role role;
  };
  std::vector<Group> groups_;
};

namespace detail {

// Reads a topology definition from a mapping (a file's root, or an inline
// `topology:`). Reports problems through `ctx`; nullopt when unusable.
std::optional<TopologyFile> ParseTopology(ParseContext& ctx, const Value& v);

// Applies a `params:` mapping on top of `topology`'s defaults. Unknown or
// inapplicable parameters are reported with the closest valid name.
void ApplyParams(ParseContext& ctx, const Value& v, TopologyFile& topology);

// Cross-parameter rules (leaf-spine node count); `line`/`path` name where
// the final values came from.
bool CheckParams(ParseContext& ctx, int line, const std::string& path, TopologyParams& params);

// Reads the topology file at `path` (whose `name` must match the file name).
std::optional<TopologyFile> LoadTopologyPath(const std::string& path,
                                             std::vector<config::Diagnostic>& diagnostics);

}  // namespace detail

// Loads and checks one topology file. Problems name the file.
core::Result<TopologyFile, std::vector<Problem>> LoadTopologyFile(const std::string& path);

}  // namespace vipcast::sim
