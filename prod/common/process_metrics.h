// The standard process_* series of Prometheus client libraries, read from
// /proc on each scrape (a few small reads; the speaker is scraped every few
// seconds at most): CPU time, resident and virtual memory, open and maximum
// file descriptors, start time. Linux only, like the rest of prod/.
#pragma once

#include <cstdint>
#include <optional>
#include <string_view>

#include "prod/common/metrics_registry.h"

namespace vipcast::prod {

// The fields of /proc/<pid>/stat that the series need (proc(5)).
struct ProcStat {
  uint64_t utime_ticks = 0;  // field 14
  uint64_t stime_ticks = 0;  // field 15
  uint64_t start_ticks = 0;  // field 22, clock ticks after boot
  uint64_t vsize_bytes = 0;  // field 23
  uint64_t rss_pages = 0;    // field 24
};

// Parses one /proc/<pid>/stat line. The command name (field 2) may contain
// spaces and parentheses, so fields are counted from its last ')'.
std::optional<ProcStat> ParseProcStat(std::string_view text);

void RegisterProcessFamilies(MetricsRegistry& registry);
// Reads /proc/self/stat, /proc/stat (boot time), /proc/self/fd and the
// RLIMIT_NOFILE limit and sets the series; a value that cannot be read is
// left as it was.
void UpdateProcessMetrics(MetricsRegistry& registry);

}  // namespace vipcast::prod
