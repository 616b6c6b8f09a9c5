#include "engine/election/election.h"

#include <algorithm>

#include "engine/election/endpoints.h"
#include "engine/election/service_scope.h"

namespace vipcast::election {

Election::Election(ElectionOptions options) : options_(std::move(options)) {}

// ---------------------------------------------------------------- building

NodeId Election::InternNode(std::string_view name) {
  const NodeId id = nodes_.Intern(name);
  if (index_.size() < nodes_.size()) index_.resize(nodes_.size());
  return id;
}

Election::Vip Election::BuildVip(const config::Service& service,
                                 const std::vector<const config::EndpointSlice*>& slices) {
  Vip vip;
  vip.key = service.meta.Key();
  vip.service = service;
  for (const auto* slice : slices) vip.slices.push_back(*slice);
  vip.ip_string = GoIpString(service.ingress_ips.front());
  vip.local = service.external_traffic_policy == config::TrafficPolicy::kLocal;
  // Service-wide checks in MetalLB's order, as in ElectFromScratch.
  const config::IPAddressPool* pool = PoolFor(config_.pools, service.ingress_ips);
  if (pool == nullptr) {
    vip.blocked = VipStatus::kIpNotInAnyPool;
  } else {
    vip.pool = pool->meta.name;
    for (const auto& name : NodesWithServingEndpoint(slices)) {
      vip.endpoint_nodes.push_back(InternNode(name));
    }
    std::sort(vip.endpoint_nodes.begin(), vip.endpoint_nodes.end());
    if (!AnyServingEndpoint(slices)) {
      vip.blocked = VipStatus::kNoServingEndpoint;
    } else if (AdvertisementSet ads = AdvertisementsFor(config_, *pool, service); ads.empty()) {
      vip.blocked = VipStatus::kNoL2Advertisement;
    } else {
      vip.group = groups_.Get(ads, config_, nodes_);
      if (SharedIpConflict(config_, ads, service)) {
        vip.blocked = VipStatus::kSharedIpWithServiceSelector;
      }
    }
  }
  OrderVip(vip);
  return vip;
}

bool Election::Eligible(const Vip& vip, NodeId id) const {
  if (vip.blocked || !nodes_.PassesNodeRules(id) || !vip.group->Selects(id)) return false;
  return !vip.local || std::binary_search(vip.endpoint_nodes.begin(), vip.endpoint_nodes.end(), id);
}

OrderEntry Election::EntryFor(const Vip& vip, NodeId id) {
  return {DigestPrefix(hasher_.Hash(nodes_.Name(id), vip.ip_string)), id};
}

// The election order: score descending, then the digest ascending. The stored
// prefix settles the digest comparison unless the first four bytes tie; then
// the full digests are recomputed, so the order is exactly MetalLB's.
bool Election::Precedes(const Vip& vip, const OrderEntry& a, const OrderEntry& b) {
  const int64_t score_a = vip.group->ScoreOf(a.node);
  const int64_t score_b = vip.group->ScoreOf(b.node);
  if (score_a != score_b) return score_a > score_b;
  if (a.prefix != b.prefix) return a.prefix < b.prefix;
  const Digest da = hasher_.Hash(nodes_.Name(a.node), vip.ip_string);
  const Digest db = hasher_.Hash(nodes_.Name(b.node), vip.ip_string);
  if (da != db) return da < db;
  return nodes_.Name(a.node) < nodes_.Name(b.node);
}

void Election::OrderVip(Vip& vip) {
  std::vector<OrderEntry> entries;
  if (!vip.blocked) {
    for (NodeId id : nodes_.WithNodeObject()) {
      if (Eligible(vip, id)) entries.push_back(EntryFor(vip, id));
    }
    std::sort(entries.begin(), entries.end(),
              [&](const OrderEntry& a, const OrderEntry& b) { return Precedes(vip, a, b); });
  }
  vip.order.Assign(std::move(entries), nodes_.LiveBits());
}

void Election::RebuildIndex() {
  index_.resize(nodes_.size());
  for (auto& entries : index_) entries.clear();
  for (uint32_t v = 0; v < vips_.size(); ++v) {
    const auto& entries = vips_[v].order.entries();
    for (uint32_t pos = 0; pos < entries.size(); ++pos) {
      index_[entries[pos].node].push_back({v, pos});
    }
  }
}

void Election::RetainGroups() {
  std::vector<const AdGroup*> used;
  for (const auto& vip : vips_) {
    if (vip.group != nullptr) used.push_back(vip.group);
  }
  groups_.Retain(used);
}

// ---------------------------------------------------------------- change reports

std::optional<std::string> Election::NameOf(std::optional<NodeId> id) const {
  if (!id) return std::nullopt;
  return nodes_.Name(*id);
}

Election::Winners Election::CurrentWinners() const {
  Winners out;
  for (const auto& vip : vips_) {
    out.emplace(vip.key, Announcement{vip.service.ingress_ips, NameOf(vip.order.Winner())});
  }
  return out;
}

std::vector<WinnerChange> Election::ChangesSince(const Winners& before) const {
  const Winners after = CurrentWinners();
  std::vector<WinnerChange> changes;
  auto b = before.begin();
  auto a = after.begin();
  // A merge of two maps sorted by key: services present on one side only
  // changed from or to "nobody".
  while (b != before.end() || a != after.end()) {
    if (a == after.end() || (b != before.end() && b->first < a->first)) {
      if (b->second.winner) changes.push_back({b->first, b->second.ips, b->second.winner, {}});
      ++b;
    } else if (b == before.end() || a->first < b->first) {
      if (a->second.winner) changes.push_back({a->first, a->second.ips, {}, a->second.winner});
      ++a;
    } else {
      if (a->second.winner != b->second.winner) {
        changes.push_back({a->first, a->second.ips, b->second.winner, a->second.winner});
      }
      ++a;
      ++b;
    }
  }
  return changes;
}

// ---------------------------------------------------------------- setters

std::vector<WinnerChange> Election::SetConfig(const config::ClusterConfig& config) {
  const Winners before = CurrentWinners();
  config_ = config;
  groups_.Clear();
  for (auto& vip : vips_) {
    // The stored inputs are moved out first: BuildVip reads the slices
    // through pointers while it fills the new Vip.
    const config::Service service = std::move(vip.service);
    const std::vector<config::EndpointSlice> slices = std::move(vip.slices);
    std::vector<const config::EndpointSlice*> pointers;
    for (const auto& slice : slices) pointers.push_back(&slice);
    vip = BuildVip(service, pointers);
  }
  RebuildIndex();
  return ChangesSince(before);
}

std::vector<WinnerChange> Election::SetNodes(const config::NodeSet& nodes) {
  const Winners before = CurrentWinners();
  const std::vector<NodeId> changed = nodes_.SetNodes(nodes, options_);
  if (index_.size() < nodes_.size()) index_.resize(nodes_.size());
  if (changed.empty()) return {};
  groups_.UpdateNodes(config_, nodes_, changed);
  // Moving one node costs a hash and a shift of the list per VIP; re-sorting
  // costs a hash per node per VIP. Past a few changed nodes re-sorting wins.
  const bool resort = changed.size() * 8 > nodes_.WithNodeObject().size();
  for (auto& vip : vips_) {
    if (vip.blocked) continue;
    if (resort) {
      OrderVip(vip);
      continue;
    }
    // All changed nodes leave before any comes back: their scores are already
    // the new ones, so an entry left in place could sit out of order and
    // mislead the binary search of the insertions.
    for (NodeId id : changed) vip.order.Erase(id);
    for (NodeId id : changed) {
      if (Eligible(vip, id)) {
        vip.order.Insert(EntryFor(vip, id), [&](const OrderEntry& a, const OrderEntry& b) {
          return Precedes(vip, a, b);
        });
      }
    }
    vip.order.RecomputePositions(nodes_.LiveBits());
  }
  RebuildIndex();
  return ChangesSince(before);
}

std::vector<WinnerChange> Election::SetServices(const config::ServiceSet& services) {
  const Winners before = CurrentWinners();
  const SlicesByService slices = GroupSlicesByService(services.endpoint_slices);
  std::map<std::string, const config::Service*> participants;
  for (const auto& service : services.services) {
    if (TakesPartInElection(service, options_)) participants.emplace(service.meta.Key(), &service);
  }
  static const std::vector<const config::EndpointSlice*> kNoSlices;
  std::vector<Vip> next;
  next.reserve(participants.size());
  size_t old = 0;
  for (const auto& [key, service] : participants) {
    while (old < vips_.size() && vips_[old].key < key) ++old;
    auto found = slices.find(key);
    const auto& own = found == slices.end() ? kNoSlices : found->second;
    const bool unchanged =
        old < vips_.size() && vips_[old].key == key && vips_[old].service == *service &&
        std::equal(
            vips_[old].slices.begin(), vips_[old].slices.end(), own.begin(), own.end(),
            [](const config::EndpointSlice& a, const config::EndpointSlice* b) { return a == *b; });
    next.push_back(unchanged ? std::move(vips_[old]) : BuildVip(*service, own));
  }
  vips_ = std::move(next);
  RetainGroups();
  RebuildIndex();
  return ChangesSince(before);
}

// ---------------------------------------------------------------- membership

void Election::ApplyMember(NodeId id, bool alive, MemberBatch* batch) {
  if (nodes_.Live(id) == alive) return;
  nodes_.SetLive(id, alive);
  for (const IndexEntry& e : index_[id]) {
    VipOrder& order = vips_[e.vip].order;
    if (!batch->seen[e.vip]) {
      batch->seen[e.vip] = 1;
      batch->before[e.vip] = order.winner_pos();
      batch->touched.push_back(e.vip);
    }
    if (alive) {
      order.MemberUp(e.pos);
    } else {
      order.MemberDown(e.pos, nodes_.LiveBits());
    }
  }
}

std::vector<WinnerChange> Election::ChangesOf(MemberBatch& batch) const {
  // One member's index is already in VIP order; only batches need sorting.
  if (!std::is_sorted(batch.touched.begin(), batch.touched.end())) {
    std::sort(batch.touched.begin(), batch.touched.end());
  }
  std::vector<WinnerChange> changes;
  for (uint32_t v : batch.touched) {
    const Vip& vip = vips_[v];
    const uint32_t before = batch.before[v];
    // Membership never reorders entries, so the same position is the same node.
    if (before == vip.order.winner_pos()) continue;
    std::optional<std::string> previous;
    if (before != VipOrder::kNone) previous = nodes_.Name(vip.order.entries()[before].node);
    changes.push_back({vip.key, vip.service.ingress_ips, previous, NameOf(vip.order.Winner())});
  }
  return changes;
}

std::vector<WinnerChange> Election::MemberChanged(const core::NodeName& node, bool alive) {
  MemberBatch batch(vips_.size());
  ApplyMember(InternNode(node.str()), alive, &batch);
  return ChangesOf(batch);
}

std::vector<WinnerChange> Election::SetMembers(const std::set<core::NodeName>& live) {
  std::set<std::string, std::less<>> names;
  for (const auto& name : live) {
    InternNode(name.str());
    names.insert(name.str());
  }
  MemberBatch batch(vips_.size());
  for (const auto& [name, id] : nodes_.ByName()) ApplyMember(id, names.count(name) != 0, &batch);
  return ChangesOf(batch);
}

// ---------------------------------------------------------------- queries

const Election::Vip* Election::FindVip(std::string_view service) const {
  auto it = std::lower_bound(vips_.begin(), vips_.end(), service,
                             [](const Vip& v, std::string_view key) { return v.key < key; });
  return it != vips_.end() && it->key == service ? &*it : nullptr;
}

std::vector<std::string> Election::Services() const {
  std::vector<std::string> out;
  for (const auto& vip : vips_) out.push_back(vip.key);
  return out;
}

std::optional<std::string> Election::Winner(std::string_view service) const {
  const Vip* vip = FindVip(service);
  return vip == nullptr ? std::nullopt : NameOf(vip->order.Winner());
}

std::optional<std::string> Election::NextInLine(std::string_view service) const {
  const Vip* vip = FindVip(service);
  return vip == nullptr ? std::nullopt : NameOf(vip->order.NextInLine());
}

std::optional<ExclusionReason> Election::ExclusionFor(const Vip& vip, NodeId id) const {
  // The same rule order as ElectFromScratch's.
  if (!nodes_.Live(id)) return ExclusionReason::kNotLiveMember;
  if (nodes_.NodeObject(id) == nullptr) return ExclusionReason::kNoNodeObject;
  if (auto failure = nodes_.RuleFailure(id)) return failure;
  if (vip.blocked) return ReasonFor(*vip.blocked);
  if (!vip.group->Selects(id)) return ExclusionReason::kNotSelectedByAdvertisement;
  if (vip.local && !std::binary_search(vip.endpoint_nodes.begin(), vip.endpoint_nodes.end(), id)) {
    return ExclusionReason::kNoLocalEndpoint;
  }
  return std::nullopt;
}

ElectionResult Election::ExplainVip(const Vip& vip) const {
  ElectionResult r;
  r.service = vip.key;
  r.ips = vip.service.ingress_ips;
  r.pool = vip.pool;
  for (const OrderEntry& e : vip.order.entries()) {
    if (nodes_.Live(e.node))
      r.candidates.push_back({nodes_.Name(e.node), vip.group->ScoreOf(e.node)});
  }
  r.winner = NameOf(vip.order.Winner());
  r.next_in_line = NameOf(vip.order.NextInLine());
  r.status =
      vip.blocked ? *vip.blocked : (r.winner ? VipStatus::kAnnounced : VipStatus::kNoLiveCandidate);
  for (const auto& [name, id] : nodes_.ByName()) {
    if (!nodes_.Live(id) && nodes_.NodeObject(id) == nullptr) continue;  // only an endpoint's
    if (auto reason = ExclusionFor(vip, id)) r.excluded.push_back({name, *reason});
  }
  return r;
}

std::optional<ElectionResult> Election::Explain(std::string_view service) const {
  const Vip* vip = FindVip(service);
  if (vip == nullptr) return std::nullopt;
  return ExplainVip(*vip);
}

std::vector<ElectionResult> Election::ExplainAll() const {
  std::vector<ElectionResult> out;
  out.reserve(vips_.size());
  for (const auto& vip : vips_) out.push_back(ExplainVip(vip));
  return out;
}

std::vector<std::string> Election::WatchTargets(const core::NodeName& self) const {
  std::vector<std::string> out;
  const auto id = nodes_.Find(self.str());
  if (!id || *id >= index_.size()) return out;
  for (const IndexEntry& e : index_[*id]) {
    const VipOrder& order = vips_[e.vip].order;
    if (e.pos == order.next_pos())
      out.push_back(nodes_.Name(order.entries()[order.winner_pos()].node));
  }
  std::sort(out.begin(), out.end());
  out.erase(std::unique(out.begin(), out.end()), out.end());
  return out;
}

}  // namespace vipcast::election
