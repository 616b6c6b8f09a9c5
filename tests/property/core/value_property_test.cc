// Properties of engine/core value types other than addresses.
#include <gtest/gtest.h>
// rapidcheck/gtest.h needs gtest/gtest.h first.
#include <rapidcheck/gtest.h>

#include "engine/core/bytes.h"
#include "engine/core/mac.h"
#include "engine/core/rng.h"
#include "engine/core/time.h"
#include "tests/property/core/core_generators.h"

namespace vipcast::core {
namespace {

RC_GTEST_PROP(ValueProperty, MacTextRoundTrips, (MacAddr m)) {
  auto parsed = MacAddr::Parse(m.ToString());
  RC_ASSERT(parsed.ok());
  RC_ASSERT(*parsed == m);
  // The dash form with upper-case digits names the same address.
  std::string dashed = m.ToString();
  for (char& c : dashed) {
    if (c == ':') c = '-';
    if (c >= 'a' && c <= 'f') c = static_cast<char>(c - 'a' + 'A');
  }
  RC_ASSERT(MacAddr::Parse(dashed).value() == m);
}

RC_GTEST_PROP(ValueProperty, DurationTextRoundTrips, ()) {
  const Duration d = *testing::NonNegativeDuration();
  const std::string text = d.ToString();
  auto parsed = Duration::Parse(text);
  RC_ASSERT(parsed.ok());
  RC_ASSERT(*parsed == d);
}

RC_GTEST_PROP(ValueProperty, DurationOrderMatchesNanoseconds, ()) {
  const Duration a = *testing::NonNegativeDuration();
  const Duration b = *testing::NonNegativeDuration();
  RC_ASSERT((a <=> b) == (a.nanoseconds() <=> b.nanoseconds()));
}

RC_GTEST_PROP(ValueProperty, HexRoundTrips, (std::vector<uint8_t> data)) {
  RC_ASSERT(FromHex(ToHex(data)) == data);
  RC_ASSERT(ToHex(data).size() == 2 * data.size());
}

// Whatever the input and whatever reads are attempted, the reader never
// reports more than the span holds and a failed read never moves it.
RC_GTEST_PROP(ValueProperty, ByteReaderStaysInBounds, (std::vector<uint8_t> data)) {
  ByteReader r(data);
  const int steps = *rc::gen::inRange(0, 40);
  for (int i = 0; i < steps; ++i) {
    const size_t before = r.position();
    const int op = *rc::gen::inRange(0, 7);
    const size_t n = *rc::gen::inRange<size_t>(0, data.size() + 3);
    bool ok = false;
    size_t width = 0;
    switch (op) {
      case 0:
        ok = r.U8().has_value();
        width = 1;
        break;
      case 1:
        ok = r.U16().has_value();
        width = 2;
        break;
      case 2:
        ok = r.U24().has_value();
        width = 3;
        break;
      case 3:
        ok = r.U32().has_value();
        width = 4;
        break;
      case 4:
        ok = r.U64().has_value();
        width = 8;
        break;
      case 5:
        ok = r.Take(n).has_value();
        width = n;
        break;
      default:
        ok = r.Skip(n);
        width = n;
        break;
    }
    RC_ASSERT(ok == (width <= data.size() - before));
    RC_ASSERT(r.position() == (ok ? before + width : before));
    RC_ASSERT(r.position() <= data.size());
  }
}

RC_GTEST_PROP(ValueProperty, RngUniformInBounds, (uint64_t seed)) {
  const uint64_t bound = *rc::gen::inRange<uint64_t>(1, ~uint64_t{0});
  Rng rng(seed);
  for (int i = 0; i < 20; ++i) RC_ASSERT(rng.Uniform(bound) < bound);
  Rng a(seed), b(seed);
  for (int i = 0; i < 20; ++i) RC_ASSERT(a.Next() == b.Next());
}

}  // namespace
}  // namespace vipcast::core
