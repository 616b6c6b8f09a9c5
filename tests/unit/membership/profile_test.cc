// The timing profiles and the quantities derived from them.
#include "engine/membership/profile.h"

#include <gtest/gtest.h>

#include "engine/membership/suspicion.h"

namespace vipcast::membership {
namespace {

using core::Duration;

TEST(MembershipProfile, MetallbMatchesMemberlistDefaultLanConfig) {
  const TimingProfile p = MetallbProfile();
  EXPECT_EQ(p.probe_interval, Duration::Seconds(1));
  EXPECT_EQ(p.probe_timeout, Duration::Milliseconds(500));
  EXPECT_EQ(p.indirect_checks, 3);
  EXPECT_EQ(p.gossip_interval, Duration::Milliseconds(200));
  EXPECT_EQ(p.gossip_nodes, 3);
  EXPECT_EQ(p.push_pull_interval, Duration::Seconds(30));
  EXPECT_EQ(p.retransmit_mult, 4);
  // SuspicionMult 4 * max(1, log10 N) * ProbeInterval; max = 6 * min.
  EXPECT_EQ(SuspicionMin(p, 5), Duration::Seconds(4));
  EXPECT_EQ(SuspicionMax(p, 5), Duration::Seconds(24));
  EXPECT_EQ(SuspicionMin(p, 100), Duration::Seconds(8));
  EXPECT_EQ(SuspicionMin(p, 1000), Duration::Seconds(12));
  EXPECT_EQ(SuspicionMax(p, 1000), Duration::Seconds(72));
  // k = SuspicionMult - 2, or 0 when N - 2 < k.
  EXPECT_EQ(SuspicionConfirmationsNeeded(p, 10), 2);
  EXPECT_EQ(SuspicionConfirmationsNeeded(p, 3), 0);
  EXPECT_TRUE(Validate(p).ok());
}

TEST(MembershipProfile, RetransmitLimitIsMemberlists) {
  const TimingProfile p = MetallbProfile();
  EXPECT_EQ(RetransmitLimit(p, 1), 4);   // ceil(log10 2) = 1
  EXPECT_EQ(RetransmitLimit(p, 9), 4);   // ceil(log10 10) = 1
  EXPECT_EQ(RetransmitLimit(p, 10), 8);  // ceil(log10 11) = 2
  EXPECT_EQ(RetransmitLimit(p, 1000), 16);
}

TEST(MembershipProfile, DefaultDetectsAWatchedCrashUnder500Ms) {
  const TimingProfile p = DefaultProfile();
  EXPECT_TRUE(Validate(p).ok());
  for (size_t n : {2u, 5u, 10u, 100u, 1000u, 4096u}) {
    EXPECT_LT(WatchedDetectionBound(p, n), Duration::Milliseconds(500)) << n;
  }
  EXPECT_EQ(WatchedDetectionBound(p, 10), Duration::Milliseconds(450));
  // Lifeguard decay: 250 ms with no confirmation, 200 ms with K = 2.
  const int k = SuspicionConfirmationsNeeded(p, 10);
  EXPECT_EQ(Suspicion::Timeout(0, k, SuspicionMin(p, 10), SuspicionMax(p, 10)),
            Duration::Milliseconds(250));
  EXPECT_EQ(Suspicion::Timeout(2, k, SuspicionMin(p, 10), SuspicionMax(p, 10)),
            Duration::Milliseconds(200));
}

TEST(MembershipProfile, LookupAndValidation) {
  EXPECT_EQ(ProfileByName("default")->name, "default");
  EXPECT_EQ(ProfileByName("metallb")->name, "metallb");
  EXPECT_FALSE(ProfileByName("fast").ok());
  TimingProfile bad = DefaultProfile();
  bad.probe_timeout = bad.probe_interval;
  EXPECT_FALSE(Validate(bad).ok());
  bad = DefaultProfile();
  bad.suspicion_max = bad.suspicion_min - Duration::Milliseconds(1);
  EXPECT_FALSE(Validate(bad).ok());
  bad = DefaultProfile();
  bad.gossip_nodes = 0;
  EXPECT_FALSE(Validate(bad).ok());
}

}  // namespace
}  // namespace vipcast::membership
