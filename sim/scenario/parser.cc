#include "sim/scenario/parser.h"

#include <algorithm>
#include <filesystem>

#include "engine/config/levenshtein.h"
#include "engine/config/scalar.h"
#include "sim/scenario/source.h"
#include "sim/scenario/yaml_text.h"

namespace vipcast::sim::detail {
namespace {

using config::detail::DescribeNode;
using config::detail::Quote;
using config::detail::ReadList;
using config::detail::ReadString;

bool IsAbsent(const Value& v) { return !v.node.IsDefined() || v.node.IsNull(); }

// Topology names are file names in the topologies directory, nothing more.
bool IsPlainName(const std::string& name) {
  return !name.empty() && name.size() <= 63 &&
         name.find_first_not_of("abcdefghijklmnopqrstuvwxyz0123456789-_") == std::string::npos;
}

std::vector<std::string> TopologyNamesIn(const std::string& dir) {
  std::vector<std::string> names;
  std::error_code ec;
  for (std::filesystem::directory_iterator it(dir, ec), end; !ec && it != end; it.increment(ec)) {
    if (it->path().extension() == ".yaml") names.push_back(it->path().stem().string());
  }
  std::sort(names.begin(), names.end());
  return names;
}

bool IsServiceName(const std::string& s) {
  const size_t slash = s.find('/');
  return slash != std::string::npos && slash > 0 && slash + 1 < s.size() &&
         s.find('/', slash + 1) == std::string::npos;
}

std::string RoleName(HostSet::Role role) {
  switch (role) {
    case HostSet::Role::kNode:
      return "a cluster node";
    case HostSet::Role::kClient:
      return "a client";
    case HostSet::Role::kRouter:
      return "a router";
    case HostSet::Role::kSwitch:
      return "a switch";
  }
  return "a host";
}

}  // namespace

ScenarioParser::ScenarioParser(std::string file, std::string base_dir, std::string topologies_dir)
    : file_(std::move(file)),
      base_dir_(std::move(base_dir)),
      topologies_dir_(std::move(topologies_dir)),
      ctx_(diagnostics_, file_, kParseBudget) {}

// ---------------------------------------------------------------- topology

void ScenarioParser::ReadTopology(MapReader& root, Scenario& out) {
  root.Require("topology");
  auto v = root.Get("topology");
  auto params = root.Get("params");
  if (!v) return;
  std::optional<TopologyFile> topology;
  if (v->node.IsMap()) {
    topology = ParseTopology(ctx_, *v);
  } else if (auto name = ReadString(ctx_, *v)) {
    const std::string path = JoinPath(topologies_dir_, *name + ".yaml");
    std::error_code ec;
    if (!IsPlainName(*name) || !std::filesystem::is_regular_file(path, ec)) {
      const auto known = TopologyNamesIn(topologies_dir_);
      std::string message = "unknown topology " + Quote(*name);
      if (auto guess = config::detail::ClosestMatch(*name, known)) {
        message += "; did you mean \"" + *guess + "\"?";
      } else if (!known.empty()) {
        message += " (" + topologies_dir_ + " has " + JoinNames(known) + ")";
      } else {
        message += " (no topology files in " + Quote(topologies_dir_) + ")";
      }
      ctx_.Error(v->line, v->path, std::move(message));
      return;
    }
    topology = LoadTopologyPath(path, diagnostics_);
  }
  if (!topology) return;
  const size_t errors_before = ctx_.error_count();
  if (params) ApplyParams(ctx_, *params, *topology);
  if (!CheckParams(ctx_, params ? params->line : v->line, params ? params->path : v->path,
                   topology->params)) {
    return;
  }
  out.topology = topology->params;
  // With a parameter in error the host names would be guesses; skip checking
  // references rather than report problems that are not there.
  if (ctx_.error_count() == errors_before) hosts_.emplace(out.topology);
}

// ---------------------------------------------------------------- manifests

std::vector<config::ManifestText> ScenarioParser::ReadManifestList(const Value& v) {
  std::vector<config::ManifestText> texts;
  std::vector<Value> items;
  if (v.node.IsSequence()) {
    items = ReadList(ctx_, v).value_or(std::vector<Value>{});
  } else {
    items.push_back(v);  // one path or one inline document
  }
  for (const auto& item : items) {
    if (item.node.IsMap()) {
      // Named after where it stands, so config's messages point into the
      // scenario file; EmitKeepingLines keeps its line numbers.
      const std::string name = file_ + ":" + std::to_string(item.line);
      inline_files_[name] = file_;
      texts.push_back(config::ManifestText{name, EmitKeepingLines(item.node)});
      continue;
    }
    if (!item.node.IsScalar() || IsAbsent(item)) {
      ctx_.Error(item.line, item.path,
                 "expected a manifest file path or an inline manifest (a map), got " +
                     DescribeNode(item.node));
      services_known_ = false;
      continue;
    }
    auto rel = ReadString(ctx_, item);
    if (!rel) {
      services_known_ = false;
      continue;
    }
    const std::string path = JoinPath(base_dir_, *rel);
    auto text = ReadTextFile(path);
    if (!text.ok()) {
      ctx_.Error(item.line, item.path, text.error());
      services_known_ = false;
      continue;
    }
    texts.push_back(config::ManifestText{path, *std::move(text)});
  }
  return texts;
}

void ScenarioParser::ReadManifests(MapReader& root, Scenario& out) {
  if (auto v = root.Get("manifests")) out.manifests = ReadManifestList(*v);
  auto loaded = config::LoadManifests(out.manifests);
  out.resources = std::move(loaded.resources);
  for (const auto& d : loaded.diagnostics) {
    if (d.severity == config::Severity::kError) base_errors_.insert(d.ToString());
    diagnostics_.push_back(d);
  }
  base_ = ManifestSet::FromTexts(out.manifests);
  // A text that is not YAML hides what it defines.
  for (const auto& text : out.manifests) {
    if (!config::detail::ParseYaml(text.content).errors.empty()) services_known_ = false;
  }
  const auto services = base_.Services();
  services_.insert(services.begin(), services.end());
}

// ---------------------------------------------------------------- values

std::optional<std::string> ScenarioParser::ReadHost(const Value& v, const HostRule& rule) {
  auto name = ReadString(ctx_, v);
  if (!name) return std::nullopt;
  if (!hosts_) return name;  // topology unusable: reported already
  auto role = hosts_->RoleOf(*name);
  if (!role) {
    ctx_.Error(v.line, v.path,
               "unknown host " + Quote(*name) + " (this topology has " +
                   hosts_->Describe(rule.switches) + ")");
    return std::nullopt;
  }
  const bool allowed = (*role == HostSet::Role::kNode && rule.nodes) ||
                       (*role == HostSet::Role::kClient && rule.clients) ||
                       (*role == HostSet::Role::kRouter && rule.routers) ||
                       (*role == HostSet::Role::kSwitch && rule.switches);
  if (!allowed) {
    ctx_.Error(v.line, v.path,
               Quote(*name) + " is " + RoleName(*role) + "; expected " + rule.expected);
    return std::nullopt;
  }
  return name;
}

std::optional<HostRef> ScenarioParser::ReadHostRef(const Value& v, const HostRule& rule) {
  if (v.node.IsScalar()) {
    const std::string& text = v.node.Scalar();
    constexpr std::string_view kPrefix = "announcer(";
    if (text.compare(0, kPrefix.size(), kPrefix) == 0) {
      if (!rule.announcer) {
        ctx_.Error(v.line, v.path,
                   "announcer(...) cannot be used here; expected " + std::string(rule.expected));
        return std::nullopt;
      }
      if (text.back() != ')') {
        ctx_.Error(v.line, v.path, "expected announcer(NAMESPACE/NAME), got " + Quote(text));
        return std::nullopt;
      }
      const std::string service = text.substr(kPrefix.size(), text.size() - kPrefix.size() - 1);
      if (!IsServiceName(service)) {
        ctx_.Error(v.line, v.path, "expected announcer(NAMESPACE/NAME), got " + Quote(text));
        return std::nullopt;
      }
      service_refs_.push_back(Reference{v.line, v.path, service});
      return HostRef{"", service};
    }
  }
  auto name = ReadHost(v, rule);
  if (!name) return std::nullopt;
  return HostRef{*name, ""};
}

std::optional<core::Duration> ScenarioParser::ReadTime(const Value& v) {
  auto t = ReadDuration(ctx_, v, DurationRule::kNonNegative);
  if (!t) return std::nullopt;
  if (duration_ && *t > *duration_) {
    ctx_.Error(v.line, v.path,
               t->ToString() +
                   " is after the end of the scenario (duration: " + duration_->ToString() + ")");
    return std::nullopt;
  }
  return t;
}

std::optional<std::string> ScenarioParser::ReadServiceRef(const Value& v) {
  auto s = ReadString(ctx_, v);
  if (!s) return std::nullopt;
  if (!IsServiceName(*s)) {
    ctx_.Error(v.line, v.path, "expected a service as NAMESPACE/NAME, got " + Quote(*s));
    return std::nullopt;
  }
  service_refs_.push_back(Reference{v.line, v.path, *s});
  return s;
}

void ScenarioParser::RequireTraffic(const Value& v, const std::string& name) {
  traffic_refs_.push_back(Reference{v.line, v.path, name});
}

std::optional<std::map<std::string, std::vector<std::string>>> ScenarioParser::ReadEndpoints(
    const Value& v) {
  if (!v.node.IsMap()) {
    ctx_.Error(
        v.line, v.path,
        "expected a map of service (NAMESPACE/NAME) to node names, got " + DescribeNode(v.node));
    return std::nullopt;
  }
  std::map<std::string, std::vector<std::string>> out;
  bool ok = true;
  for (size_t i = 0; i < v.node.Size(); ++i) {
    const auto key = v.node.KeyAt(i);
    const int line = config::detail::LineOf(key, v.line);
    const Value key_value{key, v.path, line};
    auto service = ReadServiceRef(key_value);
    if (!service) {
      ok = false;
      continue;
    }
    const Value nodes_value{v.node.ValueAt(i), v.path + "[" + Quote(*service) + "]", line};
    if (out.count(*service) != 0) {
      ctx_.Error(line, nodes_value.path, "duplicate service");
      ok = false;
      continue;
    }
    std::vector<std::string> nodes;
    // null: the service has no ready endpoint.
    if (!IsAbsent(nodes_value)) {
      auto items = ReadList(ctx_, nodes_value);
      if (!items) {
        ok = false;
        continue;
      }
      for (const auto& item : *items) {
        auto node = ReadHost(item, HostRule{});
        if (!node) {
          ok = false;
          continue;
        }
        if (std::find(nodes.begin(), nodes.end(), *node) != nodes.end()) {
          ctx_.Error(item.line, item.path, Quote(*node) + " is listed twice");
          ok = false;
          continue;
        }
        nodes.push_back(*node);
      }
    }
    out[*service] = std::move(nodes);
  }
  if (!ok) return std::nullopt;
  return out;
}

// ---------------------------------------------------------------- references

void ScenarioParser::CheckReferences() {
  if (services_known_) {
    const std::vector<std::string> names(services_.begin(), services_.end());
    for (const auto& ref : service_refs_) {
      if (services_.count(ref.name) != 0) continue;
      std::string message = "unknown service " + Quote(ref.name);
      if (auto guess = config::detail::ClosestMatch(ref.name, names)) {
        message += "; did you mean \"" + *guess + "\"?";
      } else if (names.empty()) {
        message += " (the manifests define no Service)";
      } else {
        message += " (the manifests define " + JoinNames(names) + ")";
      }
      ctx_.Error(ref.line, ref.path, std::move(message));
    }
  }
  const std::vector<std::string> names(traffic_.begin(), traffic_.end());
  for (const auto& ref : traffic_refs_) {
    if (traffic_.count(ref.name) != 0) continue;
    std::string message = "unknown traffic " + Quote(ref.name);
    if (auto guess = config::detail::ClosestMatch(ref.name, names)) {
      message += "; did you mean \"" + *guess + "\"?";
    } else if (names.empty()) {
      message += " (the scenario has no traffic)";
    } else {
      message += " (traffic: " + JoinNames(names) + ")";
    }
    ctx_.Error(ref.line, ref.path, std::move(message));
  }
}

}  // namespace vipcast::sim::detail
