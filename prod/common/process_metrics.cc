#include "prod/common/process_metrics.h"

#include <dirent.h>
#include <sys/resource.h>
#include <unistd.h>

#include <charconv>
#include <fstream>
#include <iterator>
#include <string>
#include <vector>

namespace vipcast::prod {
namespace {

bool ParseU64(std::string_view text, uint64_t* out) {
  const auto [p, ec] = std::from_chars(text.data(), text.data() + text.size(), *out);
  return ec == std::errc() && p == text.data() + text.size();
}

std::string ReadFile(const char* path) {
  std::ifstream in(path, std::ios::binary);
  return std::string((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
}

// "btime N" of /proc/stat: boot time in seconds since the Unix epoch.
std::optional<uint64_t> BootTime() {
  const std::string text = ReadFile("/proc/stat");
  const size_t at = text.find("\nbtime ");
  if (at == std::string::npos) return std::nullopt;
  const size_t begin = at + 7;
  const size_t end = text.find('\n', begin);
  uint64_t value = 0;
  if (!ParseU64(std::string_view(text).substr(begin, end - begin), &value)) return std::nullopt;
  return value;
}

std::optional<uint64_t> OpenFds() {
  DIR* dir = opendir("/proc/self/fd");
  if (dir == nullptr) return std::nullopt;
  uint64_t n = 0;
  while (const dirent* entry = readdir(dir)) {
    if (entry->d_name[0] != '.') ++n;
  }
  closedir(dir);
  return n > 0 ? n - 1 : 0;  // the descriptor opendir itself holds
}

}  // namespace

std::optional<ProcStat> ParseProcStat(std::string_view text) {
  const size_t close = text.rfind(')');
  if (close == std::string_view::npos) return std::nullopt;
  std::vector<std::string_view> fields;  // fields[0] is field 3 (state)
  size_t i = close + 1;
  while (i < text.size()) {
    while (i < text.size() && (text[i] == ' ' || text[i] == '\n')) ++i;
    const size_t begin = i;
    while (i < text.size() && text[i] != ' ' && text[i] != '\n') ++i;
    if (i > begin) fields.push_back(text.substr(begin, i - begin));
  }
  auto field = [&](size_t number, uint64_t* out) {
    return number - 3 < fields.size() && ParseU64(fields[number - 3], out);
  };
  ProcStat s;
  if (!field(14, &s.utime_ticks) || !field(15, &s.stime_ticks) || !field(22, &s.start_ticks) ||
      !field(23, &s.vsize_bytes) || !field(24, &s.rss_pages)) {
    return std::nullopt;
  }
  return s;
}

void RegisterProcessFamilies(MetricsRegistry& r) {
  r.RegisterFamily({"process_cpu_seconds_total", "User and system CPU time spent, in seconds.",
                    MetricType::kCounter});
  r.RegisterFamily(
      {"process_resident_memory_bytes", "Resident memory size in bytes.", MetricType::kGauge});
  r.RegisterFamily(
      {"process_virtual_memory_bytes", "Virtual memory size in bytes.", MetricType::kGauge});
  r.RegisterFamily({"process_start_time_seconds",
                    "Start time of the process since the Unix epoch, in seconds.",
                    MetricType::kGauge});
  r.RegisterFamily({"process_open_fds", "Open file descriptors.", MetricType::kGauge});
  r.RegisterFamily({"process_max_fds", "Limit on open file descriptors.", MetricType::kGauge});
}

void UpdateProcessMetrics(MetricsRegistry& r) {
  const long ticks = sysconf(_SC_CLK_TCK);
  const long page = sysconf(_SC_PAGESIZE);
  if (const auto stat = ParseProcStat(ReadFile("/proc/self/stat")); stat && ticks > 0) {
    const double hz = static_cast<double>(ticks);
    r.Set("process_cpu_seconds_total", {},
          static_cast<double>(stat->utime_ticks + stat->stime_ticks) / hz);
    r.Set("process_virtual_memory_bytes", {}, static_cast<double>(stat->vsize_bytes));
    if (page > 0) {
      r.Set("process_resident_memory_bytes", {},
            static_cast<double>(stat->rss_pages) * static_cast<double>(page));
    }
    if (const auto boot = BootTime()) {
      r.Set("process_start_time_seconds", {},
            static_cast<double>(*boot) + static_cast<double>(stat->start_ticks) / hz);
    }
  }
  if (const auto fds = OpenFds()) r.Set("process_open_fds", {}, static_cast<double>(*fds));
  rlimit limit{};
  if (getrlimit(RLIMIT_NOFILE, &limit) == 0 && limit.rlim_cur != RLIM_INFINITY) {
    r.Set("process_max_fds", {}, static_cast<double>(limit.rlim_cur));
  }
}

}  // namespace vipcast::prod
