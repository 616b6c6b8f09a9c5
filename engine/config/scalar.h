// How a YAML scalar is typed. Kubernetes manifests are YAML that the API
// server turns into JSON before decoding into typed fields, so a field typed
// `bool` rejects the string "yes" and a field typed `string` rejects the
// number 8080. This file gives each scalar its JSON type, using the YAML 1.2
// core schema (https://yaml.org/spec/1.2.2/#1032-tag-resolution).
//
// Deliberate difference from kubectl: sigs.k8s.io/yaml resolves plain
// scalars with YAML 1.1 rules, where `yes`, `no`, `on` and `off` are
// booleans. vipcast follows YAML 1.2 and reports `autoAssign: yes` as a type
// error instead of silently reading it as true: the spelling is almost always
// a mistake, and the fix (`true`) is unambiguous in both versions.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "engine/config/yaml_tree.h"

namespace vipcast::config::detail {

enum class ScalarType { kNull, kBool, kInt, kFloat, kString };

// The JSON type of a plain (unquoted) scalar under the YAML 1.2 core schema.
ScalarType ResolvePlainScalar(std::string_view text);

// The type of a scalar node, honouring quotes and explicit !!tags: a quoted
// scalar is always a string.
ScalarType ResolveScalar(const YamlNode& node);

// Integer value of a scalar that resolved to kInt (decimal, 0x hex or 0o
// octal). Empty when it does not fit in int64 — the caller reports that as
// out of range.
std::optional<int64_t> ParseYamlInt(std::string_view text);

// Boolean value of a scalar that resolved to kBool.
bool ParseYamlBool(std::string_view text);

// How a node reads in an error message: "a list", "a map", "null", a number
// or boolean as written, a string in double quotes (truncated when long).
std::string DescribeNode(const YamlNode& node);

// Quotes text for a message: "text", with control characters escaped and
// anything past `max_len` bytes elided.
std::string Quote(std::string_view text, size_t max_len = 80);

}  // namespace vipcast::config::detail
