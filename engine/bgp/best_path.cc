#include "engine/bgp/best_path.h"

#include <algorithm>
#include <tuple>

namespace vipcast::bgp {

namespace wb = wire::bgp;

std::optional<Candidate> MakeCandidate(const std::string& peer, const ReceivedRoute& route,
                                       bool external, core::RouterId router_id,
                                       core::Asn local_as) {
  Candidate c;
  c.peer = peer;
  c.next_hop = route.next_hop;
  c.external = external;
  c.router_id = router_id;
  for (const auto& a : route.attributes) {
    if (const auto* path = std::get_if<wb::AsPathAttribute>(&a.value)) {
      if (path->path.Contains(local_as)) return std::nullopt;  // RFC 4271 9.1.2
      c.as_path_length = path->path.Length();
      for (const auto& seg : path->path.segments) {
        if (seg.type == wb::AsSegmentType::kSequence && !seg.asns.empty()) {
          c.neighbor_as = seg.asns.front();
          break;
        }
      }
    } else if (const auto* lp = std::get_if<wb::LocalPrefAttribute>(&a.value)) {
      // RFC 4271 5.1.5: LOCAL_PREF from an external peer is ignored.
      if (!external) c.local_pref = lp->value;
    } else if (const auto* o = std::get_if<wb::OriginAttribute>(&a.value)) {
      c.origin = o->origin;
    } else if (const auto* med = std::get_if<wb::MedAttribute>(&a.value)) {
      c.med = med->value;
    }
  }
  return c;
}

namespace {
// Steps a-e; returns <0 when a is better, >0 when b is, 0 on a tie.
int Compare(const Candidate& a, const Candidate& b) {
  if (a.local_pref != b.local_pref) return a.local_pref > b.local_pref ? -1 : 1;  // 9.1.1
  if (a.as_path_length != b.as_path_length)
    return a.as_path_length < b.as_path_length ? -1 : 1;          // a
  if (a.origin != b.origin) return a.origin < b.origin ? -1 : 1;  // b
  // c: MED only between routes from the same neighboring AS.
  if (a.neighbor_as == b.neighbor_as && a.med != b.med) return a.med < b.med ? -1 : 1;
  if (a.external != b.external) return a.external ? -1 : 1;  // d
  return 0;
}
}  // namespace

bool Better(const Candidate& a, const Candidate& b) {
  int c = Compare(a, b);
  if (c != 0) return c < 0;
  // f: lowest BGP identifier, then lowest peer address (g).
  return std::tie(a.router_id, a.next_hop) < std::tie(b.router_id, b.next_hop);
}

Selection Select(const std::vector<Candidate>& candidates) {
  Selection s;
  for (size_t i = 0; i < candidates.size(); ++i) {
    if (!s.best || Better(candidates[i], candidates[*s.best])) s.best = i;
  }
  if (!s.best) return s;
  const Candidate& best = candidates[*s.best];
  for (const auto& c : candidates) {
    if (Compare(c, best) != 0) continue;
    // MED was only compared within one neighbor AS; across ASes it must not
    // split the set either, so equal-on-a..e is enough.
    s.multipath.push_back(c.next_hop);
  }
  std::sort(s.multipath.begin(), s.multipath.end());
  s.multipath.erase(std::unique(s.multipath.begin(), s.multipath.end()), s.multipath.end());
  return s;
}

}  // namespace vipcast::bgp
