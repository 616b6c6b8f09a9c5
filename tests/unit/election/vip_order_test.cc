#include "engine/election/vip_order.h"

#include <gtest/gtest.h>

namespace vipcast::election {
namespace {

// Five nodes in order 0..4 (ids equal positions), with liveness bits.
class VipOrderTest : public ::testing::Test {
 protected:
  void Assign(std::vector<uint8_t> bits) {
    live = std::move(bits);
    std::vector<OrderEntry> entries;
    for (NodeId id = 0; id < live.size(); ++id) entries.push_back({id, id});
    order.Assign(entries, live);
  }
  void Up(NodeId id) {
    live[id] = 1;
    order.MemberUp(id);
  }
  void Down(NodeId id) {
    live[id] = 0;
    order.MemberDown(id, live);
  }
  std::vector<uint8_t> live;
  VipOrder order;
};

TEST_F(VipOrderTest, AssignFindsTheFirstTwoLive) {
  Assign({0, 1, 0, 1, 1});
  EXPECT_EQ(order.Winner(), 1u);
  EXPECT_EQ(order.NextInLine(), 3u);
  Assign({0, 0, 0, 0, 1});
  EXPECT_EQ(order.Winner(), 4u);
  EXPECT_FALSE(order.NextInLine());
  Assign({0, 0, 0});
  EXPECT_FALSE(order.Winner());
}

TEST_F(VipOrderTest, UpBeforeTheWinnerTakesOver) {
  Assign({0, 0, 1, 1, 1});
  Up(0);
  EXPECT_EQ(order.Winner(), 0u);
  EXPECT_EQ(order.NextInLine(), 2u);
  Up(1);
  EXPECT_EQ(order.Winner(), 0u);
  EXPECT_EQ(order.NextInLine(), 1u);
}

TEST_F(VipOrderTest, UpIntoAnEmptyOrder) {
  Assign({0, 0, 0});
  Up(2);
  EXPECT_EQ(order.Winner(), 2u);
  EXPECT_FALSE(order.NextInLine());
  Up(1);
  EXPECT_EQ(order.Winner(), 1u);
  EXPECT_EQ(order.NextInLine(), 2u);
}

TEST_F(VipOrderTest, DownOfWinnerPromotesNextAndScansForANewNext) {
  Assign({1, 1, 0, 0, 1});
  Down(0);
  EXPECT_EQ(order.Winner(), 1u);
  EXPECT_EQ(order.NextInLine(), 4u);
  Down(4);
  EXPECT_EQ(order.Winner(), 1u);
  EXPECT_FALSE(order.NextInLine());
  Down(1);
  EXPECT_FALSE(order.Winner());
}

TEST_F(VipOrderTest, DownBehindTheNextChangesNothing) {
  Assign({1, 1, 1, 1, 1});
  Down(3);
  EXPECT_EQ(order.Winner(), 0u);
  EXPECT_EQ(order.NextInLine(), 1u);
}

TEST_F(VipOrderTest, InsertAndEraseKeepTheOrder) {
  Assign({1, 1, 1});
  order.Erase(1);
  order.Insert({7, 7},
               [](const OrderEntry& a, const OrderEntry& b) { return a.prefix < b.prefix; });
  live.resize(8, 1);
  order.RecomputePositions(live);
  ASSERT_EQ(order.entries().size(), 3u);
  EXPECT_EQ(order.entries()[2].node, 7u);
  EXPECT_EQ(order.NextInLine(), 2u);
}

}  // namespace
}  // namespace vipcast::election
