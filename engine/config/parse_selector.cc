// metav1.LabelSelector and MetalLB's lists of selectors and of names.
// Operator and value rules are Kubernetes' ValidateLabelSelectorRequirement:
// In/NotIn need at least one value, Exists/DoesNotExist take none.
#include <algorithm>
#include <set>

#include "engine/config/levenshtein.h"
#include "engine/config/parsers.h"
#include "engine/config/scalar.h"

namespace vipcast::config::detail {
namespace {

const std::vector<std::string>& OperatorNames() {
  static const std::vector<std::string> names = {"In", "NotIn", "Exists", "DoesNotExist"};
  return names;
}

std::optional<SelectorOperator> OperatorFromName(std::string_view name) {
  if (name == "In") return SelectorOperator::kIn;
  if (name == "NotIn") return SelectorOperator::kNotIn;
  if (name == "Exists") return SelectorOperator::kExists;
  if (name == "DoesNotExist") return SelectorOperator::kDoesNotExist;
  return std::nullopt;
}

std::string EnumError(std::string_view got, const std::vector<std::string>& names) {
  std::string message = "expected one of ";
  for (size_t i = 0; i < names.size(); ++i) message += (i ? ", " : "") + names[i];
  message += ", got " + Quote(got);
  if (auto close = ClosestMatch(got, names)) message += "; did you mean \"" + *close + "\"?";
  return message;
}

// A canonical text for duplicate detection in O(log n) per item: lists of
// selectors may be long (or alias-expanded), so no pairwise comparisons.
std::string RequirementKey(const LabelSelectorRequirement& req) {
  std::string key = req.key + '\0' + std::to_string(static_cast<int>(req.op));
  for (const auto& v : req.values) key += '\0' + v;
  return key;
}

std::string SelectorKey(const LabelSelector& selector) {
  std::string key;
  for (const auto& [k, v] : selector.match_labels) key += k + '\1' + v + '\1';
  key += '\2';
  for (const auto& req : selector.match_expressions) key += RequirementKey(req) + '\3';
  return key;
}

std::optional<LabelSelectorRequirement> ReadRequirement(ParseContext& ctx, const Value& v) {
  auto map = MapReader::Open(ctx, v);
  if (!map) return std::nullopt;
  LabelSelectorRequirement req;
  bool ok = true;
  map->Require("key");
  map->Require("operator");
  if (auto key = map->String("key")) {
    req.key = *key;
    if (auto valid = CheckLabelKey(req.key); !valid) {
      ctx.Error(map->LineOfKey("key"), map->PathOf("key"), "invalid key: " + valid.error());
    }
  } else {
    ok = false;
  }
  if (auto op = map->String("operator")) {
    if (auto parsed = OperatorFromName(*op)) {
      req.op = *parsed;
    } else {
      ctx.Error(map->LineOfKey("operator"), map->PathOf("operator"),
                EnumError(*op, OperatorNames()));
      ok = false;
    }
  } else {
    ok = false;
  }
  const bool has_values = map->Has("values");
  if (auto values = map->StringList("values")) req.values = std::move(*values);
  if (ok) {
    const bool needs_values = req.op == SelectorOperator::kIn || req.op == SelectorOperator::kNotIn;
    const std::string& op_name = OperatorNames()[static_cast<size_t>(req.op)];
    if (needs_values && req.values.empty()) {
      ctx.Error(map->LineOfKey("values"), map->PathOf("values"),
                "operator " + op_name + " needs at least one value");
    } else if (!needs_values && (has_values && !req.values.empty())) {
      ctx.Error(map->LineOfKey("values"), map->PathOf("values"),
                "operator " + op_name + " takes no values");
    }
  }
  std::set<std::string> seen;
  for (size_t i = 0; i < req.values.size(); ++i) {
    const std::string path = map->PathOf("values") + "[" + std::to_string(i) + "]";
    const int line = ctx.source() ? ctx.source()->LineOf(path) : v.line;
    if (auto valid = CheckLabelValue(req.values[i]); !valid) {
      ctx.Error(line, path, "invalid value: " + valid.error());
    }
    if (!seen.insert(req.values[i]).second) {
      ctx.Error(line, path, "duplicate value " + Quote(req.values[i]));
    }
  }
  map->Finish();
  return ok ? std::optional(req) : std::nullopt;
}

}  // namespace

std::optional<LabelSelector> ReadLabelSelector(ParseContext& ctx, const Value& v) {
  auto map = MapReader::Open(ctx, v);
  if (!map) return std::nullopt;
  LabelSelector selector;
  if (auto labels = map->StringMap("matchLabels")) {
    selector.match_labels = std::move(*labels);
    for (const auto& [key, value] : selector.match_labels) {
      const std::string path = map->PathOf("matchLabels") + "[" + Quote(key) + "]";
      const int line = ctx.source() ? ctx.source()->LineOf(path) : v.line;
      if (auto ok = CheckLabelKey(key); !ok) ctx.Error(line, path, "invalid key: " + ok.error());
      if (auto ok = CheckLabelValue(value); !ok)
        ctx.Error(line, path, "invalid value: " + ok.error());
    }
  }
  if (auto items = map->List("matchExpressions")) {
    std::set<std::string> seen;
    for (const auto& item : *items) {
      if (auto req = ReadRequirement(ctx, item)) {
        if (!seen.insert(RequirementKey(*req)).second) {
          ctx.Error(item.line, item.path, "duplicate match expression");
          continue;
        }
        selector.match_expressions.push_back(std::move(*req));
      }
    }
  }
  map->Finish();
  return selector;
}

std::vector<LabelSelector> ReadSelectorList(MapReader& map, std::string_view key) {
  std::vector<LabelSelector> out;
  auto items = map.List(key);
  if (!items) return out;
  std::set<std::string> seen;
  for (const auto& item : *items) {
    auto selector = ReadLabelSelector(map.ctx(), item);
    if (!selector) continue;
    if (!seen.insert(SelectorKey(*selector)).second) {
      map.ctx().Error(item.line, item.path, "duplicate selector");
      continue;
    }
    out.push_back(std::move(*selector));
  }
  return out;
}

std::vector<std::string> ReadNameList(MapReader& map, std::string_view key) {
  // Entries stay in place even when reported, so that index i in the model is
  // spec.<key>[i] in the file and later reference errors point at the right item.
  std::vector<std::string> out;
  auto v = map.Get(key);
  if (!v) return out;
  auto items = ReadList(map.ctx(), *v);
  if (!items) return out;
  std::set<std::string> seen;
  for (const auto& item : *items) {
    std::string name;
    if (item.node.IsDefined() && !item.node.IsNull()) {
      auto read = ReadString(map.ctx(), item);
      if (!read) {
        out.emplace_back();
        continue;
      }
      name = std::move(*read);
    }
    if (name.empty()) {
      map.ctx().Error(item.line, item.path, "must not be empty");
    } else if (!seen.insert(name).second) {
      map.ctx().Error(item.line, item.path, "duplicate entry " + Quote(name));
    }
    out.push_back(std::move(name));
  }
  return out;
}

}  // namespace vipcast::config::detail
