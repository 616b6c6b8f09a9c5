#include "engine/election/from_scratch.h"

#include <algorithm>
#include <map>

#include "engine/election/advertisements.h"
#include "engine/election/candidate_hash.h"
#include "engine/election/endpoints.h"
#include "engine/election/node_rules.h"
#include "engine/election/service_scope.h"

namespace vipcast::election {
namespace {

struct Context {
  explicit Context(const ElectionInputs& inputs)
      : in(inputs), slices(GroupSlicesByService(inputs.services.endpoint_slices)) {
    for (const auto& node : in.nodes.nodes) nodes.emplace(node.meta.name, &node);
  }
  const ElectionInputs& in;
  std::map<std::string, const config::Node*> nodes;  // first object per name
  SlicesByService slices;
  CandidateHasher hasher;
};

// Everything about one service that doesn't depend on the node examined.
struct ServiceView {
  const config::Service* service = nullptr;
  const config::IPAddressPool* pool = nullptr;
  AdvertisementSet ads;
  std::vector<std::string> endpoint_nodes;  // serving, sorted
  std::optional<VipStatus> blocked;         // a service-wide reason to announce nothing
};

ServiceView View(const Context& ctx, const config::Service& service) {
  ServiceView v;
  v.service = &service;
  // The order of MetalLB: SetBalancer's pool check, then ShouldAnnounce's
  // endpoint check, advertisement lookup and shared-IP check.
  v.pool = PoolFor(ctx.in.config.pools, service.ingress_ips);
  if (v.pool == nullptr) {
    v.blocked = VipStatus::kIpNotInAnyPool;
    return v;
  }
  static const std::vector<const config::EndpointSlice*> kNone;
  auto found = ctx.slices.find(service.meta.Key());
  const auto& slices = found == ctx.slices.end() ? kNone : found->second;
  v.endpoint_nodes = NodesWithServingEndpoint(slices);
  if (!AnyServingEndpoint(slices)) {
    v.blocked = VipStatus::kNoServingEndpoint;
    return v;
  }
  v.ads = AdvertisementsFor(ctx.in.config, *v.pool, service);
  if (v.ads.empty()) {
    v.blocked = VipStatus::kNoL2Advertisement;
  } else if (SharedIpConflict(ctx.in.config, v.ads, service)) {
    v.blocked = VipStatus::kSharedIpWithServiceSelector;
  }
  return v;
}

// The first rule `name` fails for this service, or nullopt for a candidate.
std::optional<ExclusionReason> ExclusionFor(const Context& ctx, const ServiceView& v,
                                            const std::string& name) {
  if (ctx.in.live_members.count(name) == 0) return ExclusionReason::kNotLiveMember;
  auto it = ctx.nodes.find(name);
  if (it == ctx.nodes.end()) return ExclusionReason::kNoNodeObject;
  const config::Node& node = *it->second;
  if (auto failure = NodeRuleFailure(node, ctx.in.options)) return failure;
  if (v.blocked) return ReasonFor(*v.blocked);
  if (!AnySelectsNode(ctx.in.config, v.ads, node)) {
    return ExclusionReason::kNotSelectedByAdvertisement;
  }
  if (v.service->external_traffic_policy == config::TrafficPolicy::kLocal &&
      !std::binary_search(v.endpoint_nodes.begin(), v.endpoint_nodes.end(), name)) {
    return ExclusionReason::kNoLocalEndpoint;
  }
  return std::nullopt;
}

// Live eligible members in election order: score descending, then the digest
// ascending (sortL2Candidates). Each digest is computed once per candidate
// rather than in the comparator as MetalLB does; the order is the same.
std::vector<Candidate> SortedCandidates(Context& ctx, const ServiceView& v) {
  if (v.blocked) return {};
  struct Keyed {
    int64_t score;
    Digest digest;
    const std::string* name;
  };
  const std::string ip = GoIpString(v.service->ingress_ips.front());
  std::vector<Keyed> keyed;
  for (const auto& name : ctx.in.live_members) {
    if (ExclusionFor(ctx, v, name)) continue;
    keyed.push_back(
        {Score(ctx.in.config, v.ads, *ctx.nodes.at(name)), ctx.hasher.Hash(name, ip), &name});
  }
  std::sort(keyed.begin(), keyed.end(), [](const Keyed& a, const Keyed& b) {
    if (a.score != b.score) return a.score > b.score;
    if (a.digest != b.digest) return a.digest < b.digest;
    return *a.name < *b.name;  // equal digests need equal names; keeps the order total
  });
  std::vector<Candidate> out;
  out.reserve(keyed.size());
  for (const auto& k : keyed) out.push_back({*k.name, k.score});
  return out;
}

// Services taking part, first object per key, ordered by key.
std::map<std::string, const config::Service*> Participants(const ElectionInputs& in) {
  std::map<std::string, const config::Service*> out;
  for (const auto& service : in.services.services) {
    if (TakesPartInElection(service, in.options)) out.emplace(service.meta.Key(), &service);
  }
  return out;
}

}  // namespace

std::vector<ElectionResult> ElectFromScratch(const ElectionInputs& inputs) {
  Context ctx(inputs);
  // Every name worth explaining: Node objects and live members.
  std::set<std::string> names(inputs.live_members.begin(), inputs.live_members.end());
  for (const auto& [name, node] : ctx.nodes) names.insert(name);

  std::vector<ElectionResult> results;
  for (const auto& [key, service] : Participants(inputs)) {
    const ServiceView v = View(ctx, *service);
    ElectionResult r;
    r.service = key;
    r.ips = service->ingress_ips;
    if (v.pool != nullptr) r.pool = v.pool->meta.name;
    r.candidates = SortedCandidates(ctx, v);
    if (!r.candidates.empty()) r.winner = r.candidates[0].node;
    if (r.candidates.size() > 1) r.next_in_line = r.candidates[1].node;
    r.status =
        v.blocked ? *v.blocked : (r.winner ? VipStatus::kAnnounced : VipStatus::kNoLiveCandidate);
    for (const auto& name : names) {
      if (auto reason = ExclusionFor(ctx, v, name)) r.excluded.push_back({name, *reason});
    }
    results.push_back(std::move(r));
  }
  return results;
}

std::vector<std::pair<std::string, std::optional<std::string>>> ElectWinnersFromScratch(
    const ElectionInputs& inputs) {
  Context ctx(inputs);
  std::vector<std::pair<std::string, std::optional<std::string>>> out;
  for (const auto& [key, service] : Participants(inputs)) {
    const auto candidates = SortedCandidates(ctx, View(ctx, *service));
    out.emplace_back(
        key, candidates.empty() ? std::nullopt : std::optional<std::string>(candidates[0].node));
  }
  return out;
}

}  // namespace vipcast::election
