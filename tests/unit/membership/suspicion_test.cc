// Lifeguard's suspicion timeout and confirmation counting.
#include "engine/membership/suspicion.h"

#include <gtest/gtest.h>

namespace vipcast::membership {
namespace {

using core::Duration;
using core::TimePoint;

core::NodeName Name(const char* s) { return core::NodeName::Parse(s).value(); }

TEST(MembershipSuspicion, TimeoutDecaysLogarithmically) {
  const Duration min = Duration::Seconds(2);
  const Duration max = Duration::Seconds(30);
  // max - (max - min) * log(C + 1) / log(K + 1), floored to milliseconds,
  // with K = 3: 30 s, 16 s, 7.81 s, 2 s.
  EXPECT_EQ(Suspicion::Timeout(0, 3, min, max), Duration::Seconds(30));
  EXPECT_EQ(Suspicion::Timeout(1, 3, min, max), Duration::Seconds(16));
  EXPECT_EQ(Suspicion::Timeout(2, 3, min, max), Duration::Milliseconds(7810));
  EXPECT_EQ(Suspicion::Timeout(3, 3, min, max), Duration::Seconds(2));
  EXPECT_EQ(Suspicion::Timeout(4, 3, min, max), Duration::Seconds(2));  // clamped
  EXPECT_EQ(Suspicion::Timeout(0, 0, min, max), min);                   // no confirmations expected
}

TEST(MembershipSuspicion, ConfirmationsAreDistinctAndCapped) {
  const TimePoint start = TimePoint::Epoch() + Duration::Seconds(10);
  Suspicion s(Name("a"), 2, Duration::Seconds(1), Duration::Seconds(5), start);
  EXPECT_EQ(s.Deadline(), start + Duration::Seconds(5));
  EXPECT_FALSE(s.Confirm(Name("a")));  // the originator does not count
  EXPECT_TRUE(s.Confirm(Name("b")));
  EXPECT_FALSE(s.Confirm(Name("b")));  // once per member
  EXPECT_LT(s.Deadline(), start + Duration::Seconds(5));
  EXPECT_TRUE(s.Confirm(Name("c")));
  EXPECT_EQ(s.Deadline(), start + Duration::Seconds(1));
  EXPECT_FALSE(s.Confirm(Name("d")));  // K reached
  EXPECT_EQ(s.confirmations(), 2);
}

}  // namespace
}  // namespace vipcast::membership
