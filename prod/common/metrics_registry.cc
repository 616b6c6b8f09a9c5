#include "prod/common/metrics_registry.h"

#include <algorithm>
#include <charconv>
#include <cmath>
#include <utility>

namespace vipcast::prod {
namespace {

bool IsAlpha(char c) { return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z'); }
bool IsDigit(char c) { return c >= '0' && c <= '9'; }

std::string Sanitize(std::string_view name, bool allow_colon) {
  std::string out;
  out.reserve(name.size() + 1);
  if (!name.empty() && IsDigit(name.front())) out.push_back('_');
  for (const char c : name) {
    const bool ok = IsAlpha(c) || IsDigit(c) || c == '_' || (allow_colon && c == ':');
    out.push_back(ok ? c : '_');
  }
  if (out.empty()) out = "_";
  return out;
}

// Sanitized names, sorted by name; of two labels with one name the later
// wins, as a later assignment would.
core::Labels Normalize(core::Labels labels) {
  for (auto& [name, value] : labels) name = SanitizeLabelName(name);
  std::stable_sort(labels.begin(), labels.end(),
                   [](const auto& a, const auto& b) { return a.first < b.first; });
  core::Labels out;
  out.reserve(labels.size());
  for (auto& label : labels) {
    if (!out.empty() && out.back().first == label.first) {
      out.back().second = std::move(label.second);
    } else {
      out.push_back(std::move(label));
    }
  }
  return out;
}

}  // namespace

std::string_view ToString(MetricType type) {
  switch (type) {
    case MetricType::kCounter:
      return "counter";
    case MetricType::kGauge:
      return "gauge";
    case MetricType::kUntyped:
      return "untyped";
  }
  return "untyped";
}

std::string SanitizeMetricName(std::string_view name) { return Sanitize(name, true); }
std::string SanitizeLabelName(std::string_view name) { return Sanitize(name, false); }

std::string EscapeLabelValue(std::string_view value) {
  std::string out;
  out.reserve(value.size());
  for (const char c : value) {
    switch (c) {
      case '\\':
        out += "\\\\";
        break;
      case '"':
        out += "\\\"";
        break;
      case '\n':
        out += "\\n";
        break;
      default:
        out.push_back(c);
    }
  }
  return out;
}

std::string EscapeHelp(std::string_view help) {
  std::string out;
  out.reserve(help.size());
  for (const char c : help) {
    if (c == '\\') {
      out += "\\\\";
    } else if (c == '\n') {
      out += "\\n";
    } else {
      out.push_back(c);
    }
  }
  return out;
}

std::string FormatSampleValue(double value) {
  if (std::isnan(value)) return "NaN";
  if (std::isinf(value)) return value > 0 ? "+Inf" : "-Inf";
  char buffer[64];
  const auto [end, ec] = std::to_chars(buffer, buffer + sizeof(buffer), value);
  if (ec != std::errc()) return "NaN";  // cannot happen with 64 bytes
  return std::string(buffer, end);
}

MetricsRegistry::MetricsRegistry(UnknownNameSink on_unknown) : on_unknown_(std::move(on_unknown)) {}

void MetricsRegistry::RegisterFamily(MetricFamily family) {
  const std::string name = SanitizeMetricName(family.name);
  Family& f = families_[name];
  f.help = std::move(family.help);
  f.type = family.type;
  f.registered = true;
}

bool MetricsRegistry::HasFamily(std::string_view name) const {
  const auto it = families_.find(SanitizeMetricName(name));
  return it != families_.end() && it->second.registered;
}

MetricsRegistry::Family& MetricsRegistry::FamilyFor(const std::string& name) {
  auto it = families_.find(name);
  if (it == families_.end()) it = families_.emplace(name, Family{}).first;
  if (!it->second.registered && reported_unknown_.insert(name).second && on_unknown_) {
    on_unknown_(name);
  }
  return it->second;
}

void MetricsRegistry::Set(std::string_view name, core::Labels labels, double value) {
  FamilyFor(SanitizeMetricName(name)).series[Normalize(std::move(labels))] = value;
}

void MetricsRegistry::Add(std::string_view name, core::Labels labels, double delta) {
  FamilyFor(SanitizeMetricName(name)).series[Normalize(std::move(labels))] += delta;
}

bool MetricsRegistry::Remove(std::string_view name, core::Labels labels) {
  const auto it = families_.find(SanitizeMetricName(name));
  if (it == families_.end()) return false;
  return it->second.series.erase(Normalize(std::move(labels))) > 0;
}

std::optional<double> MetricsRegistry::Value(std::string_view name, core::Labels labels) const {
  const auto it = families_.find(SanitizeMetricName(name));
  if (it == families_.end()) return std::nullopt;
  const auto s = it->second.series.find(Normalize(std::move(labels)));
  if (s == it->second.series.end()) return std::nullopt;
  return s->second;
}

size_t MetricsRegistry::series_count() const {
  size_t n = 0;
  for (const auto& [name, family] : families_) n += family.series.size();
  return n;
}

std::string MetricsRegistry::Render() const {
  std::string out;
  for (const auto& [name, family] : families_) {
    // A family without series is left out: the format allows it, but an
    // empty family says nothing and Prometheus' own clients omit it too.
    if (family.series.empty()) continue;
    if (!family.help.empty()) out += "# HELP " + name + " " + EscapeHelp(family.help) + "\n";
    out += "# TYPE " + name + " " + std::string(ToString(family.type)) + "\n";
    for (const auto& [labels, value] : family.series) {
      out += name;
      if (!labels.empty()) {
        out.push_back('{');
        for (size_t i = 0; i < labels.size(); ++i) {
          if (i > 0) out.push_back(',');
          out += labels[i].first + "=\"" + EscapeLabelValue(labels[i].second) + "\"";
        }
        out.push_back('}');
      }
      out += " " + FormatSampleValue(value) + "\n";
    }
  }
  return out;
}

}  // namespace vipcast::prod
