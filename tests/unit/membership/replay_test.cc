// The RFC 4303 3.4.3-style anti-replay window and the per-sender guard.
#include <gtest/gtest.h>

#include "engine/membership/replay_guard.h"
#include "engine/membership/replay_window.h"

namespace vipcast::membership {
namespace {

using Verdict = ReplayWindow::Verdict;

TEST(MembershipReplayWindow, AcceptsEachSequenceOnce) {
  ReplayWindow w;
  EXPECT_EQ(w.Check(0), Verdict::kTooOld);  // 0 is never valid
  for (uint64_t s : {1u, 2u, 5u, 3u}) {
    ASSERT_EQ(w.Check(s), Verdict::kNew) << s;
    w.Accept(s);
    EXPECT_EQ(w.Check(s), Verdict::kDuplicate) << s;
  }
  EXPECT_EQ(w.Check(4), Verdict::kNew);  // a gap inside the window
  EXPECT_EQ(w.highest(), 5u);
}

TEST(MembershipReplayWindow, SlidesAndForgetsBelowTheWindow) {
  ReplayWindow w;
  w.Accept(10);
  w.Accept(10 + ReplayWindow::kSize - 1);
  EXPECT_EQ(w.Check(10), Verdict::kDuplicate);  // still the window's last slot
  EXPECT_EQ(w.Check(11), Verdict::kNew);
  w.Accept(10 + ReplayWindow::kSize);
  EXPECT_EQ(w.Check(10), Verdict::kTooOld);
  EXPECT_EQ(w.Check(11), Verdict::kNew);
  // A jump far beyond the window clears it.
  w.Accept(1'000'000);
  EXPECT_EQ(w.Check(1'000'000 - ReplayWindow::kSize + 1), Verdict::kNew);
  EXPECT_EQ(w.Check(1'000'000 - ReplayWindow::kSize), Verdict::kTooOld);
}

TEST(MembershipReplayWindow, BitsSurviveShiftsAcrossWords) {
  ReplayWindow w;
  for (uint64_t s = 1; s <= 300; s += 3) w.Accept(s);
  for (uint64_t s = 300 - ReplayWindow::kSize + 1; s <= 300; ++s) {
    EXPECT_EQ(w.Check(s), (s - 1) % 3 == 0 ? Verdict::kDuplicate : Verdict::kNew) << s;
  }
}

core::NodeName Name(const char* s) { return core::NodeName::Parse(s).value(); }

TEST(MembershipReplayGuard, BootIdsOrderRestarts) {
  ReplayGuard g(8);
  const core::TimePoint t;
  EXPECT_EQ(g.CheckAndAccept(Name("a"), 5, 100, t), ReplayGuard::Verdict::kAccept);
  EXPECT_EQ(g.CheckAndAccept(Name("a"), 5, 100, t), ReplayGuard::Verdict::kDuplicate);
  // A restart (higher boot id) begins a fresh window.
  EXPECT_EQ(g.CheckAndAccept(Name("a"), 6, 1, t), ReplayGuard::Verdict::kAccept);
  // Recordings of the previous boot are refused from now on.
  EXPECT_EQ(g.CheckAndAccept(Name("a"), 5, 101, t), ReplayGuard::Verdict::kStaleBoot);
  // Other senders are independent.
  EXPECT_EQ(g.CheckAndAccept(Name("b"), 1, 100, t), ReplayGuard::Verdict::kAccept);
}

TEST(MembershipReplayGuard, BoundedByEvictingLeastRecent) {
  ReplayGuard g(2);
  auto at = [](int s) { return core::TimePoint::Epoch() + core::Duration::Seconds(s); };
  EXPECT_EQ(g.CheckAndAccept(Name("a"), 1, 1, at(1)), ReplayGuard::Verdict::kAccept);
  EXPECT_EQ(g.CheckAndAccept(Name("b"), 1, 1, at(2)), ReplayGuard::Verdict::kAccept);
  EXPECT_EQ(g.CheckAndAccept(Name("c"), 1, 1, at(3)), ReplayGuard::Verdict::kAccept);
  EXPECT_EQ(g.size(), 2u);
  // "a" was forgotten; "b" and "c" were not.
  EXPECT_EQ(g.CheckAndAccept(Name("b"), 1, 1, at(4)), ReplayGuard::Verdict::kDuplicate);
  EXPECT_EQ(g.CheckAndAccept(Name("c"), 1, 1, at(4)), ReplayGuard::Verdict::kDuplicate);
}

}  // namespace
}  // namespace vipcast::membership
