// No address may belong to two pool entries: MetalLB's poolsFor rejects
// "CIDR %q in pool %q overlaps with already defined CIDR %q", within a pool
// and across pools, nested and identical ranges included.
//
// Sweep line, O(n log n) in the number of address entries: sort the ranges of
// each family by first address, walk them keeping the entry that reaches
// furthest so far; an entry starting at or before that reach overlaps it.
// Every entry that overlaps anything is reported at least once (against one
// of the entries it overlaps), and at most once.
#include <algorithm>
#include <set>
#include <tuple>

#include "engine/config/scalar.h"
#include "engine/config/validate.h"

namespace vipcast::config::detail {
namespace {

struct Entry {
  core::IpRange range;
  size_t pool;     // index in the pool list (input order)
  size_t address;  // index in spec.addresses
};

bool SourceBefore(const Entry& a, const Entry& b) {
  return std::tie(a.pool, a.address) < std::tie(b.pool, b.address);
}

}  // namespace

void ValidatePoolOverlaps(const std::vector<IPAddressPool>& pools, Reporter& report) {
  std::vector<Entry> entries;
  for (size_t p = 0; p < pools.size(); ++p) {
    const auto& addresses = pools[p].addresses;
    for (size_t a = 0; a < addresses.size(); ++a) {
      // Re-parsed by index: entries that failed to parse were reported
      // already and take no part.
      if (auto range = core::IpRange::Parse(addresses[a])) entries.push_back({*range, p, a});
    }
  }
  std::sort(entries.begin(), entries.end(), [](const Entry& x, const Entry& y) {
    if (x.range.first() != y.range.first()) return x.range.first() < y.range.first();
    if (x.range.last() != y.range.last()) return x.range.last() < y.range.last();
    return SourceBefore(x, y);
  });

  std::set<std::pair<size_t, size_t>> reported;
  const Entry* reach = nullptr;
  for (const auto& entry : entries) {
    // IpAddr orders IPv4 before IPv6, so families never mix in one reach.
    if (reach != nullptr && reach->range.family() == entry.range.family() &&
        entry.range.first() <= reach->range.last()) {
      // Report at whichever of the two comes later in the input.
      const Entry& later = SourceBefore(entry, *reach) ? *reach : entry;
      const Entry& earlier = &later == &entry ? *reach : entry;
      if (reported.emplace(later.pool, later.address).second) {
        const auto& pool = pools[later.pool];
        const auto& other = pools[earlier.pool];
        std::string where;
        if (later.pool == earlier.pool) {
          where = "spec.addresses[" + std::to_string(earlier.address) + "] of the same pool";
        } else {
          where = Describe("IPAddressPool", other.meta);
        }
        report.Error("IPAddressPool", pool.meta,
                     "spec.addresses[" + std::to_string(later.address) + "]",
                     pool.addresses[later.address] + " overlaps with " +
                         other.addresses[earlier.address] + " in " + where);
      }
    }
    if (reach == nullptr || reach->range.family() != entry.range.family() ||
        reach->range.last() < entry.range.last()) {
      reach = &entry;
    }
  }
}

}  // namespace vipcast::config::detail
