// Where VIPs sit in a measured cluster: for each VIP, a ranking of the nodes
// (owner first, next-in-line second, ...), drawn uniformly at random from a
// seed, as a hash-based election spreads VIPs (engine/election ranks
// candidates by a per-VIP hash, so from the membership's point of view the
// rankings are independent random permutations).
//
// Used at the membership level, where there is no election: it gives each
// node its watched set (the owners of the VIPs it is next-in-line for, as the
// speaker passes to Membership::SetWatched) and decides, from one node's view
// of who is alive, whether that node would announce a VIP.
#pragma once

#include <cstddef>
#include <cstdint>
#include <functional>
#include <map>
#include <set>
#include <vector>

namespace vipcast::measure {

class VipLayout {
 public:
  // `vips` VIPs over `nodes` nodes (nodes >= 2); a pure function of `seed`.
  static VipLayout Random(size_t nodes, size_t vips, uint64_t seed);

  size_t vips() const { return ranking_.size(); }
  const std::vector<size_t>& ranking(size_t vip) const { return ranking_[vip]; }
  size_t owner(size_t vip) const { return ranking_[vip][0]; }
  size_t next_in_line(size_t vip) const { return ranking_[vip][1]; }

  // next-in-line node -> the owners it watches.
  std::map<size_t, std::set<size_t>> Watches() const;

  // Whether `node` would announce `vip` given `active(node, peer)`, its view
  // of whether a peer is still a member (alive or suspect): it does when
  // every node ranked above it is not.
  bool Announces(size_t vip, size_t node, const std::function<bool(size_t, size_t)>& active) const;
  // The VIPs for which `node` is ranked below the owner.
  const std::vector<size_t>& BackedUpBy(size_t node) const { return backed_up_by_[node]; }

 private:
  std::vector<std::vector<size_t>> ranking_;
  std::vector<std::vector<size_t>> backed_up_by_;  // node -> VIPs it is a non-owner candidate of
};

}  // namespace vipcast::measure
