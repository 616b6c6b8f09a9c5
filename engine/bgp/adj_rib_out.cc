#include "engine/bgp/adj_rib_out.h"

#include <algorithm>
#include <iterator>
#include <vector>

#include "engine/wire/bgp/constants.h"

namespace vipcast::bgp {

namespace wb = wire::bgp;

namespace {

// Header (19) + withdrawn length (2) + attributes length (2).
constexpr size_t kUpdateOverhead = wb::kHeaderSize + 4;
// An MP attribute over 255 octets gains the Extended Length octet.
constexpr size_t kExtendedLengthSlack = 1;
constexpr core::IpFamily kFamilies[] = {core::IpFamily::kV4, core::IpFamily::kV6};

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

bool AdjRibOut::PrefixQueue::Contains(const core::Prefix& prefix) const {
  return std::binary_search(items.begin() + static_cast<std::ptrdiff_t>(front), items.end(),
                            prefix);
}

bool AdjRibOut::IsPending(const core::Prefix& prefix, const RouteAttributes* attrs) const {
  const FamilyPending& fp = pending_[Index(prefix.family())];
  if (attrs == nullptr) return fp.withdrawals.Contains(prefix);
  auto group = fp.groups.find(*attrs);
  return group != fp.groups.end() && group->second.Contains(prefix);
}

AdjRibOut::QueueEdit& AdjRibOut::EditOf(Edits& edits, const core::Prefix& prefix,
                                        const RouteAttributes* attrs) {
  FamilyEdit& fe = edits[Index(prefix.family())];
  if (attrs == nullptr) return fe.withdrawals;
  if (fe.last == nullptr || *fe.last_key != *attrs) {
    auto group = fe.groups.try_emplace(*attrs).first;
    fe.last_key = &group->first;
    fe.last = &group->second;
  }
  return *fe.last;
}

void AdjRibOut::ApplyTo(PrefixQueue& queue, const QueueEdit& edit) {
  if (edit.remove.empty() &&
      (queue.empty() || edit.add.empty() || queue.items.back() < edit.add.front())) {
    // Everything goes after what is queued (a table filled in order).
    if (queue.empty()) {
      queue.items.clear();
      queue.front = 0;
    }
    queue.items.insert(queue.items.end(), edit.add.begin(), edit.add.end());
    return;
  }
  std::vector<core::Prefix> kept;
  kept.reserve(queue.size());
  std::set_difference(queue.items.begin() + static_cast<std::ptrdiff_t>(queue.front),
                      queue.items.end(), edit.remove.begin(), edit.remove.end(),
                      std::back_inserter(kept));
  std::vector<core::Prefix> merged;
  merged.reserve(kept.size() + edit.add.size());
  // A union: a refresh may add what is already queued.
  std::set_union(kept.begin(), kept.end(), edit.add.begin(), edit.add.end(),
                 std::back_inserter(merged));
  queue.items = std::move(merged);
  queue.front = 0;
}

void AdjRibOut::Compact(PrefixQueue& queue) {
  if (queue.empty()) {
    queue.items.clear();
    queue.front = 0;
  } else if (queue.front * 2 > queue.items.size()) {
    queue.items.erase(queue.items.begin(),
                      queue.items.begin() + static_cast<std::ptrdiff_t>(queue.front));
    queue.front = 0;
  }
}

void AdjRibOut::Apply(Edits& edits) {
  for (size_t i = 0; i < edits.size(); ++i) {
    FamilyPending& fp = pending_[i];
    const FamilyEdit& fe = edits[i];
    pending_count_ -= fp.withdrawals.size();
    ApplyTo(fp.withdrawals, fe.withdrawals);
    pending_count_ += fp.withdrawals.size();
    // Heads of the edited groups go first: a prefix moving between two of
    // them may be the old head of one and the new head of the other.
    for (const auto& [attrs, edit] : fe.groups) {
      auto group = fp.groups.find(attrs);
      if (group != fp.groups.end()) fp.heads.erase(group->second.head());
    }
    for (const auto& [attrs, edit] : fe.groups) {
      auto group = fp.groups.try_emplace(attrs).first;
      PrefixQueue& queue = group->second;
      pending_count_ -= queue.size();
      ApplyTo(queue, edit);
      pending_count_ += queue.size();
      if (queue.empty()) {
        fp.groups.erase(group);
      } else {
        fp.heads.emplace(queue.head(), attrs);
      }
    }
  }
}

void AdjRibOut::SetDesired(RibOut desired) {
  // Only a prefix in the old or the new table can change state; walk both
  // together in prefix order, so that every edit list comes out sorted.
  Edits edits;
  auto o = desired_.begin();
  auto n = desired.begin();
  while (o != desired_.end() || n != desired.end()) {
    const core::Prefix* prefix;
    const RouteAttributes* before = nullptr;  // old desired entry
    const RouteAttributes* after = nullptr;   // new desired entry
    if (n == desired.end() || (o != desired_.end() && o->first < n->first)) {
      prefix = &o->first;
      before = &o->second;
      ++o;
    } else if (o == desired_.end() || n->first < o->first) {
      prefix = &n->first;
      after = &n->second;
      ++n;
    } else {
      prefix = &n->first;
      before = &o->second;
      after = &n->second;
      ++o;
      ++n;
    }
    const bool was = IsPending(*prefix, before);
    auto sent = sent_.find(*prefix);
    bool will = was || (before != nullptr && after == nullptr);  // removed: withdraw
    if (after != nullptr && (sent == sent_.end() || sent->second != *after)) will = true;
    // Never sent and no longer desired: nothing to tell the peer (e.g. added
    // and removed again before it went out).
    if (after == nullptr && sent == sent_.end()) will = false;
    if (was && will && before != nullptr && after != nullptr && *before == *after) continue;
    if (was) EditOf(edits, *prefix, before).remove.push_back(*prefix);
    if (will) EditOf(edits, *prefix, after).add.push_back(*prefix);
  }
  Apply(edits);
  desired_ = std::move(desired);
}

void AdjRibOut::Reset() {
  sent_.clear();
  pending_ = {};
  pending_count_ = 0;
  Edits edits;
  for (const auto& [prefix, attrs] : desired_) EditOf(edits, prefix, &attrs).add.push_back(prefix);
  Apply(edits);
}

void AdjRibOut::Refresh(wb::AfiSafi family) {
  Edits edits;
  for (const auto& [prefix, attrs] : desired_) {
    if (FamilyOf(prefix) == family) EditOf(edits, prefix, &attrs).add.push_back(prefix);
  }
  Apply(edits);
}

bool AdjRibOut::HasPending(const UpdateContext& context,
                           std::optional<core::IpFamily> family) const {
  for (core::IpFamily f : kFamilies) {
    if (family && f != *family) continue;
    const FamilyPending& fp = pending_[Index(f)];
    if (context.Usable(f) && (!fp.withdrawals.empty() || !fp.groups.empty())) return true;
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
  // The family of the smallest usable pending withdrawal goes first.
  PrefixQueue* from = nullptr;
  core::IpFamily family = core::IpFamily::kV4;
  for (core::IpFamily f : kFamilies) {
    PrefixQueue& w = pending_[Index(f)].withdrawals;
    if (w.empty() || !context.Usable(f)) continue;
    if (from == nullptr || w.head() < from->head()) {
      from = &w;
      family = f;
    }
  }
  if (from == nullptr) return std::nullopt;
  size_t size = kUpdateOverhead;
  // RFC 4760 4: IPv6 withdrawals travel in MP_UNREACH_NLRI (3 + AFI/SAFI).
  if (family == core::IpFamily::kV6) size += 4 + 3 + kExtendedLengthSlack;
  std::vector<core::Prefix> chosen;
  for (size_t i = from->front; i < from->items.size(); ++i) {
    const core::Prefix& p = from->items[i];
    if (size + PrefixWireSize(p) > limit) break;
    size += PrefixWireSize(p);
    chosen.push_back(p);
  }
  if (chosen.empty()) return std::nullopt;
  from->front += chosen.size();
  Compact(*from);
  pending_count_ -= chosen.size();
  for (const auto& p : chosen) sent_.erase(p);
  wb::UpdateMessage update;
  if (family == core::IpFamily::kV4) {
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
  // The attribute set of the smallest usable pending announcement goes next;
  // the others wait for later UPDATEs (RFC 4271 9.2).
  FamilyPending* from = nullptr;
  core::IpFamily family = core::IpFamily::kV4;
  for (core::IpFamily f : kFamilies) {
    FamilyPending& fp = pending_[Index(f)];
    if (fp.heads.empty() || !context.Usable(f)) continue;
    if (from == nullptr || fp.heads.begin()->first < from->heads.begin()->first) {
      from = &fp;
      family = f;
    }
  }
  if (from == nullptr) return std::nullopt;
  const auto group = from->groups.find(from->heads.begin()->second);
  const RouteAttributes& key = group->first;
  PrefixQueue& queue = group->second;
  wb::UpdateMessage update;
  update.attributes = OriginatedAttributes(key, family, context);
  size_t size =
      kUpdateOverhead + AttributesSize(update.attributes, context.options) + kExtendedLengthSlack;
  std::vector<core::Prefix> chosen;
  for (size_t i = queue.front; i < queue.items.size(); ++i) {
    const core::Prefix& p = queue.items[i];
    if (size + PrefixWireSize(p) > limit) break;
    size += PrefixWireSize(p);
    chosen.push_back(p);
  }
  if (chosen.empty()) return std::nullopt;
  // chosen is in prefix order: each insertion goes right after the last one.
  auto hint = sent_.lower_bound(chosen.front());
  for (const auto& p : chosen) hint = std::next(sent_.insert_or_assign(hint, p, key));
  pending_count_ -= chosen.size();
  from->heads.erase(from->heads.begin());
  queue.front += chosen.size();
  if (queue.empty()) {
    from->groups.erase(group);
  } else {
    Compact(queue);
    from->heads.emplace(queue.head(), key);
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
