// Reading typed fields out of a YAML tree, Kubernetes-style: every value is
// checked against the JSON type its field has, every field read records its
// line in the object's SourceInfo, and a mapping reports the keys nobody asked
// for as unknown fields (the API server's strict field validation, which
// kubectl uses by default since Kubernetes 1.27), with the closest valid name.
//
// Nothing here throws.
#pragma once

#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "engine/config/diagnostic.h"
#include "engine/config/diagnostic_name.h"
#include "engine/config/labels.h"
#include "engine/config/model.h"
#include "engine/config/yaml_tree.h"

namespace vipcast::config::detail {

// Where the diagnostics of one document go, which object they belong to, and
// how much work the document may still cost.
//
// Invariants: at most one "too large" diagnostic per document, and at most
// kMaxDiagnostics diagnostics per document (then one note saying so). The
// budget counts visited map entries and list items; YAML aliases make a small
// text expand into a huge tree ("billion laughs"), and the budget is what
// keeps such a document from costing more than a bounded amount of work and
// memory.
class ParseContext {
 public:
  static constexpr size_t kMaxDiagnostics = 1000;

  ParseContext(std::vector<Diagnostic>& out, std::string file, int64_t budget)
      : out_(out), file_(std::move(file)), budget_(budget) {}

  // The object the next diagnostics are about.
  void SetObject(std::string kind, std::string namespace_, std::string name);
  void SetName(const std::string& name) { name_ = DisplayName(name); }
  void SetNamespace(const std::string& ns) { namespace_ = DisplayName(ns); }
  // The SourceInfo that field reads record their lines into (may be null).
  void SetSource(SourceInfo* source) { source_ = source; }
  SourceInfo* source() const { return source_; }
  const std::string& file() const { return file_; }

  void Error(int line, std::string field, std::string message);
  void Warning(int line, std::string field, std::string message);
  // A file-level diagnostic, not attached to any object.
  void FileDiagnostic(Severity severity, int line, std::string message);

  // Takes one unit of the budget; false (after reporting once) when spent.
  bool Spend(int line);
  bool exhausted() const { return budget_ < 0; }
  size_t error_count() const { return errors_; }
  // True once the diagnostic cap is reached: callers may skip costly message
  // building (such as "did you mean" suggestions).
  bool quiet() const { return reported_ >= kMaxDiagnostics; }

  void RecordLine(const std::string& path, int line);

 private:
  std::vector<Diagnostic>& out_;
  std::string file_;
  int64_t budget_;
  std::string kind_, namespace_, name_;
  SourceInfo* source_ = nullptr;
  bool Admit(int line, Severity severity);

  size_t errors_ = 0;
  size_t reported_ = 0;
  bool error_cap_noted_ = false;
  bool warning_cap_noted_ = false;
};

// 1-based line of a node, or `fallback` for nodes without a position (a
// missing value after `key:` has none of its own).
int LineOf(const YamlNode& node, int fallback);

// A value inside an object: its node, field path ("spec.addresses[1]") and line.
struct Value {
  YamlNode node;
  std::string path;
  int line = 0;
};

// Typed reads of one value. Each reports a type error (and returns nullopt)
// when the value has the wrong JSON type; null reads as absent.
std::optional<std::string> ReadString(ParseContext& ctx, const Value& v);
std::optional<bool> ReadBool(ParseContext& ctx, const Value& v);
// Integers outside [min, max] are reported as "N is out of range (min-max)".
std::optional<int64_t> ReadInt(ParseContext& ctx, const Value& v, int64_t min, int64_t max);
// A list; each item's line is recorded as "path[i]".
std::optional<std::vector<Value>> ReadList(ParseContext& ctx, const Value& v);
std::optional<std::vector<std::string>> ReadStringList(ParseContext& ctx, const Value& v);
// A map of string to string (labels, annotations, selectors, Secret data).
std::optional<std::map<std::string, std::string>> ReadStringMap(ParseContext& ctx, const Value& v);

// One YAML mapping read as one level of a Kubernetes object.
class MapReader {
 public:
  // Fails (reporting "expected a map") unless `v` is a map; null gives an
  // empty reader so optional sections (`spec:` with nothing under it) read
  // as empty.
  static std::optional<MapReader> Open(ParseContext& ctx, const Value& v);

  // The value under `key`, or nullopt when absent or null. Marks the key as
  // known either way and records its line.
  std::optional<Value> Get(std::string_view key);
  // Known keys that are accepted and not read (e.g. metadata.uid).
  void Ignore(std::initializer_list<std::string_view> keys);
  // Reports required-field errors: "required field is missing".
  void Require(std::string_view key);
  // Reports every key never passed to Get/Ignore as an unknown field.
  void Finish();

  // Shorthands for Get + Read*.
  std::optional<std::string> String(std::string_view key);
  std::optional<bool> Bool(std::string_view key);
  std::optional<int64_t> Int(std::string_view key, int64_t min, int64_t max);
  std::optional<std::vector<std::string>> StringList(std::string_view key);
  std::optional<std::map<std::string, std::string>> StringMap(std::string_view key);
  std::optional<std::vector<Value>> List(std::string_view key);
  std::optional<MapReader> Map(std::string_view key);

  bool Has(std::string_view key) const;
  std::string PathOf(std::string_view key) const;
  int LineOfKey(std::string_view key) const;  // the map's own line when absent
  const std::string& path() const { return path_; }
  int line() const { return line_; }
  ParseContext& ctx() const { return *ctx_; }

 private:
  struct Entry {
    std::string key;
    YamlNode value;
    int line = 0;
    bool used = false;
  };
  MapReader(ParseContext& ctx, std::string path, int line)
      : ctx_(&ctx), path_(std::move(path)), line_(line) {}
  Entry* Find(std::string_view key);
  const Entry* Find(std::string_view key) const;
  void Know(std::string_view key);

  ParseContext* ctx_;
  std::string path_;
  int line_;
  std::vector<Entry> entries_;
  std::vector<std::string> known_;
};

// "spec" + "addresses" -> "spec.addresses"; "" + "spec" -> "spec".
std::string JoinPath(const std::string& parent, std::string_view key);

}  // namespace vipcast::config::detail
