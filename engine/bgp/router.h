// The router role (used by the simulator's routers and by tests): accepts
// many peers, keeps each one's Adj-RIB-In, selects the best path per prefix
// with multipath, and reports every change of a prefix's ECMP next-hop set
// as a RouteChange fact to drain. It can advertise to chosen peers, with
// itself as next hop, prefixes of its own and those of its FIB (Export).
#pragma once

#include <cstdint>
#include <map>
#include <string>
#include <utility>
#include <vector>

#include "engine/bgp/best_path.h"
#include "engine/bgp/session_set.h"

namespace vipcast::bgp {

struct RouteChange {
  core::Prefix prefix;
  std::vector<core::IpAddr> next_hops;  // empty: no route any more
  bool operator==(const RouteChange&) const = default;
};

// What the router advertises to one peer. The session fills NEXT_HOP with
// its own local address (next-hop-self, RFC 4271 5.1.3) and the AS_PATH
// with our AS alone (RFC 4271 5.1.2, as for a route we originate).
//  - `originated`: always (e.g. the router's connected subnets);
//  - `fib`: also every prefix of the FIB none of whose next hops is that
//    peer's address (split horizon). This is how a leaf of an RFC 7938
//    fabric hands its servers' prefixes to the spines (RFC 7938 5.2.1).
// The learned AS_PATH is not carried on: a route re-advertised this way
// must not come back to its origin through another router that exports it
// too (a leaf/spine fabric where only the leaves export their FIB).
struct Export {
  RibOut originated;
  bool fib = false;
  bool operator==(const Export&) const = default;
};

// Invariant: fib() holds, for every prefix with an eligible path, the ECMP
// next hops that Select() gives over all sessions' Adj-RIB-In.
class Router : public core::Engine {
 public:
  Router(core::Asn asn, core::RouterId router_id, uint16_t port = 179);

  void SetPeers(core::TimePoint now, std::vector<SessionConfig> peers, core::Outbox& out);
  // Replaces what is advertised to each peer (by session name); peers not
  // named get nothing. Kept across SetPeers, applied whenever the FIB moves.
  void SetExports(core::TimePoint now, std::map<std::string, Export> exports, core::Outbox& out);

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
  // Brings each exported-to session's desired Adj-RIB-Out in line with
  // exports_ and the FIB.
  void UpdateExports(core::TimePoint now, core::Outbox& out);

  core::Asn asn_;
  core::RouterId router_id_;
  SessionSet sessions_;
  std::map<core::Prefix, std::vector<core::IpAddr>> fib_;
  std::vector<RouteChange> changes_;
  std::map<std::string, Export> exports_;
};

}  // namespace vipcast::bgp
