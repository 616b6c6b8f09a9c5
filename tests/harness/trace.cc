#include "tests/harness/trace.h"

#include <cstdio>

namespace vipcast::harness {
namespace {

std::string_view ModeName(core::AnnounceMode mode) {
  return mode == core::AnnounceMode::kLayer2 ? "layer2" : "bgp";
}

std::string_view LevelName(core::LogLevel level) {
  switch (level) {
    case core::LogLevel::kDebug:
      return "debug";
    case core::LogLevel::kInfo:
      return "info";
    case core::LogLevel::kWarning:
      return "warning";
    case core::LogLevel::kError:
      return "error";
  }
  return "?";
}

std::string LabelsToString(const core::Labels& labels) {
  std::string out;
  for (const auto& [key, value] : labels) {
    if (!out.empty()) out += ",";
    out += key + "=" + value;
  }
  return out;
}

// %.17g prints a double exactly, so traces compare equal only when values do.
std::string Number(double v) {
  char buf[32];
  std::snprintf(buf, sizeof buf, "%.17g", v);
  return buf;
}

struct FactPrinter {
  std::string operator()(const core::VipAnnounced& f) const {
    return "vip-announced " + f.vip.ToString() + " " + f.service + " " +
           std::string(ModeName(f.mode)) + (f.interface.empty() ? "" : " " + f.interface);
  }
  std::string operator()(const core::VipWithdrawn& f) const {
    return "vip-withdrawn " + f.vip.ToString() + " " + f.service + " " +
           std::string(ModeName(f.mode)) + (f.reason.empty() ? "" : " (" + f.reason + ")");
  }
  std::string operator()(const core::SessionStateChanged& f) const {
    return "session " + f.protocol + " " + f.peer + " " + f.from + " -> " + f.to +
           (f.reason.empty() ? "" : " (" + f.reason + ")");
  }
  std::string operator()(const core::MetricChanged& f) const {
    return "metric " + f.name + "{" + LabelsToString(f.labels) + "} " + Number(f.value);
  }
  std::string operator()(const core::Log& f) const {
    std::string out = "log " + std::string(LevelName(f.level)) + " " + f.message;
    if (!f.fields.empty()) out += " {" + LabelsToString(f.fields) + "}";
    return out;
  }
  std::string operator()(const HarnessEvent& f) const { return "harness " + f.what; }
};

}  // namespace

std::string ToString(const Fact& fact) { return std::visit(FactPrinter{}, fact); }

std::string TraceEntry::ToString() const {
  return at.ToString() + " " + (node ? node_name : std::string("-")) + ": " +
         harness::ToString(fact);
}

std::string Trace::ToString() const {
  std::string out;
  for (const auto& e : entries_) out += e.ToString() + "\n";
  return out;
}

}  // namespace vipcast::harness
