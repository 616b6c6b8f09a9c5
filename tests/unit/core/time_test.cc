#include "engine/core/time.h"

#include <gtest/gtest.h>

#include <limits>
#include <string>
#include <vector>

namespace vipcast::core {
namespace {

constexpr int64_t kSec = 1000 * 1000 * 1000;

TEST(DurationTest, ConstructorsAndAccessorsAgree) {
  EXPECT_EQ(Duration::Nanoseconds(1500).nanoseconds(), 1500);
  EXPECT_EQ(Duration::Microseconds(3).nanoseconds(), 3000);
  EXPECT_EQ(Duration::Milliseconds(3).nanoseconds(), 3 * 1000 * 1000);
  EXPECT_EQ(Duration::Seconds(3).nanoseconds(), 3 * kSec);
  EXPECT_EQ(Duration::Minutes(2), Duration::Seconds(120));
  EXPECT_EQ(Duration::Zero().nanoseconds(), 0);
  EXPECT_EQ(Duration().nanoseconds(), 0);
  Duration d = Duration::Milliseconds(1500);
  EXPECT_EQ(d.seconds(), 1) << "truncates";
  EXPECT_EQ(d.milliseconds(), 1500);
  EXPECT_EQ(d.microseconds(), 1500 * 1000);
  EXPECT_DOUBLE_EQ(d.ToSecondsDouble(), 1.5);
  EXPECT_TRUE(Duration::Infinite().IsInfinite());
  EXPECT_FALSE(Duration::Seconds(1).IsInfinite());
}

TEST(DurationTest, Arithmetic) {
  Duration d = Duration::Seconds(1) + Duration::Milliseconds(500);
  EXPECT_EQ(d, Duration::Milliseconds(1500));
  EXPECT_EQ(d - Duration::Seconds(1), Duration::Milliseconds(500));
  EXPECT_EQ(d * 2, Duration::Seconds(3));
  EXPECT_EQ(d / 3, Duration::Milliseconds(500));
  d += Duration::Seconds(1);
  EXPECT_EQ(d, Duration::Milliseconds(2500));
  d -= Duration::Seconds(2);
  EXPECT_EQ(d, Duration::Milliseconds(500));
  EXPECT_LT(Duration::Milliseconds(999), Duration::Seconds(1));
  EXPECT_GT(Duration::Infinite(), Duration::Minutes(1000000));
}

TEST(DurationTest, ParsesGoDurationText) {
  struct Case {
    const char* text;
    int64_t ns;
  };
  for (const Case& c : std::vector<Case>{
           {"0", 0},
           {"+0", 0},
           {"0s", 0},
           {"0.0s", 0},
           {"1h2m3.5s", 3723 * kSec + kSec / 2},
           {"300ms", 300 * 1000 * 1000},
           {"1.5s", kSec + kSec / 2},
           {"90s", 90 * kSec},
           {"1m30s", 90 * kSec},
           {"250ms", 250 * 1000 * 1000},
           {"300us", 300 * 1000},
           {"300\xC2\xB5s", 300 * 1000},  // U+00B5 MICRO SIGN, as Go writes it
           {"300\xCE\xBCs", 300 * 1000},  // U+03BC GREEK SMALL LETTER MU
           {"1ns", 1},
           {"1.5h", 5400 * kSec},
           {"2h45m", (2 * 3600 + 45 * 60) * kSec},
           {"1h1h", 7200 * kSec},
           {"+5s", 5 * kSec},
           {".5s", kSec / 2},
           {"1.s", kSec},
           {"0.000000001s", 1},
           {"1.000000001s", kSec + 1},
           {"1.0000000001s", kSec},  // below a nanosecond: truncated, as Go does
           {"2562047h47m16.854775806s", std::numeric_limits<int64_t>::max() - 1},
           {"9223372036854775806ns", std::numeric_limits<int64_t>::max() - 1},
       }) {
    auto parsed = Duration::Parse(c.text);
    ASSERT_TRUE(parsed.ok()) << c.text << ": " << parsed.error();
    EXPECT_EQ(parsed->nanoseconds(), c.ns) << c.text;
  }
}

TEST(DurationTest, RejectsMalformedTextWithExactError) {
  struct Case {
    const char* text;
    const char* error;
  };
  for (const Case& c : std::vector<Case>{
           {"", "empty duration"},
           {"5", "missing unit in duration \"5\""},
           {"1.5", "missing unit in duration \"1.5\""},
           {"1s2", "missing unit in duration \"1s2\""},
           {"1x", "unknown unit \"x\" in duration \"1x\""},
           {"1S", "unknown unit \"S\" in duration \"1S\""},
           {"1 s", "unknown unit \" s\" in duration \"1 s\""},
           {"1sm", "unknown unit \"sm\" in duration \"1sm\""},
           {"1e3s", "unknown unit \"e\" in duration \"1e3s\""},
           {"-1s", "negative duration \"-1s\""},
           {"-0", "negative duration \"-0\""},
           {"s", "invalid duration \"s\""},
           {".", "invalid duration \".\""},
           {".s", "invalid duration \".s\""},
           {"+", "invalid duration \"+\""},
           {"1s.", "invalid duration \"1s.\""},
           {"2562047h47m16.854775807s", "duration out of range \"2562047h47m16.854775807s\""},
           {"9223372036854775807ns", "duration out of range \"9223372036854775807ns\""},
           {"9223372036854775808ns", "duration out of range \"9223372036854775808ns\""},
           {"3000000h", "duration out of range \"3000000h\""},
           {"99999999999999999999s", "duration out of range \"99999999999999999999s\""},
       }) {
    auto parsed = Duration::Parse(c.text);
    ASSERT_FALSE(parsed.ok()) << c.text << " parsed as " << parsed->nanoseconds();
    EXPECT_EQ(parsed.error(), c.error);
  }
}

TEST(DurationTest, FormatsLikeGo) {
  struct Case {
    Duration d;
    const char* text;
  };
  for (const Case& c : std::vector<Case>{
           {Duration::Zero(), "0s"},
           {Duration::Nanoseconds(1), "1ns"},
           {Duration::Nanoseconds(999), "999ns"},
           {Duration::Microseconds(1), "1us"},
           {Duration::Nanoseconds(1500), "1.5us"},
           {Duration::Milliseconds(1), "1ms"},
           {Duration::Microseconds(1500), "1.5ms"},
           {Duration::Milliseconds(250), "250ms"},
           {Duration::Milliseconds(300), "300ms"},
           {Duration::Nanoseconds(kSec - 1), "999.999999ms"},
           {Duration::Seconds(1), "1s"},
           {Duration::Milliseconds(1500), "1.5s"},
           {Duration::Milliseconds(59999), "59.999s"},
           {Duration::Seconds(60), "1m0s"},
           {Duration::Seconds(90), "1m30s"},
           {Duration::Seconds(3600), "1h0m0s"},
           {Duration::Seconds(3723) + Duration::Milliseconds(500), "1h2m3.5s"},
           {Duration::Seconds(3600) + Duration::Nanoseconds(1), "1h0m0.000000001s"},
           {Duration::Seconds(100 * 3600), "100h0m0s"},
           {Duration::Milliseconds(-1500), "-1.5s"},
           {Duration::Nanoseconds(-1), "-1ns"},
           {Duration::Nanoseconds(std::numeric_limits<int64_t>::max() - 1),
            "2562047h47m16.854775806s"},
           {Duration::Nanoseconds(std::numeric_limits<int64_t>::min()),
            "-2562047h47m16.854775808s"},
           {Duration::Infinite(), "inf"},
       }) {
    EXPECT_EQ(c.d.ToString(), c.text) << c.d.nanoseconds();
  }
}

TEST(DurationTest, FormatParsesBack) {
  for (int64_t ns :
       {int64_t{0}, int64_t{1}, int64_t{999}, int64_t{1000}, int64_t{1001}, int64_t{123456789},
        kSec, 61 * kSec + 1, 3723 * kSec + kSec / 2, std::numeric_limits<int64_t>::max() - 1}) {
    Duration d = Duration::Nanoseconds(ns);
    auto parsed = Duration::Parse(d.ToString());
    ASSERT_TRUE(parsed.ok()) << d.ToString() << ": " << parsed.error();
    EXPECT_EQ(*parsed, d) << d.ToString();
  }
}

TEST(TimePointTest, ArithmeticAndNever) {
  TimePoint t = TimePoint::Epoch() + Duration::Seconds(10);
  EXPECT_EQ(t.nanoseconds(), 10 * kSec);
  EXPECT_EQ(t.SinceEpoch(), Duration::Seconds(10));
  EXPECT_EQ(t - Duration::Seconds(4), TimePoint::FromNanoseconds(6 * kSec));
  EXPECT_EQ(t - TimePoint::FromNanoseconds(4 * kSec), Duration::Seconds(6));
  t += Duration::Milliseconds(250);
  EXPECT_EQ(t, TimePoint::FromNanoseconds(10 * kSec + kSec / 4));
  EXPECT_EQ(TimePoint(), TimePoint::Epoch());
  EXPECT_LT(t, TimePoint::Never());

  // Never absorbs: a deadline that never comes stays never.
  EXPECT_TRUE(TimePoint::Never().IsNever());
  EXPECT_TRUE((TimePoint::Never() + Duration::Seconds(1)).IsNever());
  EXPECT_TRUE((t + Duration::Infinite()).IsNever());
  TimePoint u = t;
  u += Duration::Infinite();
  EXPECT_TRUE(u.IsNever());
  EXPECT_FALSE(t.IsNever());
}

TEST(TimePointTest, FormatsSecondsSinceEpoch) {
  EXPECT_EQ(TimePoint::Epoch().ToString(), "0.000000000s");
  EXPECT_EQ(TimePoint::FromNanoseconds(12 * kSec + kSec / 4).ToString(), "12.250000000s");
  EXPECT_EQ(TimePoint::FromNanoseconds(1).ToString(), "0.000000001s");
  EXPECT_EQ(TimePoint::FromNanoseconds(-kSec / 4).ToString(), "-0.250000000s");
  EXPECT_EQ(TimePoint::FromNanoseconds(-3 * kSec / 2).ToString(), "-1.500000000s");
  EXPECT_EQ(TimePoint::Never().ToString(), "never");
}

}  // namespace
}  // namespace vipcast::core
