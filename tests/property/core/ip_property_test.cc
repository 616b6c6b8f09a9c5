// Properties of engine/core addresses, prefixes and ranges.
#include <gtest/gtest.h>
// rapidcheck/gtest.h needs gtest/gtest.h first.
#include <rapidcheck/gtest.h>

#include <algorithm>
#include <compare>
#include <vector>

#include "engine/core/ip.h"
#include "tests/property/core/core_generators.h"

namespace vipcast::core {
namespace {

// The order every IpAddr comparison must agree with: family first (IPv4
// before IPv6), then the numeric value.
std::strong_ordering ReferenceOrder(const IpAddr& a, const IpAddr& b) {
  if (a.family() != b.family())
    return a.is_v4() ? std::strong_ordering::less : std::strong_ordering::greater;
  return a.ToUint128() <=> b.ToUint128();
}

// rapidcheck's RC_ASSERT decomposes its expression and cannot compare an
// ordering with 0, so orderings are compared as -1/0/1.
int Sign(std::strong_ordering o) { return o < 0 ? -1 : (o > 0 ? 1 : 0); }

// Checks the RFC 5952 rules on the text alone: lower-case groups without
// leading zeros (4.1, 4.3), "::" only for a run of two or more zero groups
// (4.2.2), that run the longest, and the first of equally long runs (4.2.3).
bool IsRfc5952Canonical(const std::string& text) {
  std::vector<std::vector<std::string>> halves(1);
  size_t group_count = 0;
  bool compressed = false;
  for (size_t i = 0; i < text.size();) {
    if (text.compare(i, 2, "::") == 0) {
      if (compressed) return false;
      compressed = true;
      halves.emplace_back();
      i += 2;
      continue;
    }
    size_t end = text.find(':', i);
    std::string group = text.substr(i, end == std::string::npos ? std::string::npos : end - i);
    if (group.find('.') != std::string::npos) {
      group_count += 2;  // a dotted quad stands for two groups
    } else {
      if (group.empty() || group.size() > 4) return false;
      if (group.size() > 1 && group[0] == '0') return false;
      for (char c : group) {
        if (!((c >= '0' && c <= '9') || (c >= 'a' && c <= 'f'))) return false;
      }
      ++group_count;
      halves.back().push_back(group);
    }
    if (end == std::string::npos) break;
    i = end;
    if (text.compare(i, 2, "::") != 0) ++i;
  }
  auto longest_zero_run = [](const std::vector<std::string>& groups) {
    size_t best = 0, run = 0;
    for (const auto& g : groups) {
      run = g == "0" ? run + 1 : 0;
      best = std::max(best, run);
    }
    return best;
  };
  if (!compressed) return group_count == 8 && longest_zero_run(halves[0]) < 2;
  const size_t elided = 8 - group_count;
  return group_count <= 6 && elided >= 2 && longest_zero_run(halves[0]) < elided &&
         longest_zero_run(halves[1]) <= elided;
}

RC_GTEST_PROP(IpProperty, Ipv4TextRoundTrips, (Ipv4Addr a)) {
  auto parsed = Ipv4Addr::Parse(a.ToString());
  RC_ASSERT(parsed.ok());
  RC_ASSERT(*parsed == a);
}

RC_GTEST_PROP(IpProperty, Ipv6TextRoundTrips, (Ipv6Addr a)) {
  const std::string text = a.ToString();
  auto parsed = Ipv6Addr::Parse(text);
  RC_ASSERT(parsed.ok());
  RC_ASSERT(*parsed == a);
  RC_ASSERT(IsRfc5952Canonical(text));
}

RC_GTEST_PROP(IpProperty, IpAddrTextRoundTrips, (IpAddr a)) {
  auto parsed = IpAddr::Parse(a.ToString());
  RC_ASSERT(parsed.ok());
  RC_ASSERT(*parsed == a);
  RC_ASSERT(parsed->family() == a.family());
}

RC_GTEST_PROP(IpProperty, PrefixTextRoundTrips, (Prefix p)) {
  auto parsed = Prefix::ParseStrict(p.ToString());
  RC_ASSERT(parsed.ok());
  RC_ASSERT(*parsed == p);
  RC_ASSERT(Prefix::Parse(p.ToString()).value() == p);
}

RC_GTEST_PROP(IpProperty, PrefixMasksHostBits, (IpAddr a)) {
  const int length = *rc::gen::inRange(0, a.BitLength() + 1);
  Prefix p = Prefix::Make(a, length).value();
  RC_ASSERT(p.Contains(a));
  RC_ASSERT(p.First() <= a);
  RC_ASSERT(a <= p.Last());
  RC_ASSERT(p.network() == Prefix::Make(p.network(), length).value().network());
  // The parent prefix contains the child.
  if (length > 0) RC_ASSERT(Prefix::Make(a, length - 1).value().Contains(p));
}

RC_GTEST_PROP(IpProperty, OverlapIsSymmetricAndMatchesContainment, (Prefix a, Prefix b)) {
  RC_ASSERT(a.Overlaps(b) == b.Overlaps(a));
  bool share_an_address =
      a.family() == b.family() && a.First() <= b.Last() && b.First() <= a.Last();
  RC_ASSERT(a.Overlaps(b) == share_an_address);
  RC_ASSERT(a.Overlaps(a));
}

RC_GTEST_PROP(IpProperty, RangeTextRoundTrips, (IpRange r)) {
  auto parsed = IpRange::Parse(r.ToString());
  RC_ASSERT(parsed.ok());
  RC_ASSERT(*parsed == r);
}

// ToPrefixes covers exactly the range with the fewest CIDR blocks.
RC_GTEST_PROP(IpProperty, RangeToPrefixesIsExactAndMinimal, (IpRange r)) {
  const std::vector<Prefix> prefixes = r.ToPrefixes();
  RC_ASSERT(!prefixes.empty());
  RC_ASSERT(prefixes.front().First() == r.first());
  RC_ASSERT(prefixes.back().Last() == r.last());
  Uint128 total = 0;
  bool saturated = false;
  for (size_t i = 0; i < prefixes.size(); ++i) {
    const Prefix& p = prefixes[i];
    RC_ASSERT(p.family() == r.family());
    // Aligned: the network has no host bits.
    RC_ASSERT(Prefix::Make(p.network(), p.length()).value() == p);
    RC_ASSERT(r.Contains(p.First()));
    RC_ASSERT(r.Contains(p.Last()));
    if (i + 1 < prefixes.size()) {
      const Prefix& next = prefixes[i + 1];
      // Ascending, disjoint and gap-free: the next block starts right after.
      auto after = p.Last().Next();
      RC_ASSERT(after.has_value());
      RC_ASSERT(*after == next.First());
      // Minimal: two adjacent equal blocks that together form an aligned
      // block would have been emitted as that one block.
      bool mergeable = p.length() == next.length() && p.length() > 0 &&
                       Prefix::Make(p.network(), p.length() - 1).value().Contains(next);
      RC_ASSERT(!mergeable);
    }
    // Maximal: the enclosing block is not entirely inside the range.
    if (p.length() > 0) {
      Prefix parent = Prefix::Make(p.network(), p.length() - 1).value();
      RC_ASSERT(!(r.Contains(parent.First()) && r.Contains(parent.Last())));
    }
    if (p.Size() == ~Uint128{0}) saturated = true;  // ::/0 is the only saturated size
    total += p.Size();
  }
  if (saturated) {
    RC_ASSERT(prefixes.size() == 1u);
    RC_ASSERT(r.Size() == ~Uint128{0});
  } else {
    RC_ASSERT(total == r.Size());
  }
  // At most two blocks per bit: one on the way up to the alignment, one down.
  RC_ASSERT(prefixes.size() <= static_cast<size_t>(2 * r.first().BitLength()));
}

RC_GTEST_PROP(IpProperty, OrderingIsConsistentWithFamilyThenValue, (IpAddr a, IpAddr b)) {
  // Half the time, make b share a's value or family so that ties happen.
  switch (*rc::gen::inRange(0, 4)) {
    case 0:
      b = a;
      break;
    case 1:  // same number, the other family (when it fits)
      if (a.is_v4()) b = IpAddr::FromUint128(IpFamily::kV6, a.ToUint128());
      break;
    default:
      break;
  }
  const int expected = Sign(ReferenceOrder(a, b));
  RC_ASSERT(Sign(a <=> b) == expected);
  RC_ASSERT(Sign(b <=> a) == -expected);
  RC_ASSERT((a == b) == (expected == 0));
  RC_ASSERT((a < b) == (expected < 0));
  if (a.is_v4() && b.is_v4()) RC_ASSERT(Sign(a.v4() <=> b.v4()) == expected);
  if (a.is_v6() && b.is_v6()) RC_ASSERT(Sign(a.v6() <=> b.v6()) == expected);
}

RC_GTEST_PROP(IpProperty, OrderingIsTransitive, (IpAddr a, IpAddr b, IpAddr c)) {
  std::vector<IpAddr> v = {a, b, c};
  std::sort(v.begin(), v.end());
  RC_ASSERT(v[0] <= v[1]);
  RC_ASSERT(v[1] <= v[2]);
  RC_ASSERT(v[0] <= v[2]);
  RC_ASSERT(Sign(ReferenceOrder(v[0], v[1])) <= 0);
  RC_ASSERT(Sign(ReferenceOrder(v[1], v[2])) <= 0);
}

RC_GTEST_PROP(IpProperty, NextAndPrevAreInverse, (IpAddr a)) {
  auto next = a.Next();
  if (next) {
    RC_ASSERT(a < *next);
    RC_ASSERT(next->family() == a.family());
    RC_ASSERT(next->Prev() == a);
  } else {
    RC_ASSERT(a.ToUint128() == testing::MaxValue(a.family()));
  }
  auto prev = a.Prev();
  if (prev) RC_ASSERT(prev->Next() == a);
  if (!prev) RC_ASSERT(a.ToUint128() == 0);
}

RC_GTEST_PROP(IpProperty, Uint128RoundTrips, (IpAddr a)) {
  RC_ASSERT(IpAddr::FromUint128(a.family(), a.ToUint128()) == a);
  RC_ASSERT(a.Bytes().size() == static_cast<size_t>(a.BitLength() / 8));
}

}  // namespace
}  // namespace vipcast::core
