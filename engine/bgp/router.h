// The router role (used by the simulator's routers and by tests): accepts
// many peers, keeps each one's Adj-RIB-In, selects the best path per prefix
// with multipath, and reports every change of a prefix's ECMP next-hop set
// as a RouteChange fact to drain.
#pragma once

#include <cstdint>
#include <map>
#include <string>
#include <vector>

#include "engine/bgp/best_path.h"
#include "engine/bgp/session_set.h"

namespace vipcast::bgp {

struct RouteChange {
  core::Prefix prefix;
  std::vector<core::IpAddr> next_hops;  // empty: no route any more
  bool operator==(const RouteChange&) const = default;
};

// Invariant: fib() holds, for every prefix with an eligible path, the ECMP
// next hops that Select() gives over all sessions' Adj-RIB-In.
class Router : public core::Engine {
 public:
  Router(core::Asn asn, core::RouterId router_id, uint16_t port = 179);

  void SetPeers(core::TimePoint now, std::vector<SessionConfig> peers, core::Outbox& out);

  void Handle(core::TimePoint now, const core::Input& input, core::Outbox& out) override;
  void Advance(core::TimePoint now, core::Outbox& out) override;
  core::TimePoint NextDeadline() const override { return sessions_.NextDeadline(); }

  // Takes one session down at once (e.g. its BFD session failed: RFC 5882
  // 3.2) with a Cease NOTIFICATION of `cease_subcode`, and removes its
  // routes from the FIB in the same step. False when `peer` has no
  // connection to reset.
  bool ResetSession(core::TimePoint now, const std::string& peer, uint8_t cease_subcode,
                    const std::string& reason, core::Outbox& out);

  std::vector<RouteChange> DrainRouteChanges() { return std::exchange(changes_, {}); }
  const std::map<core::Prefix, std::vector<core::IpAddr>>& fib() const { return fib_; }
  SessionSet& sessions() { return sessions_; }

 private:
  void Recompute(bool all);

  core::Asn asn_;
  core::RouterId router_id_;
  SessionSet sessions_;
  std::map<core::Prefix, std::vector<core::IpAddr>> fib_;
  std::vector<RouteChange> changes_;
};

}  // namespace vipcast::bgp
