#include "engine/config/yaml_node.h"

#include <algorithm>

#include "engine/config/levenshtein.h"
#include "engine/config/scalar.h"

namespace vipcast::config::detail {

// ---------------------------------------------------------------- ParseContext

void ParseContext::SetObject(std::string kind, std::string ns, std::string name) {
  kind_ = std::move(kind);
  namespace_ = DisplayName(ns);
  name_ = DisplayName(name);
}

bool ParseContext::Admit(int line, Severity severity) {
  if (reported_ < kMaxDiagnostics) {
    ++reported_;
    return true;
  }
  // One note per severity, so that a dropped error still makes the load fail.
  bool& noted = severity == Severity::kError ? error_cap_noted_ : warning_cap_noted_;
  if (!noted) {
    noted = true;
    out_.push_back(Diagnostic{severity, file_, line, "", "", "", "",
                              std::string("too many problems in this document; further ") +
                                  (severity == Severity::kError ? "errors" : "warnings") +
                                  " are not reported"});
  }
  return false;
}

void ParseContext::Error(int line, std::string field, std::string message) {
  ++errors_;
  if (!Admit(line, Severity::kError)) return;
  out_.push_back(Diagnostic{Severity::kError, file_, line, kind_, namespace_, name_,
                            std::move(field), std::move(message)});
}

void ParseContext::Warning(int line, std::string field, std::string message) {
  if (!Admit(line, Severity::kWarning)) return;
  out_.push_back(Diagnostic{Severity::kWarning, file_, line, kind_, namespace_, name_,
                            std::move(field), std::move(message)});
}

void ParseContext::FileDiagnostic(Severity severity, int line, std::string message) {
  if (severity == Severity::kError) ++errors_;
  if (!Admit(line, severity)) return;
  out_.push_back(Diagnostic{severity, file_, line, "", "", "", "", std::move(message)});
}

bool ParseContext::Spend(int line) {
  if (budget_ < 0) return false;
  if (--budget_ >= 0) return true;
  // Bypasses the diagnostic cap: this one must always be seen.
  ++errors_;
  out_.push_back(Diagnostic{Severity::kError, file_, line, "", "", "", "",
                            "document too large (more than the node limit, counting YAML alias "
                            "expansions); the rest of it is ignored"});
  return false;
}

void ParseContext::RecordLine(const std::string& path, int line) {
  if (source_ != nullptr && line > 0) source_->field_lines.emplace(path, line);
}

int LineOf(const YamlNode& node, int fallback) {
  if (node.IsNull() || node.Line() <= 0) return fallback;
  return node.Line();
}

std::string JoinPath(const std::string& parent, std::string_view key) {
  if (parent.empty()) return std::string(key);
  return parent + "." + std::string(key);
}

// ---------------------------------------------------------------- typed reads

namespace {

bool IsAbsent(const Value& v) { return !v.node.IsDefined() || v.node.IsNull(); }

void TypeError(ParseContext& ctx, const Value& v, std::string_view expected) {
  ctx.Error(v.line, v.path, "expected " + std::string(expected) + ", got " + DescribeNode(v.node));
}

}  // namespace

std::optional<std::string> ReadString(ParseContext& ctx, const Value& v) {
  if (IsAbsent(v)) return std::nullopt;
  if (!v.node.IsScalar() || ResolveScalar(v.node) != ScalarType::kString) {
    TypeError(ctx, v, "a string");
    return std::nullopt;
  }
  return v.node.Scalar();
}

std::optional<bool> ReadBool(ParseContext& ctx, const Value& v) {
  if (IsAbsent(v)) return std::nullopt;
  if (!v.node.IsScalar() || ResolveScalar(v.node) != ScalarType::kBool) {
    TypeError(ctx, v, "a boolean");
    return std::nullopt;
  }
  return ParseYamlBool(v.node.Scalar());
}

std::optional<int64_t> ReadInt(ParseContext& ctx, const Value& v, int64_t min, int64_t max) {
  if (IsAbsent(v)) return std::nullopt;
  if (!v.node.IsScalar() || ResolveScalar(v.node) != ScalarType::kInt) {
    TypeError(ctx, v, "an integer");
    return std::nullopt;
  }
  auto value = ParseYamlInt(v.node.Scalar());
  if (!value || *value < min || *value > max) {
    ctx.Error(v.line, v.path,
              DescribeNode(v.node) + " is out of range (" + std::to_string(min) + "-" +
                  std::to_string(max) + ")");
    return std::nullopt;
  }
  return value;
}

std::optional<std::vector<Value>> ReadList(ParseContext& ctx, const Value& v) {
  if (IsAbsent(v)) return std::nullopt;
  if (!v.node.IsSequence()) {
    TypeError(ctx, v, "a list");
    return std::nullopt;
  }
  std::vector<Value> items;
  for (size_t i = 0; i < v.node.Size(); ++i) {
    if (!ctx.Spend(v.line)) return std::nullopt;
    const YamlNode node = v.node.Item(i);
    Value item{node, v.path + "[" + std::to_string(i) + "]", LineOf(node, v.line)};
    ctx.RecordLine(item.path, item.line);
    items.push_back(std::move(item));
  }
  return items;
}

std::optional<std::vector<std::string>> ReadStringList(ParseContext& ctx, const Value& v) {
  auto items = ReadList(ctx, v);
  if (!items) return std::nullopt;
  std::vector<std::string> out;
  out.reserve(items->size());
  for (const auto& item : *items) {
    // A null item in a list of strings is "" in JSON terms; Kubernetes reads it
    // as an empty string, which every caller then rejects with a clearer error.
    if (IsAbsent(item)) {
      out.emplace_back();
      continue;
    }
    if (auto s = ReadString(ctx, item)) out.push_back(std::move(*s));
  }
  return out;
}

std::optional<std::map<std::string, std::string>> ReadStringMap(ParseContext& ctx, const Value& v) {
  if (IsAbsent(v)) return std::nullopt;
  if (!v.node.IsMap()) {
    TypeError(ctx, v, "a map of strings");
    return std::nullopt;
  }
  std::map<std::string, std::string> out;
  for (size_t i = 0; i < v.node.Size(); ++i) {
    if (!ctx.Spend(v.line)) return std::nullopt;
    const YamlNode key_node = v.node.KeyAt(i);
    const int line = LineOf(key_node, v.line);
    if (!key_node.IsScalar()) {
      ctx.Error(line, v.path, "expected a string key, got " + DescribeNode(key_node));
      continue;
    }
    const std::string& key = key_node.Scalar();
    const Value item{v.node.ValueAt(i), v.path + "[" + Quote(key) + "]", line};
    ctx.RecordLine(item.path, line);
    if (out.count(key) != 0) {
      ctx.Error(line, item.path, "duplicate key");
      continue;
    }
    // A null value in a Kubernetes string map is the empty string.
    if (IsAbsent(item)) {
      out.emplace(key, "");
      continue;
    }
    if (auto s = ReadString(ctx, item)) out.emplace(key, std::move(*s));
  }
  return out;
}

// ---------------------------------------------------------------- MapReader

std::optional<MapReader> MapReader::Open(ParseContext& ctx, const Value& v) {
  MapReader reader(ctx, v.path, v.line);
  if (IsAbsent(v)) return reader;
  if (!v.node.IsMap()) {
    TypeError(ctx, v, "a map");
    return std::nullopt;
  }
  std::vector<Value> merges;
  for (size_t i = 0; i < v.node.Size(); ++i) {
    if (!ctx.Spend(v.line)) return std::nullopt;
    const YamlNode key_node = v.node.KeyAt(i);
    const YamlNode value = v.node.ValueAt(i);
    const int line = LineOf(key_node, v.line);
    if (!key_node.IsScalar()) {
      ctx.Error(line, v.path, "expected a field name, got " + DescribeNode(key_node));
      continue;
    }
    const std::string& key = key_node.Scalar();
    if (key == "<<" && key_node.Tag() == "?") {
      merges.push_back(Value{value, v.path, line});
      continue;
    }
    if (const Entry* first = reader.Find(key)) {
      // sigs.k8s.io/yaml (strict) rejects repeated keys too; neither value is
      // silently preferred.
      ctx.Error(line, JoinPath(v.path, key),
                "duplicate field (first set at line " + std::to_string(first->line) + ")");
      continue;
    }
    reader.entries_.push_back(Entry{key, value, line});
  }
  // YAML 1.1 merge keys (`<<: *defaults`), which kubectl's go-yaml honours:
  // merged entries never override keys written in the map itself, and earlier
  // sources in a `<<: [*a, *b]` list win over later ones.
  for (const auto& merge : merges) {
    std::vector<YamlNode> sources;
    if (merge.node.IsMap()) {
      sources.push_back(merge.node);
    } else if (merge.node.IsSequence()) {
      for (size_t i = 0; i < merge.node.Size(); ++i) sources.push_back(merge.node.Item(i));
    }
    if (sources.empty() ||
        !std::all_of(sources.begin(), sources.end(), [](const YamlNode& n) { return n.IsMap(); })) {
      ctx.Error(merge.line, JoinPath(v.path, "<<"),
                "expected a map or a list of maps to merge, got " + DescribeNode(merge.node));
      continue;
    }
    for (const auto& source : sources) {
      for (size_t i = 0; i < source.Size(); ++i) {
        if (!ctx.Spend(merge.line)) return std::nullopt;
        const YamlNode key_node = source.KeyAt(i);
        if (!key_node.IsScalar() || reader.Find(key_node.Scalar()) != nullptr) continue;
        reader.entries_.push_back(Entry{key_node.Scalar(), source.ValueAt(i), merge.line});
      }
    }
  }
  return reader;
}

MapReader::Entry* MapReader::Find(std::string_view key) {
  for (auto& e : entries_) {
    if (e.key == key) return &e;
  }
  return nullptr;
}

const MapReader::Entry* MapReader::Find(std::string_view key) const {
  for (const auto& e : entries_) {
    if (e.key == key) return &e;
  }
  return nullptr;
}

void MapReader::Know(std::string_view key) {
  if (std::find(known_.begin(), known_.end(), key) == known_.end()) known_.emplace_back(key);
}

std::optional<Value> MapReader::Get(std::string_view key) {
  Know(key);
  Entry* e = Find(key);
  if (e == nullptr) return std::nullopt;
  e->used = true;
  const std::string path = PathOf(key);
  ctx_->RecordLine(path, e->line);
  if (!e->value.IsDefined() || e->value.IsNull()) return std::nullopt;
  return Value{e->value, path, e->line};
}

void MapReader::Ignore(std::initializer_list<std::string_view> keys) {
  for (auto key : keys) {
    Know(key);
    if (Entry* e = Find(key)) e->used = true;
  }
}

void MapReader::Require(std::string_view key) {
  const Entry* e = Find(key);
  if (e == nullptr || !e->value.IsDefined() || e->value.IsNull()) {
    ctx_->Error(e != nullptr ? e->line : line_, PathOf(key), "required field is missing");
  }
}

void MapReader::Finish() {
  for (const auto& e : entries_) {
    if (e.used) continue;
    std::string message = "unknown field";
    if (ctx_->quiet()) {
      ctx_->Error(e.line, PathOf(e.key), std::move(message));
      continue;
    }
    if (auto suggestion = ClosestMatch(e.key, known_)) {
      message += "; did you mean \"" + *suggestion + "\"?";
    }
    ctx_->Error(e.line, PathOf(e.key), std::move(message));
  }
}

bool MapReader::Has(std::string_view key) const {
  const Entry* e = Find(key);
  return e != nullptr && e->value.IsDefined() && !e->value.IsNull();
}

std::string MapReader::PathOf(std::string_view key) const { return JoinPath(path_, key); }

int MapReader::LineOfKey(std::string_view key) const {
  const Entry* e = Find(key);
  return e != nullptr ? e->line : line_;
}

std::optional<std::string> MapReader::String(std::string_view key) {
  auto v = Get(key);
  return v ? ReadString(*ctx_, *v) : std::nullopt;
}

std::optional<bool> MapReader::Bool(std::string_view key) {
  auto v = Get(key);
  return v ? ReadBool(*ctx_, *v) : std::nullopt;
}

std::optional<int64_t> MapReader::Int(std::string_view key, int64_t min, int64_t max) {
  auto v = Get(key);
  return v ? ReadInt(*ctx_, *v, min, max) : std::nullopt;
}

std::optional<std::vector<std::string>> MapReader::StringList(std::string_view key) {
  auto v = Get(key);
  return v ? ReadStringList(*ctx_, *v) : std::nullopt;
}

std::optional<std::map<std::string, std::string>> MapReader::StringMap(std::string_view key) {
  auto v = Get(key);
  return v ? ReadStringMap(*ctx_, *v) : std::nullopt;
}

std::optional<std::vector<Value>> MapReader::List(std::string_view key) {
  auto v = Get(key);
  return v ? ReadList(*ctx_, *v) : std::nullopt;
}

std::optional<MapReader> MapReader::Map(std::string_view key) {
  auto v = Get(key);
  if (!v) return std::nullopt;
  return Open(*ctx_, *v);
}

}  // namespace vipcast::config::detail
