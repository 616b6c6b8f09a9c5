#include "sim/scenario/values.h"

#include <cmath>
#include <cstdlib>

#include "engine/config/levenshtein.h"
#include "engine/config/scalar.h"

namespace vipcast::sim::detail {
namespace {

using config::detail::DescribeNode;
using config::detail::Quote;
using config::detail::ResolveScalar;
using config::detail::ScalarType;

bool IsAbsent(const Value& v) { return !v.node.IsDefined() || v.node.IsNull(); }

std::string FormatNumber(double x) {
  char buf[32];
  std::snprintf(buf, sizeof buf, "%g", x);
  return buf;
}

}  // namespace

std::optional<core::Duration> ReadDuration(ParseContext& ctx, const Value& v, DurationRule rule) {
  if (IsAbsent(v)) return std::nullopt;
  if (!v.node.IsScalar()) {
    ctx.Error(v.line, v.path,
              "expected a duration such as 250ms, 10s or 1m30s, got " + DescribeNode(v.node));
    return std::nullopt;
  }
  // Any scalar's text goes through the parser: a bare number such as 10 then
  // fails with "missing unit", which says what to fix.
  auto parsed = core::Duration::Parse(v.node.Scalar());
  if (!parsed.ok()) {
    ctx.Error(v.line, v.path, parsed.error());
    return std::nullopt;
  }
  if (rule == DurationRule::kPositive && *parsed <= core::Duration::Zero()) {
    ctx.Error(v.line, v.path, "must be more than 0s");
    return std::nullopt;
  }
  return *parsed;
}

std::optional<core::Duration> GetDuration(MapReader& map, std::string_view key, DurationRule rule) {
  auto v = map.Get(key);
  return v ? ReadDuration(map.ctx(), *v, rule) : std::nullopt;
}

std::optional<double> ReadNumber(ParseContext& ctx, const Value& v, double min, double max) {
  if (IsAbsent(v)) return std::nullopt;
  const ScalarType type = v.node.IsScalar() ? ResolveScalar(v.node) : ScalarType::kNull;
  if (type != ScalarType::kInt && type != ScalarType::kFloat) {
    ctx.Error(v.line, v.path, "expected a number, got " + DescribeNode(v.node));
    return std::nullopt;
  }
  const std::string& text = v.node.Scalar();
  char* end = nullptr;
  const double x = std::strtod(text.c_str(), &end);
  if (end == text.c_str() || !std::isfinite(x) || x < min || x > max) {
    ctx.Error(v.line, v.path,
              DescribeNode(v.node) + " is out of range (" + FormatNumber(min) + "-" +
                  FormatNumber(max) + ")");
    return std::nullopt;
  }
  return x;
}

std::optional<std::string> ReadEnum(ParseContext& ctx, const Value& v,
                                    const std::vector<std::string>& allowed) {
  auto s = config::detail::ReadString(ctx, v);
  if (!s) return std::nullopt;
  for (const auto& a : allowed) {
    if (*s == a) return s;
  }
  std::string message = Quote(*s) + " is not one of " + JoinNames(allowed);
  if (auto guess = config::detail::ClosestMatch(*s, allowed)) {
    message += "; did you mean \"" + *guess + "\"?";
  }
  ctx.Error(v.line, v.path, std::move(message));
  return std::nullopt;
}

std::optional<uint64_t> ReadBitRate(ParseContext& ctx, const Value& v) {
  auto s = config::detail::ReadString(ctx, v);
  if (!s) return std::nullopt;
  struct Unit {
    const char* suffix;
    double factor;
  };
  // Longest suffixes first so "kbps" is not read as "bps".
  static constexpr Unit kUnits[] = {{"Gbps", 1e9}, {"Mbps", 1e6}, {"kbps", 1e3}, {"bps", 1}};
  for (const auto& unit : kUnits) {
    const std::string suffix = unit.suffix;
    if (s->size() <= suffix.size() ||
        s->compare(s->size() - suffix.size(), suffix.size(), suffix) != 0) {
      continue;
    }
    const std::string number = s->substr(0, s->size() - suffix.size());
    if (number.find_first_not_of("0123456789.") != std::string::npos) break;
    char* end = nullptr;
    const double x = std::strtod(number.c_str(), &end);
    if (end != number.c_str() + number.size()) break;
    const double bps = x * unit.factor;
    if (!(bps >= 1) || bps > 1e12 || bps != std::floor(bps)) {
      ctx.Error(v.line, v.path, "link rate " + Quote(*s) + " is out of range (1bps-1000Gbps)");
      return std::nullopt;
    }
    return static_cast<uint64_t>(bps);
  }
  ctx.Error(v.line, v.path,
            "invalid link rate " + Quote(*s) +
                "; expected a number and bps, kbps, Mbps or Gbps, e.g. 1Gbps");
  return std::nullopt;
}

std::string JoinNames(const std::vector<std::string>& names) {
  std::string out;
  for (size_t i = 0; i < names.size(); ++i) {
    if (i > 0) out += ", ";
    out += names[i];
  }
  return out;
}

}  // namespace vipcast::sim::detail
