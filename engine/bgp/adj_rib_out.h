// Adj-RIB-Out of one session (RFC 4271 3.2) with lazily built UPDATEs: policy
// sets the desired table at any time; the differences to what the peer was
// sent wait as pending prefixes, and UPDATEs are only built from them when
// the transport has room (the pull model), packing every prefix that shares
// attributes into one message up to the size limit (RFC 4271 9.2).
#pragma once

#include <array>
#include <cstddef>
#include <map>
#include <optional>
#include <vector>

#include "engine/bgp/route.h"
#include "engine/core/asn.h"
#include "engine/wire/bgp/update.h"

namespace vipcast::bgp {

// What the session contributes to every UPDATE it sends.
struct UpdateContext {
  core::Asn local_as;
  bool internal = false;  // iBGP: empty AS_PATH, LOCAL_PREF sent
  std::optional<core::Ipv4Addr> next_hop_v4;
  std::optional<core::Ipv6Addr> next_hop_v6;
  bool ipv4 = true;  // families negotiated and usable
  bool ipv6 = true;
  wire::bgp::SessionOptions options;
  bool Usable(core::IpFamily f) const {
    return f == core::IpFamily::kV4 ? (ipv4 && next_hop_v4) : (ipv6 && next_hop_v6);
  }
};

// Invariants: every prefix whose desired entry differs from the sent one is
// pending; sent() only holds what went into a built UPDATE. A pending prefix
// that is not desired is a pending withdrawal; one that is desired is a
// pending announcement, filed under its family and desired attribute set.
//
// Order: the next UPDATE withdraws, in prefix order, the pending withdrawals
// of the usable family holding the smallest one; failing that it announces,
// in prefix order, the attribute set (and family) of the smallest usable
// pending announcement. Pending work is kept split the same way, in sorted
// queues read through a cursor, so building an UPDATE costs what it emits,
// not what is pending; SetDesired, Refresh and Reset cost the table they walk
// plus the queues they edit.
class AdjRibOut {
 public:
  void SetDesired(RibOut desired);
  // The session went down: nothing was sent on the next one (RFC 4271 9.1.3).
  void Reset();
  // RFC 2918 / RFC 7313: re-send every desired route of the family.
  void Refresh(wire::bgp::AfiSafi family);

  // The next UPDATE, at most `limit` octets with its header, or nullopt when
  // nothing usable is pending. Marks its routes sent.
  std::optional<wire::bgp::UpdateMessage> BuildUpdate(const UpdateContext& context, size_t limit);
  bool HasPending(const UpdateContext& context, std::optional<core::IpFamily> family = {}) const;

  const RibOut& desired() const { return desired_; }
  const RibOut& sent() const { return sent_; }
  size_t pending_count() const { return pending_count_; }

 private:
  // Prefixes in order, the first `front` of them already taken (a cursor, so
  // that taking from the front costs what is taken).
  struct PrefixQueue {
    std::vector<core::Prefix> items;
    size_t front = 0;
    bool empty() const { return front == items.size(); }
    size_t size() const { return items.size() - front; }
    const core::Prefix& head() const { return items[front]; }
    bool Contains(const core::Prefix& prefix) const;
  };
  // Changes to one queue, each in prefix order, applied in one merge.
  struct QueueEdit {
    std::vector<core::Prefix> add;
    std::vector<core::Prefix> remove;
  };
  // Pending work of one address family.
  struct FamilyPending {
    PrefixQueue withdrawals;
    std::map<RouteAttributes, PrefixQueue> groups;  // announcements; never empty
    // The attribute set of each group by its smallest prefix, so the group
    // holding the smallest pending announcement is heads.begin().
    std::map<core::Prefix, RouteAttributes> heads;
  };
  struct FamilyEdit {
    QueueEdit withdrawals;
    std::map<RouteAttributes, QueueEdit> groups;
    // The group edited last: runs of prefixes mostly share attributes.
    const RouteAttributes* last_key = nullptr;
    QueueEdit* last = nullptr;
  };
  using Edits = std::array<FamilyEdit, 2>;

  static size_t Index(core::IpFamily family) { return family == core::IpFamily::kV4 ? 0 : 1; }
  // `attrs` names the desired entry of a pending announcement, nullptr a
  // pending withdrawal.
  bool IsPending(const core::Prefix& prefix, const RouteAttributes* attrs) const;
  static QueueEdit& EditOf(Edits& edits, const core::Prefix& prefix, const RouteAttributes* attrs);
  void Apply(Edits& edits);
  static void ApplyTo(PrefixQueue& queue, const QueueEdit& edit);
  // Forgets taken prefixes once they are the larger part of the queue.
  static void Compact(PrefixQueue& queue);

  std::optional<wire::bgp::UpdateMessage> BuildWithdraw(const UpdateContext& context, size_t limit);
  std::optional<wire::bgp::UpdateMessage> BuildAnnounce(const UpdateContext& context, size_t limit);

  RibOut desired_;
  RibOut sent_;
  std::array<FamilyPending, 2> pending_;  // [0] IPv4, [1] IPv6
  size_t pending_count_ = 0;
};

// The path attributes of an originated route (RFC 4271 5.1): ORIGIN IGP,
// AS_PATH (ours on eBGP, empty on iBGP), NEXT_HOP or MP_REACH_NLRI,
// LOCAL_PREF on iBGP, communities.
std::vector<wire::bgp::PathAttribute> OriginatedAttributes(const RouteAttributes& route,
                                                           core::IpFamily family,
                                                           const UpdateContext& context);

// RFC 4724 2: End-of-RIB for a family.
wire::bgp::UpdateMessage EndOfRib(core::IpFamily family);

// Octets of one prefix in NLRI encoding (RFC 4271 4.3).
size_t PrefixWireSize(const core::Prefix& prefix);

}  // namespace vipcast::bgp
