#include "sim/scenario/topology.h"

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <sstream>

#include "engine/config/levenshtein.h"
#include "engine/config/scalar.h"
#include "sim/scenario/problems.h"
#include "sim/scenario/source.h"

namespace vipcast::sim {
namespace {

using config::detail::Quote;
using detail::DurationRule;
using detail::MapReader;
using detail::ParseContext;
using detail::Value;

constexpr int64_t kMaxNodes = 2000;
constexpr int64_t kMaxAsn = 4294967295;

bool IsLayer2(const std::string& kind) { return kind == "l2-switch" || kind == "l2-two-switches"; }

// Reads one parameter into `params`. The caller has checked that `name`
// applies to the kind.
void ReadParam(ParseContext& ctx, const std::string& name, const Value& v, TopologyParams& p) {
  using config::detail::ReadInt;
  auto size = [&](int64_t min, int64_t max, size_t& out) {
    if (auto n = ReadInt(ctx, v, min, max)) out = static_cast<size_t>(*n);
  };
  auto duration = [&](DurationRule rule, core::Duration& out) {
    if (auto d = detail::ReadDuration(ctx, v, rule)) out = *d;
  };
  if (name == "nodes") return size(1, kMaxNodes, p.nodes);
  if (name == "clients") return size(0, 256, p.clients);
  if (name == "routers") return size(1, 16, p.routers);
  if (name == "spines") return size(1, 16, p.spines);
  if (name == "leaves") return size(1, 64, p.leaves);
  if (name == "nodes_per_leaf") return size(1, kMaxNodes, p.nodes_per_leaf);
  if (name == "link_rate") {
    if (auto r = detail::ReadBitRate(ctx, v)) p.link_rate_bps = *r;
    return;
  }
  if (name == "link_delay") return duration(DurationRule::kNonNegative, p.link_delay);
  if (name == "link_loss") {
    // A loss rate of 1 would make every link silent; `partition` and
    // `link_down` faults say that more clearly.
    if (auto x = detail::ReadNumber(ctx, v, 0, 0.99)) p.link_loss = *x;
    return;
  }
  if (name == "switch_mac_aging") return duration(DurationRule::kPositive, p.switch_mac_aging);
  if (name == "client_arp") {
    if (auto s = detail::ReadEnum(ctx, v, {"linux", "ignore-garp"})) {
      p.client_arp = *s == "linux" ? ClientArp::kLinux : ClientArp::kIgnoreGarp;
    }
    return;
  }
  if (name == "client_arp_timeout") return duration(DurationRule::kPositive, p.client_arp_timeout);
  if (name == "node_asn" || name == "router_asn") {
    if (auto n = ReadInt(ctx, v, 1, kMaxAsn)) {
      (name == "node_asn" ? p.node_asn : p.router_asn) = static_cast<uint32_t>(*n);
    }
  }
}

}  // namespace

const std::vector<std::string>& TopologyKinds() {
  static const std::vector<std::string> kKinds = {"l2-switch", "l2-two-switches", "bgp-router",
                                                  "leaf-spine"};
  return kKinds;
}

std::vector<std::string> TopologyParameterNames(const std::string& kind) {
  std::vector<std::string> names;
  if (kind != "leaf-spine") names.push_back("nodes");  // leaf-spine: leaves * nodes_per_leaf
  names.push_back("clients");
  if (kind == "bgp-router") names.push_back("routers");
  if (kind == "leaf-spine") {
    names.insert(names.end(), {"spines", "leaves", "nodes_per_leaf"});
  }
  names.insert(names.end(), {"link_rate", "link_delay", "link_loss"});
  if (IsLayer2(kind)) {
    names.insert(names.end(), {"switch_mac_aging", "client_arp", "client_arp_timeout"});
  } else {
    names.insert(names.end(), {"node_asn", "router_asn"});
  }
  return names;
}

HostSet::HostSet(const TopologyParams& p) {
  groups_.push_back({"node", p.nodes, Role::kNode});
  groups_.push_back({"client", p.clients, Role::kClient});
  if (p.kind == "bgp-router") groups_.push_back({"router", p.routers, Role::kRouter});
  if (p.kind == "leaf-spine") {
    groups_.push_back({"spine", p.spines, Role::kRouter});
    groups_.push_back({"leaf", p.leaves, Role::kRouter});
  }
  if (p.kind == "l2-switch") groups_.push_back({"switch", 1, Role::kSwitch});
  if (p.kind == "l2-two-switches") groups_.push_back({"switch", 2, Role::kSwitch});
}

std::optional<HostSet::Role> HostSet::RoleOf(const std::string& name) const {
  const size_t dash = name.rfind('-');
  if (dash == std::string::npos || dash + 1 >= name.size() || name.size() - dash > 6) {
    return std::nullopt;
  }
  const std::string digits = name.substr(dash + 1);
  if (digits.find_first_not_of("0123456789") != std::string::npos) return std::nullopt;
  if (digits.size() > 1 && digits[0] == '0') return std::nullopt;  // "node-01" is not node-1
  const size_t index = std::stoul(digits);
  for (const auto& g : groups_) {
    if (name.compare(0, dash, g.prefix) == 0 && dash == g.prefix.size() && index < g.count) {
      return g.role;
    }
  }
  return std::nullopt;
}

std::string HostSet::Describe(bool with_switches) const {
  std::vector<std::string> parts;
  for (const auto& g : groups_) {
    if (g.count == 0 || (g.role == Role::kSwitch && !with_switches)) continue;
    std::string first = g.prefix + "-0";
    parts.push_back(g.count == 1 ? first
                                 : first + ".." + g.prefix + "-" + std::to_string(g.count - 1));
  }
  return detail::JoinNames(parts);
}

namespace detail {

std::optional<TopologyFile> ParseTopology(ParseContext& ctx, const Value& v) {
  auto map = MapReader::Open(ctx, v);
  if (!map) return std::nullopt;
  const size_t errors_before = ctx.error_count();
  TopologyFile topology;
  map->Require("name");
  map->Require("kind");
  if (auto name = map->String("name")) topology.name = *name;
  if (auto description = map->String("description")) topology.description = *description;
  std::optional<std::string> kind;
  if (auto k = map->Get("kind")) kind = ReadEnum(ctx, *k, TopologyKinds());
  auto params = map->Get("params");
  map->Finish();
  if (!kind) return std::nullopt;
  topology.params.kind = *kind;
  if (params) ApplyParams(ctx, *params, topology);
  if (!CheckParams(ctx, map->line(), map->PathOf("params"), topology.params)) return std::nullopt;
  if (ctx.error_count() != errors_before) return std::nullopt;
  return topology;
}

void ApplyParams(ParseContext& ctx, const Value& v, TopologyFile& topology) {
  auto map = MapReader::Open(ctx, v);
  if (!map) return;
  const std::string& kind = topology.params.kind;
  const std::vector<std::string> names = TopologyParameterNames(kind);
  for (const auto& name : names) {
    if (auto value = map->Get(name)) ReadParam(ctx, name, *value, topology.params);
  }
  // Not map->Finish(): the message says which topology lacks the parameter.
  for (size_t i = 0; i < v.node.Size(); ++i) {
    const auto key = v.node.KeyAt(i);
    if (!key.IsScalar()) {
      ctx.Error(config::detail::LineOf(key, v.line), v.path,
                "expected a parameter name, got " + config::detail::DescribeNode(key));
      continue;
    }
    const std::string& name = key.Scalar();
    if (std::find(names.begin(), names.end(), name) != names.end()) continue;
    const int line = config::detail::LineOf(key, v.line);
    std::string message = "not a parameter of " + kind + " topologies";
    if (kind == "leaf-spine" && name == "nodes") {
      message += " (there nodes = leaves * nodes_per_leaf)";
    } else if (auto guess = config::detail::ClosestMatch(name, names)) {
      message += "; did you mean \"" + *guess + "\"?";
    } else {
      message += " (parameters: " + JoinNames(names) + ")";
    }
    ctx.Error(line, map->PathOf(name), std::move(message));
  }
}

bool CheckParams(ParseContext& ctx, int line, const std::string& path, TopologyParams& p) {
  if (p.kind != "leaf-spine") return true;
  const size_t nodes = p.leaves * p.nodes_per_leaf;
  if (nodes > static_cast<size_t>(kMaxNodes)) {
    ctx.Error(line, path,
              "leaves * nodes_per_leaf = " + std::to_string(nodes) + " nodes, more than " +
                  std::to_string(kMaxNodes));
    return false;
  }
  p.nodes = nodes;
  return true;
}

std::optional<TopologyFile> LoadTopologyPath(const std::string& path,
                                             std::vector<config::Diagnostic>& diagnostics) {
  ParseContext ctx(diagnostics, path, kParseBudget);
  auto text = ReadTextFile(path);
  if (!text.ok()) {
    ctx.FileDiagnostic(config::Severity::kError, 0, text.error());
    return std::nullopt;
  }
  auto stream = ParseOneDocument(ctx, *text);
  if (!stream) return std::nullopt;
  auto topology = ParseTopology(ctx, Value{stream->Root(0), "", 1});
  if (!topology) return std::nullopt;
  const std::string stem = std::filesystem::path(path).stem().string();
  if (topology->name != stem) {
    ctx.Error(1, "name",
              Quote(topology->name) + " does not match the file name " +
                  std::filesystem::path(path).filename().string());
    return std::nullopt;
  }
  return topology;
}

}  // namespace detail

core::Result<TopologyFile, std::vector<Problem>> LoadTopologyFile(const std::string& path) {
  std::vector<config::Diagnostic> diagnostics;
  auto topology = detail::LoadTopologyPath(path, diagnostics);
  auto problems = detail::ToProblems(diagnostics, {});
  if (!topology || !problems.empty()) return core::MakeErr(std::move(problems));
  return *std::move(topology);
}

}  // namespace vipcast::sim
