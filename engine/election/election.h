// Layer 2 leader election: which node announces each LoadBalancer service's
// IPs, chosen exactly as MetalLB's speaker chooses (speaker/
// layer2_controller.go), so vipcast and MetalLB speakers in one cluster agree.
//
// Rules, for a service that takes part (TakesPartInElection):
//  - nobody announces when its ingress IPs are not all in one pool, when no
//    endpoint anywhere can serve (even with externalTrafficPolicy Cluster),
//    when no L2Advertisement of the pool matches the service, or when it has
//    allow-shared-ip and one of those advertisements has serviceSelectors;
//  - otherwise the candidates are live members that have a Node object, no
//    NetworkUnavailable=True condition, no exclude-from-external-load-balancers
//    label (unless ignored), are selected by one of those advertisements and,
//    with externalTrafficPolicy Local, host a serving endpoint;
//  - candidates are ordered by summed preferredNodeSelectors weight
//    (descending), then sha256(node + "#" + first IP) ascending; the first
//    announces. Dual-stack services follow their first IP.
//
// Incremental: each VIP keeps the order of its membership-independent
// eligible nodes (VipOrder) and every node keeps the list of (VIP, position)
// pairs where it appears. A membership change visits only that node's list;
// node, service and configuration changes redo only what they touch and then
// rebuild the node lists in one linear pass.
//
// Invariant: after every call, Explain() of every service equals
// ElectFromScratch() over the same inputs (tested by a property).
// Deterministic: results depend only on the inputs and the call sequence.
#pragma once

#include <map>
#include <optional>
#include <set>
#include <string>
#include <string_view>
#include <vector>

#include "engine/config/model.h"
#include "engine/core/node_name.h"
#include "engine/election/ad_group.h"
#include "engine/election/candidate_hash.h"
#include "engine/election/node_table.h"
#include "engine/election/options.h"
#include "engine/election/result.h"
#include "engine/election/vip_order.h"

namespace vipcast::election {

class Election {
 public:
  explicit Election(ElectionOptions options = {});

  // Each setter replaces that part of the inputs and returns the services
  // whose winner changed, ordered by service key.
  std::vector<WinnerChange> SetConfig(const config::ClusterConfig& config);
  std::vector<WinnerChange> SetNodes(const config::NodeSet& nodes);
  std::vector<WinnerChange> SetServices(const config::ServiceSet& services);
  std::vector<WinnerChange> SetMembers(const std::set<core::NodeName>& live);
  std::vector<WinnerChange> MemberChanged(const core::NodeName& node, bool alive);

  // Services taking part, by key "namespace/name".
  std::vector<std::string> Services() const;
  std::optional<std::string> Winner(std::string_view service) const;
  std::optional<std::string> NextInLine(std::string_view service) const;
  // The full answer for one service; nullopt when it doesn't take part.
  std::optional<ElectionResult> Explain(std::string_view service) const;
  std::vector<ElectionResult> ExplainAll() const;
  // The winners that `self` would replace: of services where self is next in
  // line. Membership probes these nodes more often, since their failure is
  // the one that makes `self` start announcing. Sorted, unique.
  std::vector<std::string> WatchTargets(const core::NodeName& self) const;

 private:
  struct Vip {
    std::string key;
    config::Service service;  // inputs, kept to detect changes
    std::vector<config::EndpointSlice> slices;
    std::string ip_string;  // GoIpString(first ingress IP)
    std::string pool;
    std::optional<VipStatus> blocked;    // a service-wide reason: nobody announces
    const AdGroup* group = nullptr;      // set unless blocked before the lookup
    bool local = false;                  // externalTrafficPolicy Local
    std::vector<NodeId> endpoint_nodes;  // serving endpoints, sorted
    VipOrder order;
  };
  struct IndexEntry {
    uint32_t vip;
    uint32_t pos;
  };
  struct Announcement {
    std::vector<core::IpAddr> ips;
    std::optional<std::string> winner;
  };
  using Winners = std::map<std::string, Announcement>;
  // The winner position of every VIP a batch of membership changes touched,
  // as it was before the batch (orders don't move during a batch).
  struct MemberBatch {
    explicit MemberBatch(size_t vips) : seen(vips, 0), before(vips, 0) {}
    std::vector<uint8_t> seen;
    std::vector<uint32_t> before;
    std::vector<uint32_t> touched;
  };

  Vip BuildVip(const config::Service& service,
               const std::vector<const config::EndpointSlice*>& slices);
  void OrderVip(Vip& vip);
  bool Eligible(const Vip& vip, NodeId id) const;
  bool Precedes(const Vip& vip, const OrderEntry& a, const OrderEntry& b);
  OrderEntry EntryFor(const Vip& vip, NodeId id);
  std::optional<ExclusionReason> ExclusionFor(const Vip& vip, NodeId id) const;
  ElectionResult ExplainVip(const Vip& vip) const;
  const Vip* FindVip(std::string_view service) const;
  void RebuildIndex();
  void RetainGroups();
  Winners CurrentWinners() const;
  std::vector<WinnerChange> ChangesSince(const Winners& before) const;
  NodeId InternNode(std::string_view name);
  void ApplyMember(NodeId id, bool alive, MemberBatch* batch);
  std::vector<WinnerChange> ChangesOf(MemberBatch& batch) const;
  std::optional<std::string> NameOf(std::optional<NodeId> id) const;

  ElectionOptions options_;
  config::ClusterConfig config_;
  NodeTable nodes_;
  AdGroups groups_;
  CandidateHasher hasher_;
  std::vector<Vip> vips_;                       // sorted by key
  std::vector<std::vector<IndexEntry>> index_;  // by node id: where it sits in VIP orders
};

}  // namespace vipcast::election
