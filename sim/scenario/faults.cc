// `faults:` entries: {at: TIME, ACTION: VALUE}, one action each.
#include <algorithm>

#include "engine/config/levenshtein.h"
#include "engine/config/scalar.h"
#include "sim/scenario/parser.h"
#include "sim/scenario/yaml_text.h"

namespace vipcast::sim::detail {
namespace {

using config::detail::DescribeNode;
using config::detail::Quote;
using config::detail::ReadList;
using config::detail::ReadString;
using config::detail::YamlNode;

const std::vector<std::string>& ActionNames() {
  static const std::vector<std::string> kNames = {
      "crash",   "recover",   "speaker_stop", "speaker_kill",  "link_down",
      "link_up", "partition", "heal",         "loss",          "delay",
      "apply",   "delete",    "endpoints",    "router_restart"};
  return kNames;
}

bool IsAbsent(const Value& v) { return !v.node.IsDefined() || v.node.IsNull(); }

YamlNode RawGet(const YamlNode& map, const std::string& key) {
  for (size_t i = 0; i < map.Size(); ++i) {
    if (map.KeyAt(i).IsScalar() && map.KeyAt(i).Scalar() == key) return map.ValueAt(i);
  }
  return YamlNode();
}

constexpr HostRule kAnyHost{.nodes = true,
                            .clients = true,
                            .routers = true,
                            .switches = false,
                            .announcer = true,
                            .expected = "a host (node, client or router)"};
constexpr HostRule kSpeakerNode{.nodes = true, .announcer = true, .expected = "a cluster node"};
constexpr HostRule kRouter{.nodes = false, .routers = true, .expected = "a router"};
constexpr HostRule kLinkEnd{.nodes = true,
                            .clients = true,
                            .routers = true,
                            .switches = true,
                            .announcer = false,
                            .expected = "a host or a switch"};
// The first end of a link named with a peer.
constexpr HostRule kLinkNode{.nodes = true,
                             .clients = true,
                             .routers = true,
                             .switches = true,
                             .announcer = true,
                             .expected = "a host or a switch"};
constexpr HostRule kGroupMember{
    .nodes = true, .clients = true, .routers = true, .expected = "a host (node, client or router)"};

}  // namespace

std::optional<Fault> ScenarioParser::ReadFault(const Value& item) {
  auto map = MapReader::Open(ctx_, item);
  if (!map) return std::nullopt;
  const size_t errors_before = ctx_.error_count();
  fault_paths_[item.line] = item.path;
  map->Require("at");
  std::optional<core::Duration> at;
  if (auto v = map->Get("at")) at = ReadTime(*v);

  std::vector<std::string> present;
  size_t unknown = 0;
  for (size_t i = 0; i < item.node.Size(); ++i) {
    const YamlNode key = item.node.KeyAt(i);
    if (!key.IsScalar() || key.Scalar() == "at") continue;
    const auto& names = ActionNames();
    if (std::find(names.begin(), names.end(), key.Scalar()) != names.end()) {
      // A repeated key is reported as a duplicate field by MapReader.
      if (std::find(present.begin(), present.end(), key.Scalar()) == present.end()) {
        present.push_back(key.Scalar());
      }
    } else {
      ++unknown;
    }
  }
  map->Ignore({"crash", "recover", "speaker_stop", "speaker_kill", "link_down", "link_up",
               "partition", "heal", "loss", "delay", "apply", "delete", "endpoints",
               "router_restart"});
  map->Finish();
  if (present.empty()) {
    // An unknown key has been reported with its closest action already.
    if (unknown == 0) {
      ctx_.Error(item.line, item.path,
                 "a fault needs an action, one of " + JoinNames(ActionNames()));
    }
    return std::nullopt;
  }
  for (size_t i = 1; i < present.size(); ++i) {
    ctx_.Error(map->LineOfKey(present[i]), map->PathOf(present[i]),
               "a fault has one action; this one also has \"" + present[0] + "\"");
  }
  const std::string& key = present[0];
  const Value v{RawGet(item.node, key), map->PathOf(key), map->LineOfKey(key)};
  std::string text = key + ": " + (IsAbsent(v) ? std::string("{}") : CompactText(v.node));

  std::optional<FaultAction> action;
  if (key == "heal") {
    if (!IsAbsent(v)) {
      if (auto m = MapReader::Open(ctx_, v)) m->Finish();  // {} only
    }
    action = Heal{};
  } else if (IsAbsent(v)) {
    ctx_.Error(v.line, v.path, "missing value");
  } else if (key == "crash") {
    if (auto h = ReadHostRef(v, kAnyHost)) action = Crash{*h};
  } else if (key == "recover") {
    if (auto h = ReadHostRef(v, kAnyHost)) action = Recover{*h};
  } else if (key == "speaker_stop") {
    if (auto h = ReadHostRef(v, kSpeakerNode)) action = SpeakerStop{*h};
  } else if (key == "speaker_kill") {
    if (auto h = ReadHostRef(v, kSpeakerNode)) action = SpeakerKill{*h};
  } else if (key == "router_restart") {
    if (auto h = ReadHostRef(v, kRouter)) action = RouterRestart{*h};
  } else if (key == "link_down" || key == "link_up") {
    action = ReadLinkAction(key, v);
  } else if (key == "partition") {
    action = ReadPartition(v);
  } else if (key == "loss" || key == "delay") {
    action = ReadLossOrDelay(key, v, at);
  } else if (key == "apply") {
    action = ReadApply(v, text);
  } else if (key == "delete") {
    action = ReadDelete(v);
  } else if (key == "endpoints") {
    if (auto e = ReadEndpoints(v)) action = SetEndpoints{*std::move(e)};
  }
  if (!action || !at || ctx_.error_count() != errors_before) return std::nullopt;
  return Fault{*at, *std::move(action), std::move(text), item.line};
}

std::optional<FaultAction> ScenarioParser::ReadLinkAction(const std::string& key, const Value& v) {
  std::optional<HostRef> host;
  std::optional<HostRef> peer;
  bool ok = true;
  if (v.node.IsScalar()) {
    host = ReadHostRef(v, kAnyHost);  // shorthand: every link of the host
  } else if (auto m = MapReader::Open(ctx_, v)) {
    m->Require("node");
    const std::optional<Value> n = m->Get("node");
    const std::optional<Value> p = m->Get("peer");
    // With a peer the pair names one link, which may join two switches.
    if (n) host = ReadHostRef(*n, p ? kLinkNode : kAnyHost);
    if (p) {
      peer = ReadHostRef(*p, kLinkEnd);
      ok = peer.has_value();
      if (peer && host && peer->name == host->name) {
        ctx_.Error(p->line, p->path, "a link joins two different hosts");
        ok = false;
      }
    }
    m->Finish();
  }
  if (!host || !ok) return std::nullopt;
  if (key == "link_down") return LinkDown{*host, peer};
  return LinkUp{*host, peer};
}

std::optional<FaultAction> ScenarioParser::ReadPartition(const Value& v) {
  auto groups = ReadList(ctx_, v);
  if (!groups) return std::nullopt;
  bool ok = true;
  if (groups->size() < 2) {
    ctx_.Error(v.line, v.path, "a partition needs at least two groups of hosts");
    ok = false;
  }
  Partition partition;
  std::map<std::string, std::string> seen;  // host -> where it was listed
  for (const auto& group : *groups) {
    auto members = ReadList(ctx_, group);
    if (!members || members->empty()) {
      if (members) ctx_.Error(group.line, group.path, "empty group");
      ok = false;
      continue;
    }
    std::vector<std::string> names;
    for (const auto& member : *members) {
      auto host = ReadHostRef(member, kGroupMember);
      if (!host) {
        ok = false;
        continue;
      }
      if (auto [it, inserted] = seen.emplace(host->name, member.path); !inserted) {
        ctx_.Error(member.line, member.path, Quote(host->name) + " is already in " + it->second);
        ok = false;
        continue;
      }
      names.push_back(host->name);
    }
    partition.groups.push_back(std::move(names));
  }
  if (!ok) return std::nullopt;
  return partition;
}

std::optional<FaultAction> ScenarioParser::ReadLossOrDelay(const std::string& key, const Value& v,
                                                           std::optional<core::Duration> at) {
  auto m = MapReader::Open(ctx_, v);
  if (!m) return std::nullopt;
  bool ok = true;
  std::optional<HostRef> host;
  std::optional<std::pair<std::string, std::string>> link;
  auto node_value = m->Get("node");
  auto link_value = m->Get("link");
  if (node_value && link_value) {
    ctx_.Error(m->LineOfKey("link"), m->PathOf("link"), "set node or link, not both");
    ok = false;
  } else if (!node_value && !link_value) {
    ctx_.Error(v.line, v.path, "set node (its links) or link (one link, [A, B])");
    ok = false;
  }
  if (node_value) {
    host = ReadHostRef(*node_value, kAnyHost);
    ok = ok && host.has_value();
  }
  if (link_value) {
    auto ends = ReadList(ctx_, *link_value);
    if (ends && ends->size() != 2) {
      ctx_.Error(link_value->line, link_value->path,
                 "expected the two ends of a link, [A, B], got " + std::to_string(ends->size()) +
                     " names");
      ends.reset();
    }
    if (ends) {
      auto a = ReadHost((*ends)[0], kLinkEnd);
      auto b = ReadHost((*ends)[1], kLinkEnd);
      if (a && b && *a == *b) {
        ctx_.Error(link_value->line, link_value->path, "a link joins two different hosts");
      } else if (a && b) {
        link.emplace(*a, *b);
      }
    }
    ok = ok && link.has_value();
  }
  std::optional<core::Duration> until;
  if (auto u = m->Get("until")) {
    until = ReadTime(*u);
    if (until && at && *until <= *at) {
      ctx_.Error(u->line, u->path,
                 "until " + until->ToString() + " is not after at " + at->ToString());
      until.reset();
    }
    ok = ok && until.has_value();
  }
  std::optional<FaultAction> action;
  if (key == "loss") {
    m->Require("rate");
    std::optional<double> rate;
    if (auto r = m->Get("rate")) rate = ReadNumber(ctx_, *r, 0, 1);
    if (ok && rate) action = Loss{host, link, *rate, until};
  } else {
    m->Require("delay");
    auto delay = GetDuration(*m, "delay", DurationRule::kNonNegative);
    if (ok && delay) action = Delay{host, link, *delay, until};
  }
  m->Finish();
  return action;
}

std::optional<FaultAction> ScenarioParser::ReadApply(const Value& v, std::string& text) {
  Apply apply;
  apply.manifests = ReadManifestList(v);
  if (v.node.IsSequence() && v.node.Size() == 0) {
    ctx_.Error(v.line, v.path, "expected at least one manifest");
    return std::nullopt;
  }
  // Services an apply adds are valid references anywhere: the reference
  // check does not know when each fault fires.
  const auto services = ManifestSet::FromTexts(apply.manifests).Services();
  services_.insert(services.begin(), services.end());
  for (const auto& m : apply.manifests) {
    if (!config::detail::ParseYaml(m.content).errors.empty()) services_known_ = false;
  }
  // The report shows paths as written and inline documents by object.
  std::vector<std::string> parts;
  const std::vector<Value> items = v.node.IsSequence()
                                       ? ReadList(ctx_, v).value_or(std::vector<Value>{})
                                       : std::vector<Value>{v};
  for (const auto& written : items) {
    if (written.node.IsScalar()) {
      parts.push_back(written.node.Scalar());
    } else if (written.node.IsMap()) {
      const auto one =
          ManifestSet::FromTexts({config::ManifestText{"", EmitKeepingLines(written.node)}});
      for (const auto& id : one.Objects()) parts.push_back(id.ToString());
    }
  }
  text = "apply: [" + JoinNames(parts) + "]";
  return apply;
}

std::optional<FaultAction> ScenarioParser::ReadDelete(const Value& v) {
  auto s = ReadString(ctx_, v);
  if (!s) return std::nullopt;
  std::vector<std::string> parts;
  size_t start = 0;
  for (size_t slash; (slash = s->find('/', start)) != std::string::npos; start = slash + 1) {
    parts.push_back(s->substr(start, slash - start));
  }
  parts.push_back(s->substr(start));
  const bool empty_part =
      std::any_of(parts.begin(), parts.end(), [](const std::string& p) { return p.empty(); });
  const auto& kinds = KnownKinds();
  if (parts.size() < 2 || parts.size() > 3 || empty_part) {
    ctx_.Error(v.line, v.path,
               "expected KIND/NAMESPACE/NAME (KIND/NAME for Node and Namespace), got " + Quote(*s));
    return std::nullopt;
  }
  const std::string& kind = parts[0];
  if (std::find(kinds.begin(), kinds.end(), kind) == kinds.end()) {
    std::string message = "unknown kind " + Quote(kind);
    if (auto guess = config::detail::ClosestMatch(kind, kinds)) {
      message += "; did you mean \"" + *guess + "\"?";
    } else {
      message += " (kinds: " + JoinNames(kinds) + ")";
    }
    ctx_.Error(v.line, v.path, std::move(message));
    return std::nullopt;
  }
  if (IsClusterScoped(kind) != (parts.size() == 2)) {
    ctx_.Error(v.line, v.path,
               IsClusterScoped(kind)
                   ? kind + " objects have no namespace: expected " + kind + "/NAME"
                   : kind + " objects are namespaced: expected " + kind + "/NAMESPACE/NAME");
    return std::nullopt;
  }
  if (parts.size() == 2) return Delete{kind, "", parts[1], {}};
  return Delete{kind, parts[1], parts[2], {}};
}

void ScenarioParser::ResolveFaultManifests(Scenario& out) {
  ManifestSet state = base_;
  std::set<std::string> previous = base_errors_;
  auto load = [&](const Fault& fault, const std::set<std::string>& own_files,
                  config::Resources& resources) {
    auto loaded = config::LoadManifests(state.Texts());
    std::set<std::string> now;
    const std::string path = fault_paths_[fault.line];
    for (const auto& d : loaded.diagnostics) {
      if (d.severity != config::Severity::kError) continue;
      const std::string text = d.ToString();
      now.insert(text);
      if (previous.count(text) != 0) continue;
      if (own_files.count(d.file) != 0) {
        diagnostics_.push_back(d);
      } else {
        // A consequence elsewhere (a deleted pool that an advertisement
        // names): reported at the fault that causes it, naming the place
        // as a Problem would.
        config::Diagnostic shown = d;
        if (auto it = inline_files_.find(d.file); it != inline_files_.end())
          shown.file = it->second;
        ctx_.Error(fault.line, path, "after this fault: " + shown.ToString());
      }
    }
    previous = std::move(now);
    resources = std::move(loaded.resources);
  };
  for (auto& fault : out.faults) {
    if (auto* apply = std::get_if<Apply>(&fault.action)) {
      state.Apply(ManifestSet::FromTexts(apply->manifests));
      std::set<std::string> own;
      for (const auto& m : apply->manifests) own.insert(m.file);
      load(fault, own, apply->resources);
    } else if (auto* del = std::get_if<Delete>(&fault.action)) {
      const ObjectId id{del->kind, del->namespace_, del->name};
      if (!state.Contains(id)) {
        ctx_.Error(fault.line, fault_paths_[fault.line] + ".delete",
                   "no " + id.ToString() + " exists at " + fault.at.ToString() +
                       " (in the manifests or applied before)");
        continue;
      }
      state.Remove(id);
      load(fault, {}, del->resources);
    }
  }
}

}  // namespace vipcast::sim::detail
