// MetricsRegistry: the last value of every metric series a process exposes,
// rendered as the Prometheus text exposition format, version 0.0.4
// (https://prometheus.io/docs/instrumenting/exposition_formats/).
//
// The engine reports each counter as a core::MetricChanged fact carrying its
// latest absolute value (not a delta), so the registry only keeps the last
// value per (name, labels) and never does arithmetic of its own.
//
// Families (name, HELP, TYPE) are registered up front; a series whose name
// has no family is still exposed, as `untyped`, and reported once through
// the UnknownNameSink so that a name missing from the catalogue
// (metric_families.h) is noticed instead of silently dropped.
//
// Invariants: every stored name is a valid Prometheus metric name and every
// label name a valid label name (invalid characters become '_'); the labels
// of a series are sorted by name with no duplicate names; Render() output
// is a pure function of the stored state (families and series sorted by
// name), so two scrapes of the same state are byte-identical.
#pragma once

#include <cstdint>
#include <functional>
#include <map>
#include <optional>
#include <set>
#include <string>
#include <string_view>

#include "engine/core/io.h"

namespace vipcast::prod {

enum class MetricType : uint8_t { kCounter, kGauge, kUntyped };

std::string_view ToString(MetricType type);

struct MetricFamily {
  std::string name;
  std::string help;
  MetricType type = MetricType::kUntyped;
};

class MetricsRegistry {
 public:
  // Called once per metric name that has no registered family.
  using UnknownNameSink = std::function<void(const std::string& name)>;

  explicit MetricsRegistry(UnknownNameSink on_unknown = {});

  // Adds a family, or replaces the HELP and TYPE of an existing one; its
  // series are kept.
  void RegisterFamily(MetricFamily family);
  bool HasFamily(std::string_view name) const;

  // Sets the value of one series, creating it if needed.
  void Set(std::string_view name, core::Labels labels, double value);
  // Adds `delta` to a series (0 if absent): for counters the process keeps
  // itself (metallb_k8s_client_updates_total).
  void Add(std::string_view name, core::Labels labels, double delta);
  // Removes one series; false if it did not exist. The family stays.
  bool Remove(std::string_view name, core::Labels labels);
  void Apply(const core::MetricChanged& metric) { Set(metric.name, metric.labels, metric.value); }

  std::optional<double> Value(std::string_view name, core::Labels labels) const;
  size_t series_count() const;

  // The whole exposition: for each family with at least one series, in name
  // order, `# HELP`, `# TYPE`, then its series in label order.
  std::string Render() const;

 private:
  struct Family {
    std::string help;
    MetricType type = MetricType::kUntyped;
    bool registered = false;
    std::map<core::Labels, double> series;
  };

  Family& FamilyFor(const std::string& name);

  UnknownNameSink on_unknown_;
  std::map<std::string, Family, std::less<>> families_;
  std::set<std::string, std::less<>> reported_unknown_;
};

// Valid Prometheus names: metric [a-zA-Z_:][a-zA-Z0-9_:]*, label
// [a-zA-Z_][a-zA-Z0-9_]*. Other characters become '_', a leading digit gets
// a '_' prefix, the empty name becomes "_".
std::string SanitizeMetricName(std::string_view name);
std::string SanitizeLabelName(std::string_view name);
// Label values in the text format: backslash, double quote and line feed
// escaped as \\, \" and \n.
std::string EscapeLabelValue(std::string_view value);
// HELP text: backslash and line feed escaped.
std::string EscapeHelp(std::string_view help);
// Sample values as Go's strconv.ParseFloat reads them: shortest round-trip
// decimal, "+Inf", "-Inf", "NaN".
std::string FormatSampleValue(double value);

}  // namespace vipcast::prod
