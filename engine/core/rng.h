// Seedable pseudo-random generator (xoshiro256**, seeded through splitmix64).
// The runtime owns the seed; every random choice in the engine draws from an
// Rng& it is given, so a seed reproduces a run exactly.
#pragma once

#include <array>
#include <cstdint>

namespace vipcast::core {

class Rng {
 public:
  explicit Rng(uint64_t seed);

  uint64_t Next();
  // Uniform in [0, bound); bound > 0. Unbiased (Lemire's method with rejection).
  uint64_t Uniform(uint64_t bound);
  // Uniform in [lo, hi], inclusive.
  int64_t UniformInRange(int64_t lo, int64_t hi);
  // Uniform in [0, 1).
  double UniformDouble();
  bool Bernoulli(double p) { return UniformDouble() < p; }
  // An independent generator derived from this one's seed and `stream`, so
  // components can be given their own sequence without sharing draws.
  Rng Fork(uint64_t stream) const;

  // Satisfies UniformRandomBitGenerator, for std::shuffle.
  using result_type = uint64_t;
  static constexpr uint64_t min() { return 0; }
  static constexpr uint64_t max() { return ~uint64_t{0}; }
  uint64_t operator()() { return Next(); }

 private:
  uint64_t seed_;
  std::array<uint64_t, 4> s_{};
};

}  // namespace vipcast::core
