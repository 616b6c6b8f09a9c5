#include "engine/bgp/adj_rib_out.h"

#include <vector>

#include "engine/wire/bgp/constants.h"

namespace vipcast::bgp {

namespace wb = wire::bgp;

namespace {

// Header (19) + withdrawn length (2) + attributes length (2).
constexpr size_t kUpdateOverhead = wb::kHeaderSize + 4;
// An MP attribute over 255 octets gains the Extended Length octet.
constexpr size_t kExtendedLengthSlack = 1;

size_t AttributesSize(const std::vector<wb::PathAttribute>& attrs, const wb::SessionOptions& o) {
  core::Bytes bytes;
  core::ByteWriter w(&bytes);
  for (const auto& a : attrs) wb::EncodeAttribute(a, o, w);
  return bytes.size();
}

}  // namespace

size_t PrefixWireSize(const core::Prefix& prefix) {
  return 1 + static_cast<size_t>((prefix.length() + 7) / 8);
}

void AdjRibOut::SetDesired(RibOut desired) {
  for (const auto& [prefix, attrs] : desired) {
    auto sent = sent_.find(prefix);
    if (sent == sent_.end() || sent->second != attrs) pending_.insert(prefix);
  }
  for (const auto& [prefix, attrs] : desired_) {
    if (!desired.contains(prefix)) pending_.insert(prefix);
  }
  desired_ = std::move(desired);
  // Drop pending entries that became no-ops (e.g. re-added before sending).
  std::erase_if(pending_, [&](const core::Prefix& p) {
    auto d = desired_.find(p);
    auto s = sent_.find(p);
    if (d == desired_.end()) return s == sent_.end();
    return false;
  });
}

void AdjRibOut::Reset() {
  sent_.clear();
  pending_.clear();
  for (const auto& [prefix, attrs] : desired_) pending_.insert(prefix);
}

void AdjRibOut::Refresh(wb::AfiSafi family) {
  for (const auto& [prefix, attrs] : desired_) {
    if (FamilyOf(prefix) == family) pending_.insert(prefix);
  }
}

bool AdjRibOut::HasPending(const UpdateContext& context,
                           std::optional<core::IpFamily> family) const {
  for (const auto& p : pending_) {
    if (family && p.family() != *family) continue;
    if (context.Usable(p.family())) return true;
  }
  return false;
}

std::optional<wb::UpdateMessage> AdjRibOut::BuildUpdate(const UpdateContext& context,
                                                        size_t limit) {
  if (auto w = BuildWithdraw(context, limit)) return w;
  return BuildAnnounce(context, limit);
}

std::optional<wb::UpdateMessage> AdjRibOut::BuildWithdraw(const UpdateContext& context,
                                                          size_t limit) {
  std::optional<core::IpFamily> family;
  std::vector<core::Prefix> chosen;
  size_t size = kUpdateOverhead;
  for (const auto& p : pending_) {
    if (desired_.contains(p) || !context.Usable(p.family())) continue;
    if (!family) {
      family = p.family();
      // RFC 4760 4: IPv6 withdrawals travel in MP_UNREACH_NLRI (3 + AFI/SAFI).
      if (*family == core::IpFamily::kV6) size += 4 + 3 + kExtendedLengthSlack;
    }
    if (p.family() != *family) continue;
    if (size + PrefixWireSize(p) > limit) break;
    size += PrefixWireSize(p);
    chosen.push_back(p);
  }
  if (chosen.empty()) return std::nullopt;
  wb::UpdateMessage update;
  for (const auto& p : chosen) {
    pending_.erase(p);
    sent_.erase(p);
  }
  if (*family == core::IpFamily::kV4) {
    update.withdrawn = std::move(chosen);
  } else {
    wb::MpUnreachAttribute mp;
    mp.afi = wb::kAfiIpv6;
    mp.safi = wb::kSafiUnicast;
    mp.withdrawn = std::move(chosen);
    update.attributes.push_back(wb::PathAttribute::Make(std::move(mp)));
  }
  return update;
}

std::optional<wb::UpdateMessage> AdjRibOut::BuildAnnounce(const UpdateContext& context,
                                                          size_t limit) {
  const RouteAttributes* key = nullptr;
  core::IpFamily family = core::IpFamily::kV4;
  std::vector<core::Prefix> chosen;
  size_t size = 0;
  for (const auto& p : pending_) {
    auto d = desired_.find(p);
    if (d == desired_.end() || !context.Usable(p.family())) continue;
    if (key == nullptr) {
      key = &d->second;
      family = p.family();
      size = kUpdateOverhead +
             AttributesSize(OriginatedAttributes(*key, family, context), context.options) +
             kExtendedLengthSlack;
    } else if (p.family() != family || d->second != *key) {
      continue;  // another attribute set: a later UPDATE (RFC 4271 9.2)
    }
    if (size + PrefixWireSize(p) > limit) break;
    size += PrefixWireSize(p);
    chosen.push_back(p);
  }
  if (chosen.empty()) return std::nullopt;
  wb::UpdateMessage update;
  update.attributes = OriginatedAttributes(*key, family, context);
  for (const auto& p : chosen) {
    pending_.erase(p);
    sent_[p] = desired_.at(p);
  }
  if (family == core::IpFamily::kV4) {
    update.nlri = std::move(chosen);
  } else {
    for (auto& a : update.attributes) {
      if (auto* mp = std::get_if<wb::MpReachAttribute>(&a.value)) mp->nlri = chosen;
    }
  }
  return update;
}

std::vector<wb::PathAttribute> OriginatedAttributes(const RouteAttributes& route,
                                                    core::IpFamily family,
                                                    const UpdateContext& context) {
  std::vector<wb::PathAttribute> attrs;
  // RFC 4760 3 recommends MP_REACH_NLRI first.
  if (family == core::IpFamily::kV6) {
    attrs.push_back(wb::PathAttribute::Make(wb::MpReachAttribute::Unicast(
        wb::kAfiIpv6, core::IpAddr(*context.next_hop_v6), std::nullopt, {})));
  }
  attrs.push_back(wb::PathAttribute::Make(wb::OriginAttribute{wb::Origin::kIgp}));
  wb::AsPath path;
  // RFC 4271 5.1.2: an originated route carries our AS to external peers
  // and an empty AS_PATH to internal ones.
  if (!context.internal)
    path.segments.push_back({wb::AsSegmentType::kSequence, {context.local_as}});
  attrs.push_back(wb::PathAttribute::Make(wb::AsPathAttribute{path}));
  if (family == core::IpFamily::kV4) {
    attrs.push_back(wb::PathAttribute::Make(wb::NextHopAttribute{*context.next_hop_v4}));
  }
  // RFC 4271 5.1.5: LOCAL_PREF goes to internal peers only (100 by default).
  if (context.internal) {
    attrs.push_back(
        wb::PathAttribute::Make(wb::LocalPrefAttribute{route.local_pref.value_or(100)}));
  }
  if (!route.communities.empty()) {
    attrs.push_back(wb::PathAttribute::Make(wb::CommunitiesAttribute{route.communities}));
  }
  if (!route.large_communities.empty()) {
    wb::LargeCommunitiesAttribute large;
    for (const auto& c : route.large_communities) large.communities.push_back({c[0], c[1], c[2]});
    attrs.push_back(wb::PathAttribute::Make(std::move(large)));
  }
  return attrs;
}

wb::UpdateMessage EndOfRib(core::IpFamily family) {
  wb::UpdateMessage update;
  if (family == core::IpFamily::kV6) {
    wb::MpUnreachAttribute mp;
    mp.afi = wb::kAfiIpv6;
    mp.safi = wb::kSafiUnicast;
    update.attributes.push_back(wb::PathAttribute::Make(std::move(mp)));
  }
  return update;
}

}  // namespace vipcast::bgp
