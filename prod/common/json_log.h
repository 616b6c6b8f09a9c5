// Structured logging for the production binaries: one JSON object per line on
// a stream (stderr), e.g.
//   {"ts":"2026-11-26T11:20:01.123Z","level":"info","node":"n1",
//    "msg":"vip announced","vip":"10.10.0.240","service":"default/web"}
// The engine's Log actions and its facts (VipAnnounced, VipWithdrawn,
// SessionStateChanged, MetricChanged) are written through this, so the
// runtime never formats protocol state itself.
#pragma once

#include <ostream>
#include <string>
#include <string_view>

#include "engine/core/io.h"
#include "engine/core/result.h"

namespace vipcast::prod {

// "debug", "info", "warning"/"warn", "error".
core::Result<core::LogLevel> ParseLogLevel(std::string_view text);
std::string_view LogLevelName(core::LogLevel level);


class JsonLogger {
 public:
  JsonLogger(std::ostream& out, core::LogLevel threshold, std::string node);

  // Writes one line when `level` is at or above the threshold.
  void Write(core::LogLevel level, std::string_view message, const core::Labels& fields = {});
  // Logs an engine action that is a fact or a Log; other actions are ignored.
  // Facts are info (VIP and session changes) or debug (metrics).
  void WriteFact(const core::Action& action);

  bool Enabled(core::LogLevel level) const { return level >= threshold_; }

 private:
  std::ostream& out_;
  core::LogLevel threshold_;
  std::string node_;
};

}  // namespace vipcast::prod
