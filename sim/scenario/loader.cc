#include "sim/scenario/loader.h"

#include <algorithm>
#include <filesystem>

#include "engine/config/scalar.h"
#include "sim/scenario/parser.h"
#include "sim/scenario/problems.h"
#include "sim/scenario/source.h"

namespace vipcast::sim {
namespace {

using config::detail::Quote;
using detail::MapReader;
using detail::ScenarioParser;
using detail::Value;

// Scenario names become report directories (reports/sim/<name>/).
bool IsScenarioName(const std::string& name) {
  return !name.empty() && name.size() <= 100 && name[0] != '.' &&
         name.find_first_not_of(
             "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789-_.") ==
             std::string::npos;
}

void ReadSpeaker(ScenarioParser& parser, MapReader& root, Scenario& out) {
  auto v = root.Get("speaker");
  if (!v) return;
  auto map = MapReader::Open(parser.ctx(), *v);
  if (!map) return;
  SpeakerOverrides& s = out.speaker;
  s.probe_interval = detail::GetDuration(*map, "probe_interval");
  s.probe_timeout = detail::GetDuration(*map, "probe_timeout");
  s.suspicion_min = detail::GetDuration(*map, "suspicion_min");
  s.garp_interval = detail::GetDuration(*map, "garp_interval");
  s.garp_duration = detail::GetDuration(*map, "garp_duration", detail::DurationRule::kNonNegative);
  s.garp_refresh = detail::GetDuration(*map, "garp_refresh");
  map->Finish();
}

template <typename T, typename ReadOne>
void ReadList(ScenarioParser& parser, MapReader& root, std::string_view key, std::vector<T>& out,
              ReadOne read_one) {
  auto v = root.Get(key);
  if (!v) return;
  auto items = config::detail::ReadList(parser.ctx(), *v);
  if (!items) return;
  for (const auto& item : *items) {
    if (auto x = read_one(item)) out.push_back(*std::move(x));
  }
}

void ReadScenario(ScenarioParser& parser, const Value& root_value, Scenario& out) {
  auto& ctx = parser.ctx();
  auto root = MapReader::Open(ctx, root_value);
  if (!root) return;
  root->Require("name");
  if (auto v = root->Get("name")) {
    if (auto name = config::detail::ReadString(ctx, *v)) {
      if (!IsScenarioName(*name)) {
        ctx.Error(v->line, v->path,
                  Quote(*name) +
                      " is not a valid scenario name (letters, digits, '-', '_' and '.'; "
                      "it names the report directory)");
      }
      out.name = *name;
    }
  }
  if (auto d = root->String("description")) out.description = *d;
  if (auto seed = root->Int("seed", 0, std::numeric_limits<int64_t>::max())) {
    out.seed = static_cast<uint64_t>(*seed);
  }
  std::optional<core::Duration> duration = out.duration;
  if (auto v = root->Get("duration")) duration = detail::ReadDuration(ctx, *v);
  if (duration) out.duration = *duration;
  parser.set_duration(duration);
  if (auto v = root->Get("profile")) {
    if (auto p = detail::ReadEnum(ctx, *v, {"default", "metallb"})) out.profile = *p;
  }
  ReadSpeaker(parser, *root, out);
  parser.ReadTopology(*root, out);
  parser.ReadManifests(*root, out);
  if (auto v = root->Get("endpoints")) {
    if (auto e = parser.ReadEndpoints(*v)) out.endpoints = *std::move(e);
  }
  ReadList(parser, *root, "traffic", out.traffic,
           [&](const Value& item) { return parser.ReadProbe(item); });
  ReadList(parser, *root, "faults", out.faults,
           [&](const Value& item) { return parser.ReadFault(item); });
  // Faults run in time order; ties in the order written.
  std::stable_sort(out.faults.begin(), out.faults.end(),
                   [](const Fault& a, const Fault& b) { return a.at < b.at; });
  parser.ResolveFaultManifests(out);
  ReadList(parser, *root, "expect", out.expect,
           [&](const Value& item) { return parser.ReadExpectation(item); });
  root->Finish();
  parser.CheckReferences();
}

}  // namespace

ScenarioResult LoadScenarioText(const std::string& file_name, const std::string& text,
                                const std::string& base_dir, const std::string& topologies_dir) {
  ScenarioParser parser(file_name, base_dir, topologies_dir);
  Scenario scenario;
  scenario.file = file_name;
  if (auto stream = detail::ParseOneDocument(parser.ctx(), text)) {
    ReadScenario(parser, Value{stream->Root(0), "", 1}, scenario);
  }
  auto problems = detail::ToProblems(parser.diagnostics(), parser.inline_files());
  detail::SortProblems(file_name, problems);
  if (!problems.empty()) return core::MakeErr(std::move(problems));
  scenario.warnings =
      detail::ToProblems(parser.diagnostics(), parser.inline_files(), config::Severity::kWarning);
  detail::SortProblems(file_name, scenario.warnings);
  return scenario;
}

ScenarioResult LoadScenarioFile(const std::string& path, const std::string& topologies_dir) {
  auto text = detail::ReadTextFile(path);
  if (!text.ok()) return core::MakeErr(std::vector<Problem>{Problem{path, 0, "", text.error()}});
  const std::string dir = std::filesystem::path(path).parent_path().string();
  return LoadScenarioText(path, *text, dir, topologies_dir);
}

}  // namespace vipcast::sim
