// RFC 4271 9.1.2.2 best-path selection (the subset a route reflector-less
// fabric needs) and multipath: the ECMP set is every candidate from a
// different peer that ties with the best on all steps before the router-ID
// tie-break, with "as-path multipath relax" (equal AS_PATH length suffices,
// the paths need not be identical).
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "engine/bgp/adj_rib_in.h"
#include "engine/core/asn.h"
#include "engine/core/ip.h"
#include "engine/wire/bgp/attributes.h"

namespace vipcast::bgp {

struct Candidate {
  std::string peer;
  core::IpAddr next_hop;
  bool external = true;  // learned over eBGP
  core::RouterId router_id;
  uint32_t local_pref = 100;  // RFC 4271 5.1.5; only honoured from iBGP
  size_t as_path_length = 0;
  wire::bgp::Origin origin = wire::bgp::Origin::kIgp;
  uint32_t med = 0;
  std::optional<core::Asn> neighbor_as;  // first AS of the path (RFC 4271 9.1.2.2 c)
};

// Builds the candidate for a received route; nullopt when the AS_PATH holds
// our own AS (RFC 4271 9.1.2: loop, the route is not eligible).
std::optional<Candidate> MakeCandidate(const std::string& peer, const ReceivedRoute& route,
                                       bool external, core::RouterId router_id, core::Asn local_as);

// True when `a` is preferred to `b` (strict), RFC 4271 9.1.2.2 a-f.
bool Better(const Candidate& a, const Candidate& b);

struct Selection {
  std::optional<size_t> best;           // index into the candidates
  std::vector<core::IpAddr> multipath;  // sorted, unique next hops of the ECMP set
};

Selection Select(const std::vector<Candidate>& candidates);

}  // namespace vipcast::bgp
