#include "engine/core/rng.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <array>
#include <numeric>
#include <set>
#include <vector>

namespace vipcast::core {
namespace {

std::vector<uint64_t> Draw(Rng& rng, size_t n) {
  std::vector<uint64_t> out(n);
  for (auto& v : out) v = rng.Next();
  return out;
}

// Reference values from an independent implementation of xoshiro256** seeded
// through splitmix64 (Vigna's reference code), so a change of algorithm or
// seeding, which would silently change every recorded simulation, fails here.
TEST(RngTest, MatchesReferenceXoshiro256StarStar) {
  Rng zero(0);
  EXPECT_EQ(Draw(zero, 4), (std::vector<uint64_t>{0x99ec5f36cb75f2b4, 0xbf6e1f784956452a,
                                                  0x1a5f849d4933e6e0, 0x6aa594f1262d2d2c}));
  Rng forty_two(42);
  EXPECT_EQ(Draw(forty_two, 4), (std::vector<uint64_t>{0x15780b2e0c2ec716, 0x6104d9866d113a7e,
                                                       0xae17533239e499a1, 0xecb8ad4703b360a1}));
}

TEST(RngTest, SameSeedSameSequence) {
  Rng a(12345), b(12345);
  EXPECT_EQ(Draw(a, 1000), Draw(b, 1000));
  Rng c(12345), d(12345);
  for (int i = 0; i < 1000; ++i) {
    ASSERT_EQ(c.Uniform(1000), d.Uniform(1000));
    ASSERT_EQ(c.UniformDouble(), d.UniformDouble());
    ASSERT_EQ(c.UniformInRange(-5, 5), d.UniformInRange(-5, 5));
  }
}

TEST(RngTest, DifferentSeedsDiffer) {
  Rng a(1), b(2);
  EXPECT_NE(Draw(a, 16), Draw(b, 16));
}

TEST(RngTest, ForkIsDeterministicAndIndependent) {
  const Rng parent(7);
  Rng f1 = parent.Fork(1);
  Rng f1_again = parent.Fork(1);
  Rng f2 = parent.Fork(2);
  auto s1 = Draw(f1, 64);
  EXPECT_EQ(s1, Draw(f1_again, 64)) << "same stream, same sequence";
  auto s2 = Draw(f2, 64);
  EXPECT_NE(s1, s2) << "different streams differ";
  Rng parent_copy(7);
  auto parent_seq = Draw(parent_copy, 64);
  EXPECT_NE(s1, parent_seq) << "a fork does not replay its parent";
  // No shared values at all between the streams (64-bit collisions would be
  // astronomically unlikely for independent sequences).
  std::set<uint64_t> seen(s1.begin(), s1.end());
  for (uint64_t v : s2) EXPECT_EQ(seen.count(v), 0u);
  for (uint64_t v : parent_seq) EXPECT_EQ(seen.count(v), 0u);
}

TEST(RngTest, ForkDoesNotDependOnOrDisturbTheParentsDraws) {
  Rng a(99), b(99);
  Rng fork_before = a.Fork(5);
  Draw(a, 10);
  Rng fork_after = a.Fork(5);
  EXPECT_EQ(Draw(fork_before, 8), Draw(fork_after, 8))
      << "derived from the seed, so components can be forked in any order";
  Draw(b, 10);
  EXPECT_EQ(a.Next(), b.Next()) << "forking does not advance the parent";
}

TEST(RngTest, ForksOfDifferentSeedsDiffer) {
  Rng a(1), b(2);
  Rng fa = a.Fork(3), fb = b.Fork(3);
  EXPECT_NE(Draw(fa, 8), Draw(fb, 8));
}

TEST(RngTest, UniformStaysWithinBounds) {
  Rng rng(3);
  for (uint64_t bound : {uint64_t{1}, uint64_t{2}, uint64_t{3}, uint64_t{7}, uint64_t{1000},
                         (uint64_t{1} << 63) + 1, ~uint64_t{0}}) {
    for (int i = 0; i < 2000; ++i) ASSERT_LT(rng.Uniform(bound), bound) << bound;
  }
  EXPECT_EQ(rng.Uniform(1), 0u);
  EXPECT_EQ(rng.Uniform(0), 0u) << "degenerate bound yields 0 rather than dividing by zero";
}

TEST(RngTest, UniformHitsEveryValueRoughlyEvenly) {
  Rng rng(11);
  constexpr int kBuckets = 10;
  constexpr int kDraws = 100000;
  std::array<int, kBuckets> counts{};
  for (int i = 0; i < kDraws; ++i) ++counts[rng.Uniform(kBuckets)];
  for (int c : counts) {
    // Expected 10000 each; 5 standard deviations is about +-475.
    EXPECT_GT(c, 9400);
    EXPECT_LT(c, 10600);
  }
}

TEST(RngTest, UniformInRangeIsInclusive) {
  Rng rng(5);
  std::set<int64_t> seen;
  for (int i = 0; i < 5000; ++i) {
    int64_t v = rng.UniformInRange(-3, 3);
    ASSERT_GE(v, -3);
    ASSERT_LE(v, 3);
    seen.insert(v);
  }
  EXPECT_EQ(seen.size(), 7u) << "both ends are reachable";
  EXPECT_EQ(rng.UniformInRange(4, 4), 4);
  EXPECT_EQ(rng.UniformInRange(9, 2), 9) << "an empty range yields lo";
  // The full int64 range must not overflow.
  for (int i = 0; i < 100; ++i) {
    rng.UniformInRange(std::numeric_limits<int64_t>::min(), std::numeric_limits<int64_t>::max());
  }
  int64_t top = std::numeric_limits<int64_t>::max();
  for (int i = 0; i < 100; ++i) ASSERT_GE(rng.UniformInRange(top - 1, top), top - 1);
}

TEST(RngTest, UniformDoubleIsInUnitInterval) {
  Rng rng(8);
  double sum = 0;
  constexpr int kDraws = 100000;
  for (int i = 0; i < kDraws; ++i) {
    double v = rng.UniformDouble();
    ASSERT_GE(v, 0.0);
    ASSERT_LT(v, 1.0);
    sum += v;
  }
  EXPECT_NEAR(sum / kDraws, 0.5, 0.01);
}

TEST(RngTest, BernoulliExtremesAndRate) {
  Rng rng(9);
  int hits = 0;
  for (int i = 0; i < 10000; ++i) {
    ASSERT_FALSE(rng.Bernoulli(0.0));
    ASSERT_TRUE(rng.Bernoulli(1.0));
    hits += rng.Bernoulli(0.25) ? 1 : 0;
  }
  EXPECT_NEAR(hits / 10000.0, 0.25, 0.025);
}

TEST(RngTest, WorksWithStdShuffle) {
  std::vector<int> a(50), b(50);
  std::iota(a.begin(), a.end(), 0);
  std::iota(b.begin(), b.end(), 0);
  Rng r1(4), r2(4);
  std::shuffle(a.begin(), a.end(), r1);
  std::shuffle(b.begin(), b.end(), r2);
  EXPECT_EQ(a, b);
  std::vector<int> sorted(50);
  std::iota(sorted.begin(), sorted.end(), 0);
  EXPECT_NE(a, sorted);
}

}  // namespace
}  // namespace vipcast::core
