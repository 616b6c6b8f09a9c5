#include "engine/bgp/adj_rib_in.h"

#include "engine/bgp/route.h"

namespace vipcast::bgp {

void AdjRibIn::Announce(const core::Prefix& prefix, ReceivedRoute route) {
  routes_[prefix] = std::move(route);
  changed_.insert(prefix);
}

void AdjRibIn::Withdraw(const core::Prefix& prefix) {
  if (routes_.erase(prefix) > 0) changed_.insert(prefix);
}

void AdjRibIn::MarkStale(std::optional<wire::bgp::AfiSafi> family) {
  for (auto& [prefix, route] : routes_) {
    if (!family || FamilyOf(prefix) == *family) route.stale = true;
  }
}

void AdjRibIn::PurgeStale(std::optional<wire::bgp::AfiSafi> family) {
  for (auto it = routes_.begin(); it != routes_.end();) {
    if (it->second.stale && (!family || FamilyOf(it->first) == *family)) {
      changed_.insert(it->first);
      it = routes_.erase(it);
    } else {
      ++it;
    }
  }
}

void AdjRibIn::Clear(std::optional<wire::bgp::AfiSafi> family) {
  for (auto it = routes_.begin(); it != routes_.end();) {
    if (!family || FamilyOf(it->first) == *family) {
      changed_.insert(it->first);
      it = routes_.erase(it);
    } else {
      ++it;
    }
  }
}

size_t AdjRibIn::stale_count() const {
  size_t n = 0;
  for (const auto& [p, r] : routes_) n += r.stale ? 1 : 0;
  return n;
}

}  // namespace vipcast::bgp
