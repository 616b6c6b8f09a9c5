#include "prod/common/json_log.h"

#include <chrono>
#include <cstdio>
#include <ctime>
#include <type_traits>
#include <variant>

#include "prod/common/json_escape.h"

namespace vipcast::prod {

namespace {

// RFC 3339 UTC with milliseconds: what log collectors parse without help.
std::string Timestamp() {
  const auto now = std::chrono::system_clock::now();
  const auto ms =
      std::chrono::duration_cast<std::chrono::milliseconds>(now.time_since_epoch()).count();
  const std::time_t seconds = static_cast<std::time_t>(ms / 1000);
  std::tm tm{};
  gmtime_r(&seconds, &tm);
  char buf[40];
  std::snprintf(buf, sizeof(buf), "%04d-%02d-%02dT%02d:%02d:%02d.%03dZ", tm.tm_year + 1900,
                tm.tm_mon + 1, tm.tm_mday, tm.tm_hour, tm.tm_min, tm.tm_sec,
                static_cast<int>(ms % 1000));
  return buf;
}

std::string_view ModeName(core::AnnounceMode mode) {
  return mode == core::AnnounceMode::kLayer2 ? "layer2" : "bgp";
}

}  // namespace

core::Result<core::LogLevel> ParseLogLevel(std::string_view text) {
  if (text == "debug") return core::LogLevel::kDebug;
  if (text == "info") return core::LogLevel::kInfo;
  if (text == "warning" || text == "warn") return core::LogLevel::kWarning;
  if (text == "error") return core::LogLevel::kError;
  return core::MakeErr("unknown log level \"" + std::string(text) +
                       "\" (debug, info, warning, error)");
}

std::string_view LogLevelName(core::LogLevel level) {
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
  return "info";
}

JsonLogger::JsonLogger(std::ostream& out, core::LogLevel threshold, std::string node)
    : out_(out), threshold_(threshold), node_(std::move(node)) {}

void JsonLogger::Write(core::LogLevel level, std::string_view message, const core::Labels& fields) {
  if (!Enabled(level)) return;
  std::string line = "{\"ts\":";
  AppendJsonString(line, Timestamp());
  line += ",\"level\":";
  AppendJsonString(line, LogLevelName(level));
  if (!node_.empty()) {
    line += ",\"node\":";
    AppendJsonString(line, node_);
  }
  line += ",\"msg\":";
  AppendJsonString(line, message);
  for (const auto& [key, value] : fields) {
    line.push_back(',');
    AppendJsonString(line, key);
    line.push_back(':');
    AppendJsonString(line, value);
  }
  line += "}\n";
  // One write per line so that lines from concurrent writers never interleave.
  out_ << line << std::flush;
}

void JsonLogger::WriteFact(const core::Action& action) {
  std::visit(
      [this](const auto& a) {
        using A = std::decay_t<decltype(a)>;
        if constexpr (std::is_same_v<A, core::Log>) {
          Write(a.level, a.message, a.fields);
        } else if constexpr (std::is_same_v<A, core::VipAnnounced>) {
          Write(core::LogLevel::kInfo, "vip announced",
                {{"vip", a.vip.ToString()},
                 {"service", a.service},
                 {"mode", std::string(ModeName(a.mode))},
                 {"interface", a.interface}});
        } else if constexpr (std::is_same_v<A, core::VipWithdrawn>) {
          Write(core::LogLevel::kInfo, "vip withdrawn",
                {{"vip", a.vip.ToString()},
                 {"service", a.service},
                 {"mode", std::string(ModeName(a.mode))},
                 {"reason", a.reason}});
        } else if constexpr (std::is_same_v<A, core::SessionStateChanged>) {
          Write(core::LogLevel::kInfo, "session state changed",
                {{"protocol", a.protocol},
                 {"peer", a.peer},
                 {"from", a.from},
                 {"to", a.to},
                 {"reason", a.reason}});
        } else if constexpr (std::is_same_v<A, core::MetricChanged>) {
          if (!Enabled(core::LogLevel::kDebug)) return;
          core::Labels fields{{"metric", a.name}, {"value", std::to_string(a.value)}};
          for (const auto& label : a.labels) fields.push_back(label);
          Write(core::LogLevel::kDebug, "metric changed", fields);
        }
      },
      action);
}

}  // namespace vipcast::prod
