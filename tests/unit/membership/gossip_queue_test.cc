// The bounded, transmit-limited gossip queue.
#include "engine/membership/gossip_queue.h"

#include <gtest/gtest.h>

#include <string>

namespace vipcast::membership {
namespace {

namespace wm = wire::membership;

wm::MemberUpdate Alive(const std::string& name, uint32_t inc = 0) {
  return wm::MemberUpdate{core::NodeName::Parse(name).value(),
                          wm::MemberStatus::kAlive,
                          inc,
                          core::Endpoint{core::Ipv4Addr::FromOctets(10, 0, 0, 1), 7946},
                          {}};
}

std::vector<std::string> Names(const std::vector<wm::MemberUpdate>& v) {
  std::vector<std::string> out;
  for (const auto& u : v) out.push_back(u.node.str());
  return out;
}

TEST(MembershipGossipQueue, FewestTransmitsThenNewestFirst) {
  GossipQueue q(16);
  q.Push(Alive("a"));
  q.Push(Alive("b"));
  EXPECT_EQ(Names(q.Take(1000, 255, 3)), (std::vector<std::string>{"b", "a"}));
  q.Push(Alive("c"));
  // c has not been sent yet; a and b once each.
  EXPECT_EQ(Names(q.Take(1000, 1, 3)), (std::vector<std::string>{"c"}));
  EXPECT_EQ(Names(q.Take(1000, 255, 3)), (std::vector<std::string>{"c", "b", "a"}));
}

TEST(MembershipGossipQueue, RetiresAfterLimitAndReplacesPerNode) {
  GossipQueue q(16);
  q.Push(Alive("a", 1));
  q.Push(Alive("a", 2));  // replaces
  EXPECT_EQ(q.size(), 1u);
  EXPECT_EQ(q.Find(core::NodeName::Parse("a").value())->incarnation, 2u);
  EXPECT_EQ(q.Take(1000, 255, 2).size(), 1u);
  EXPECT_EQ(q.Take(1000, 255, 2).size(), 1u);
  EXPECT_TRUE(q.empty());
  EXPECT_TRUE(q.Take(1000, 255, 2).empty());
}

TEST(MembershipGossipQueue, RespectsBudgetSkipAndBound) {
  GossipQueue q(2);
  q.Push(Alive("a"));
  q.Push(Alive("b"));
  q.Push(Alive("c"));  // evicts the most transmitted, oldest: "a"
  EXPECT_EQ(q.size(), 2u);
  EXPECT_EQ(q.dropped(), 1u);
  const size_t one = wm::MemberUpdateSize(Alive("b"));
  EXPECT_EQ(Names(q.Take(one, 255, 10)), (std::vector<std::string>{"c"}));
  const core::NodeName c = core::NodeName::Parse("c").value();
  EXPECT_EQ(Names(q.Take(1000, 255, 10, &c)), (std::vector<std::string>{"b"}));
  EXPECT_TRUE(q.Take(one - 1, 255, 10).empty());
}

}  // namespace
}  // namespace vipcast::membership
