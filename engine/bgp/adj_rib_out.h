// Adj-RIB-Out of one session (RFC 4271 3.2) with lazily built UPDATEs: policy
// sets the desired table at any time; the differences to what the peer was
// sent wait as pending prefixes, and UPDATEs are only built from them when
// the transport has room (the pull model), packing every prefix that shares
// attributes into one message up to the size limit (RFC 4271 9.2).
#pragma once

#include <cstddef>
#include <optional>
#include <set>

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
// pending; sent() only holds what went into a built UPDATE.
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
  size_t pending_count() const { return pending_.size(); }

 private:
  std::optional<wire::bgp::UpdateMessage> BuildWithdraw(const UpdateContext& context, size_t limit);
  std::optional<wire::bgp::UpdateMessage> BuildAnnounce(const UpdateContext& context, size_t limit);

  RibOut desired_;
  RibOut sent_;
  std::set<core::Prefix> pending_;
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
