// VipIndex against std::map as a model, through random inserts and erases
// that force growth, probe runs that wrap around, and backward shifts.
#include "engine/l2/vip_index.h"

#include <gtest/gtest.h>

#include <map>

#include "engine/core/rng.h"

namespace vipcast::l2 {
namespace {

core::IpAddr Nth(uint64_t n) {
  if (n % 2 == 0) return core::Ipv4Addr(static_cast<uint32_t>(0x0a000000u + n));
  return core::IpAddr::FromUint128(core::IpFamily::kV6,
                                   (core::Uint128{0x20010db8} << 96) | core::Uint128{n});
}

TEST(VipIndex, EmptyFindsNothing) {
  VipIndex index;
  EXPECT_EQ(index.Find(Nth(1)), nullptr);
  EXPECT_FALSE(index.Erase(Nth(1)));
  EXPECT_EQ(index.size(), 0u);
}

TEST(VipIndex, IPv4AndIPv6WithTheSameLowBitsAreDistinct) {
  VipIndex index;
  index.Insert(core::IpAddr::Parse("0.0.0.1").value(), 1);
  index.Insert(core::IpAddr::Parse("::1").value(), 2);
  EXPECT_EQ(*index.Find(core::IpAddr::Parse("0.0.0.1").value()), 1u);
  EXPECT_EQ(*index.Find(core::IpAddr::Parse("::1").value()), 2u);
  index.Insert(core::IpAddr::Parse("::1").value(), 3);  // update
  EXPECT_EQ(*index.Find(core::IpAddr::Parse("::1").value()), 3u);
  EXPECT_EQ(index.size(), 2u);
}

TEST(VipIndex, MatchesAnOrderedMapUnderRandomChurn) {
  core::Rng rng(42);
  VipIndex index;
  std::map<core::IpAddr, uint32_t> model;
  for (int step = 0; step < 20000; ++step) {
    const core::IpAddr vip = Nth(rng.Uniform(600));
    if (rng.Bernoulli(0.55)) {
      const auto value = static_cast<uint32_t>(rng.Uniform(1000));
      index.Insert(vip, value);
      model[vip] = value;
    } else {
      EXPECT_EQ(index.Erase(vip), model.erase(vip) == 1);
    }
    ASSERT_EQ(index.size(), model.size());
    if (step % 97 == 0) {
      for (uint64_t n = 0; n < 600; ++n) {
        auto it = model.find(Nth(n));
        const uint32_t* found = index.Find(Nth(n));
        ASSERT_EQ(found != nullptr, it != model.end()) << n;
        if (found) EXPECT_EQ(*found, it->second);
      }
    }
  }
}

}  // namespace
}  // namespace vipcast::l2
