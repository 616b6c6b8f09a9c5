// Adj-RIB-In of one session (RFC 4271 3.2): the routes the peer sent, as
// received, with RFC 4724 stale marks while a restarting peer (or an RFC 7313
// enhanced refresh) re-sends them. Records which prefixes changed so that
// the owner (the router's best-path selection) can recompute only those.
#pragma once

#include <map>
#include <optional>
#include <set>
#include <vector>

#include "engine/core/ip.h"
#include "engine/wire/bgp/attributes.h"

namespace vipcast::bgp {

struct ReceivedRoute {
  std::vector<wire::bgp::PathAttribute> attributes;
  core::IpAddr next_hop;
  bool stale = false;
};

class AdjRibIn {
 public:
  void Announce(const core::Prefix& prefix, ReceivedRoute route);
  void Withdraw(const core::Prefix& prefix);
  // RFC 4724 4.2: keep the routes, marked stale.
  void MarkStale(std::optional<wire::bgp::AfiSafi> family = {});
  // RFC 4724 4.2: End-of-RIB or the restart timer: drop what is still stale.
  void PurgeStale(std::optional<wire::bgp::AfiSafi> family = {});
  void Clear(std::optional<wire::bgp::AfiSafi> family = {});

  const std::map<core::Prefix, ReceivedRoute>& routes() const { return routes_; }
  size_t stale_count() const;
  std::set<core::Prefix> DrainChanged() { return std::exchange(changed_, {}); }

 private:
  std::map<core::Prefix, ReceivedRoute> routes_;
  std::set<core::Prefix> changed_;
};

}  // namespace vipcast::bgp
