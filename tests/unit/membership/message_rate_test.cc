// Per-node message rates must not grow with the cluster: SWIM probing is one
// probe per node per period, watching adds one probe per watched member, and
// push-pull pages are one datagram each way per interval. Prints the numbers
// for 10 and 100 nodes over 20 simulated seconds; the 60-second, 1000-node
// run is the membership_message_rates tool (too slow for every ctest run
// under sanitizers).
#include <gtest/gtest.h>

#include <cstdio>

#include "tests/unit/membership/message_rates.h"

namespace vipcast::membership::testing {
namespace {

TEST(MembershipMessageRates, PerNodeRateIsIndependentOfClusterSize) {
  for (const TimingProfile& p : {DefaultProfile(), MetallbProfile()}) {
    RateOptions o;
    o.profile = p;
    o.window = core::Duration::Seconds(20);  // the tool measures 60 s
    o.nodes = 10;
    const RateResult small = MeasureMessageRates(o);
    o.nodes = 100;
    const RateResult large = MeasureMessageRates(o);
    std::printf("%s profile\n  %s\n  %s\n", p.name.c_str(), small.ToString().c_str(),
                large.ToString().c_str());
    ASSERT_TRUE(small.converged);
    ASSERT_TRUE(large.converged);
    // 10x the nodes, about the same per-node traffic (O(N) cluster-wide).
    EXPECT_LT(large.sent_per_node_per_s, small.sent_per_node_per_s * 1.5) << p.name;
    // Probing dominates: about (1 + watched) pings and as many acks per period.
    const double periods_per_s = 1.0 / p.probe_interval.ToSecondsDouble();
    EXPECT_LT(large.sent_per_node_per_s, periods_per_s * 8) << p.name;
  }
}

}  // namespace
}  // namespace vipcast::membership::testing
