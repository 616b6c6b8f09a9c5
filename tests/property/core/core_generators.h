// rapidcheck generators and printers for engine/core value types, shared by
// every property suite that needs addresses, prefixes, ranges or durations.
// The generators favour the values where bugs live: zero runs and IPv4-mapped
// forms for IPv6 text, the ends of the address space, aligned boundaries for
// prefixes and ranges, and round units for durations.
#pragma once

#include <rapidcheck.h>

#include <cstdint>
#include <limits>
#include <ostream>
#include <vector>

#include "engine/core/ip.h"
#include "engine/core/mac.h"
#include "engine/core/time.h"

namespace vipcast::core {

// Counterexamples print as text rather than rapidcheck's "<\?>". Declared in
// vipcast::core so that rapidcheck finds them by argument-dependent lookup.
inline void showValue(const Ipv4Addr& a, std::ostream& os) { os << a.ToString(); }
inline void showValue(const Ipv6Addr& a, std::ostream& os) { os << a.ToString(); }
inline void showValue(const IpAddr& a, std::ostream& os) { os << a.ToString(); }
inline void showValue(const Prefix& p, std::ostream& os) { os << p.ToString(); }
inline void showValue(const IpRange& r, std::ostream& os) { os << r.ToString(); }
inline void showValue(const MacAddr& m, std::ostream& os) { os << m.ToString(); }
inline void showValue(const Duration& d, std::ostream& os) {
  os << d.ToString() << " (" << d.nanoseconds() << "ns)";
}

}  // namespace vipcast::core

namespace vipcast::core::testing {

inline Uint128 MaxValue(IpFamily family) {
  return family == IpFamily::kV4 ? Uint128{0xffffffffu} : ~Uint128{0};
}

// value + delta, clamped to the top of the family's space.
inline Uint128 SaturatingAdd(IpFamily family, Uint128 value, Uint128 delta) {
  Uint128 max = MaxValue(family);
  return delta > max - value ? max : value + delta;
}

// A 128-bit value built from two 64-bit halves (rapidcheck has no generator
// for unsigned __int128).
inline rc::Gen<Uint128> ArbitraryUint128() {
  return rc::gen::map(rc::gen::pair(rc::gen::arbitrary<uint64_t>(), rc::gen::arbitrary<uint64_t>()),
                      [](std::pair<uint64_t, uint64_t> halves) {
                        return (Uint128{halves.first} << 64) | halves.second;
                      });
}

// A block size 2^k - 1 (k in [0, bits]) plus a small offset in [-2, 2]: the
// deltas that put range ends just before, on and after aligned boundaries.
inline rc::Gen<Uint128> BoundaryDelta(int bits) {
  return rc::gen::map(rc::gen::pair(rc::gen::inRange(0, bits + 1), rc::gen::inRange(-2, 3)),
                      [bits](std::pair<int, int> p) {
                        Uint128 block = p.first >= 128 ? ~Uint128{0} : (Uint128{1} << p.first) - 1;
                        if (bits < 128) block &= (Uint128{1} << bits) - 1;
                        if (p.second < 0 && block < static_cast<Uint128>(-p.second)) return block;
                        return p.second < 0 ? block - static_cast<Uint128>(-p.second)
                                            : block + static_cast<Uint128>(p.second);
                      });
}

}  // namespace vipcast::core::testing

namespace rc {

template <>
struct Arbitrary<vipcast::core::Ipv4Addr> {
  static Gen<vipcast::core::Ipv4Addr> arbitrary() {
    using vipcast::core::Ipv4Addr;
    return gen::map(gen::weightedOneOf<uint32_t>({
                        {6, gen::arbitrary<uint32_t>()},
                        {2, gen::inRange<uint32_t>(0, 256)},
                        {2, gen::map(gen::inRange<uint32_t>(0, 256),
                                     [](uint32_t v) { return 0xffffffffu - v; })},
                    }),
                    [](uint32_t v) { return Ipv4Addr(v); });
  }
};

template <>
struct Arbitrary<vipcast::core::Ipv6Addr> {
  static Gen<vipcast::core::Ipv6Addr> arbitrary() {
    using vipcast::core::Ipv6Addr;
    // Zero-heavy groups exercise RFC 5952 run selection; 0xffff and a forced
    // ::ffff:0:0/96 prefix exercise the IPv4-mapped form.
    auto group = gen::weightedOneOf<uint16_t>({
        {4, gen::just<uint16_t>(0)},
        {1, gen::just<uint16_t>(0xffff)},
        {1, gen::inRange<uint16_t>(1, 16)},
        {4, gen::arbitrary<uint16_t>()},
    });
    auto groups = gen::container<std::vector<uint16_t>>(8, group);
    return gen::map(gen::pair(groups, gen::inRange(0, 8)),
                    [](std::pair<std::vector<uint16_t>, int> p) {
                      std::vector<uint16_t> g = p.first;
                      if (p.second == 0) {  // one time in eight: IPv4-mapped
                        for (int i = 0; i < 5; ++i) g[static_cast<size_t>(i)] = 0;
                        g[5] = 0xffff;
                      }
                      std::array<uint8_t, 16> bytes{};
                      for (size_t i = 0; i < 8; ++i) {
                        bytes[2 * i] = static_cast<uint8_t>(g[i] >> 8);
                        bytes[2 * i + 1] = static_cast<uint8_t>(g[i]);
                      }
                      return Ipv6Addr(bytes);
                    });
  }
};

template <>
struct Arbitrary<vipcast::core::IpAddr> {
  static Gen<vipcast::core::IpAddr> arbitrary() {
    using vipcast::core::IpAddr;
    return gen::oneOf(gen::cast<IpAddr>(gen::arbitrary<vipcast::core::Ipv4Addr>()),
                      gen::cast<IpAddr>(gen::arbitrary<vipcast::core::Ipv6Addr>()));
  }
};

template <>
struct Arbitrary<vipcast::core::Prefix> {
  static Gen<vipcast::core::Prefix> arbitrary() {
    using vipcast::core::IpAddr;
    using vipcast::core::Prefix;
    return gen::mapcat(gen::arbitrary<IpAddr>(), [](IpAddr address) {
      return gen::map(gen::inRange(0, address.BitLength() + 1),
                      [address](int length) { return Prefix::Make(address, length).value(); });
    });
  }
};

// Ranges whose ends sit near aligned boundaries as often as anywhere else.
template <>
struct Arbitrary<vipcast::core::IpRange> {
  static Gen<vipcast::core::IpRange> arbitrary() {
    using vipcast::core::IpAddr;
    using vipcast::core::IpRange;
    using vipcast::core::Uint128;
    namespace t = vipcast::core::testing;
    return gen::mapcat(gen::arbitrary<IpAddr>(), [](IpAddr start) {
      const int bits = start.BitLength();
      auto align = gen::inRange(0, bits + 1);  // clear this many low bits of start
      auto delta = gen::weightedOneOf<Uint128>({
          {3, gen::map(gen::inRange<uint32_t>(0, 300), [](uint32_t v) { return Uint128{v}; })},
          {3, t::BoundaryDelta(bits)},
          {2, t::ArbitraryUint128()},
      });
      return gen::map(gen::pair(align, delta), [start, bits](std::pair<int, Uint128> p) {
        Uint128 low_mask = p.first >= 128 ? ~Uint128{0} : (Uint128{1} << p.first) - 1;
        Uint128 first = start.ToUint128() & ~low_mask;
        Uint128 span = bits < 128 ? p.second & ((Uint128{1} << bits) - 1) : p.second;
        Uint128 last = t::SaturatingAdd(start.family(), first, span);
        return IpRange::Make(IpAddr::FromUint128(start.family(), first),
                             IpAddr::FromUint128(start.family(), last))
            .value();
      });
    });
  }
};

template <>
struct Arbitrary<vipcast::core::MacAddr> {
  static Gen<vipcast::core::MacAddr> arbitrary() {
    using vipcast::core::MacAddr;
    return gen::map(gen::container<std::vector<uint8_t>>(6, gen::arbitrary<uint8_t>()),
                    [](const std::vector<uint8_t>& b) {
                      return MacAddr({b[0], b[1], b[2], b[3], b[4], b[5]});
                    });
  }
};

}  // namespace rc

namespace vipcast::core::testing {

// Non-negative, finite durations: any nanosecond count, or a sum of whole
// hours, minutes, seconds and milliseconds as configurations write them.
inline rc::Gen<Duration> NonNegativeDuration() {
  constexpr int64_t kMax = std::numeric_limits<int64_t>::max();  // Infinite, excluded
  auto any = rc::gen::map(rc::gen::inRange<int64_t>(0, kMax),
                          [](int64_t ns) { return Duration::Nanoseconds(ns); });
  auto small = rc::gen::map(rc::gen::inRange<int64_t>(0, 2'000'000'000),
                            [](int64_t ns) { return Duration::Nanoseconds(ns); });
  auto round = rc::gen::map(
      rc::gen::tuple(rc::gen::inRange<int64_t>(0, 100000), rc::gen::inRange<int64_t>(0, 60),
                     rc::gen::inRange<int64_t>(0, 60), rc::gen::inRange<int64_t>(0, 1000)),
      [](std::tuple<int64_t, int64_t, int64_t, int64_t> t) {
        auto [h, m, s, ms] = t;
        return Duration::Minutes(h * 60 + m) + Duration::Seconds(s) + Duration::Milliseconds(ms);
      });
  auto top = rc::gen::map(rc::gen::inRange<int64_t>(1, 1000),
                          [](int64_t k) { return Duration::Nanoseconds(kMax - k); });
  return rc::gen::weightedOneOf<Duration>({{3, any}, {3, small}, {3, round}, {1, top}});
}

}  // namespace vipcast::core::testing
