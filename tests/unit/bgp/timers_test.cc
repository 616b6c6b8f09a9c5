#include <gtest/gtest.h>

#include "engine/bgp/backoff.h"
#include "engine/bgp/tx_queue.h"

namespace vipcast::bgp {
namespace {

TEST(Backoff, DoublesFromOneSecondToTwoMinutes) {
  Backoff b;
  std::vector<int64_t> got;
  for (int i = 0; i < 10; ++i) got.push_back(b.Next().seconds());
  EXPECT_EQ(got, (std::vector<int64_t>{1, 2, 4, 8, 16, 32, 64, 120, 120, 120}));
  b.Reset();
  EXPECT_EQ(b.Next().seconds(), 1);
}

TEST(Backoff, Configurable) {
  Backoff b(core::Duration::Milliseconds(500), core::Duration::Seconds(3));
  EXPECT_EQ(b.Next().milliseconds(), 500);
  EXPECT_EQ(b.Next().milliseconds(), 1000);
  EXPECT_EQ(b.Next().milliseconds(), 2000);
  EXPECT_EQ(b.Next().milliseconds(), 3000);
  EXPECT_EQ(b.Next().milliseconds(), 3000);
}

TEST(TxQueue, NotificationFirstAndOpenNeverOvertakenByKeepalive) {
  TxQueue q;
  EXPECT_TRUE(q.Push(TxPriority::kOpen, {1}));
  EXPECT_TRUE(q.Push(TxPriority::kKeepalive, {2}));
  EXPECT_FALSE(q.Push(TxPriority::kKeepalive, {3}));  // bounded: one per kind
  EXPECT_TRUE(q.Push(TxPriority::kNotification, {4}));
  std::vector<uint8_t> order;
  while (!q.empty()) {
    order.push_back((*q.Front())[0]);
    q.Pop();
  }
  // RFC 4271 8.2.2: the peer in OpenSent would take a KEEPALIVE ahead of
  // our OPEN as an FSM error (found by bgp_session_fuzzer).
  EXPECT_EQ(order, (std::vector<uint8_t>{4, 1, 2}));
}

TEST(TxQueue, KeepaliveGoesBeforeRouteRefresh) {
  TxQueue q;
  EXPECT_TRUE(q.Push(TxPriority::kRefresh, {1}));
  EXPECT_TRUE(q.Push(TxPriority::kKeepalive, {2}));
  EXPECT_EQ((*q.Front())[0], 2);
  q.Pop();
  EXPECT_EQ((*q.Front())[0], 1);
}

}  // namespace
}  // namespace vipcast::bgp
