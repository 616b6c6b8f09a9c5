#include "tests/measure/vip_layout.h"

#include <algorithm>
#include <cassert>
#include <numeric>

#include "engine/core/rng.h"

namespace vipcast::measure {

VipLayout VipLayout::Random(size_t nodes, size_t vips, uint64_t seed) {
  assert(nodes >= 2);
  VipLayout l;
  core::Rng rng = core::Rng(seed).Fork(0x71b5);
  l.backed_up_by_.resize(nodes);
  for (size_t v = 0; v < vips; ++v) {
    std::vector<size_t> order(nodes);
    std::iota(order.begin(), order.end(), size_t{0});
    std::shuffle(order.begin(), order.end(), rng);
    for (size_t i = 1; i < order.size(); ++i) l.backed_up_by_[order[i]].push_back(v);
    l.ranking_.push_back(std::move(order));
  }
  return l;
}

std::map<size_t, std::set<size_t>> VipLayout::Watches() const {
  std::map<size_t, std::set<size_t>> w;
  for (const auto& r : ranking_) w[r[1]].insert(r[0]);
  return w;
}

bool VipLayout::Announces(size_t vip, size_t node,
                          const std::function<bool(size_t, size_t)>& active) const {
  for (size_t candidate : ranking_[vip]) {
    if (candidate == node) return true;
    if (active(node, candidate)) return false;
  }
  return false;
}

}  // namespace vipcast::measure
