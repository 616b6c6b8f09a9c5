#include "engine/l2/metric_throttle.h"

#include <gtest/gtest.h>

namespace vipcast::l2 {
namespace {

using core::Duration;
using core::TimePoint;

const TimePoint kT0 = TimePoint::Epoch() + Duration::Seconds(50);
Duration Ms(int64_t ms) { return Duration::Milliseconds(ms); }

TEST(MetricThrottle, FirstChangeIsReportedAtOnceLaterOnesFolded) {
  MetricThrottle t(Duration::Seconds(1));
  EXPECT_TRUE(t.Changed(kT0, 7));
  EXPECT_EQ(t.NextDeadline(), TimePoint::Never());
  EXPECT_FALSE(t.Changed(kT0 + Ms(100), 7));
  EXPECT_FALSE(t.Changed(kT0 + Ms(900), 7));
  EXPECT_EQ(t.NextDeadline(), kT0 + Ms(1000));
  EXPECT_TRUE(t.TakeDue(kT0 + Ms(999)).empty());
  EXPECT_EQ(t.TakeDue(kT0 + Ms(1000)), std::vector<uint32_t>{7});
  EXPECT_EQ(t.NextDeadline(), TimePoint::Never());
  // Reported at 1.0 s: a change at 1.5 s waits until 2.0 s.
  EXPECT_FALSE(t.Changed(kT0 + Ms(1500), 7));
  EXPECT_EQ(t.NextDeadline(), kT0 + Ms(2000));
  // A quiet key is reported at once again.
  EXPECT_TRUE(t.Changed(kT0 + Ms(5000), 3));
}

TEST(MetricThrottle, KeysAreIndependentAndDueInTimeThenKeyOrder) {
  MetricThrottle t(Duration::Seconds(1));
  EXPECT_TRUE(t.Changed(kT0, 2));
  EXPECT_TRUE(t.Changed(kT0, 1));
  EXPECT_TRUE(t.Changed(kT0 + Ms(10), 0));
  EXPECT_FALSE(t.Changed(kT0 + Ms(20), 2));
  EXPECT_FALSE(t.Changed(kT0 + Ms(20), 1));
  EXPECT_FALSE(t.Changed(kT0 + Ms(20), 0));
  EXPECT_EQ(t.TakeDue(kT0 + Ms(5000)), (std::vector<uint32_t>{1, 2, 0}));
}

TEST(MetricThrottle, ZeroIntervalReportsEverything) {
  MetricThrottle t(Duration::Zero());
  for (int i = 0; i < 5; ++i) EXPECT_TRUE(t.Changed(kT0, 0));
  EXPECT_EQ(t.NextDeadline(), TimePoint::Never());
}

}  // namespace
}  // namespace vipcast::l2
