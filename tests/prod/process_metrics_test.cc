// process_* series: /proc/<pid>/stat parsing (odd command names, short or
// garbled lines) and the live values of this test process.
#include "prod/common/process_metrics.h"

#include <gtest/gtest.h>

#include <string>

namespace vipcast::prod {
namespace {

// A line as proc(5) documents it; the command name holds spaces and ')'.
constexpr char kStat[] =
    "4242 (a) b (c)) S 1 4242 4242 0 -1 4194560 1000 0 0 0 150 25 0 0 20 0 3 0 98765 "
    "123456789 2048 18446744073709551615 1 1 0 0 0 0 0 0 0 0 0 0 17 1 0 0 0 0 0\n";

TEST(ProcessMetricsTest, ParsesProcStatFromTheLastParenthesis) {
  const auto s = ParseProcStat(kStat);
  ASSERT_TRUE(s.has_value());
  EXPECT_EQ(s->utime_ticks, 150u);
  EXPECT_EQ(s->stime_ticks, 25u);
  EXPECT_EQ(s->start_ticks, 98765u);
  EXPECT_EQ(s->vsize_bytes, 123456789u);
  EXPECT_EQ(s->rss_pages, 2048u);
}

TEST(ProcessMetricsTest, RefusesShortOrGarbledLines) {
  EXPECT_FALSE(ParseProcStat("").has_value());
  EXPECT_FALSE(ParseProcStat("4242 (no close paren S 1 2 3").has_value());
  EXPECT_FALSE(ParseProcStat("4242 (x) S 1 4242 4242 0 -1").has_value());
  std::string bad = kStat;
  bad.replace(bad.find(" 150 "), 5, " 1x0 ");
  EXPECT_FALSE(ParseProcStat(bad).has_value());
}

TEST(ProcessMetricsTest, ReadsThisProcess) {
  MetricsRegistry r([](const std::string& name) { ADD_FAILURE() << "unknown " << name; });
  RegisterProcessFamilies(r);
  UpdateProcessMetrics(r);
  EXPECT_GT(r.Value("process_resident_memory_bytes", {}).value_or(0), 0);
  EXPECT_GT(r.Value("process_virtual_memory_bytes", {}).value_or(0), 0);
  EXPECT_GE(r.Value("process_cpu_seconds_total", {}).value_or(-1), 0);
  // gtest itself holds stdin, stdout and stderr open.
  EXPECT_GE(r.Value("process_open_fds", {}).value_or(0), 3);
  // Started after 2020-01-01 (the clock of any machine running this).
  EXPECT_GT(r.Value("process_start_time_seconds", {}).value_or(0), 1577836800.0);
  const std::string text = r.Render();
  EXPECT_NE(text.find("# TYPE process_cpu_seconds_total counter\n"), std::string::npos) << text;
}

}  // namespace
}  // namespace vipcast::prod
