// Why a VIP is not announced at all, and why one node cannot announce it.
// The texts are what `vipcastctl elect` prints and what the speaker logs, so
// they name the Kubernetes field or object a user has to change.
#pragma once

#include <string>
#include <string_view>

namespace vipcast::election {

// The outcome for one service, before looking at any particular node. Every
// status but kAnnounced means that no node announces the service's IPs.
enum class VipStatus {
  kAnnounced,                    // a winner exists
  kNoLiveCandidate,              // rules allow nodes, but none of them is a live member
  kIpNotInAnyPool,               // MetalLB "ipNotAllowed": no pool holds every ingress IP
  kNoServingEndpoint,            // MetalLB: no endpoint anywhere can serve
  kNoL2Advertisement,            // no L2Advertisement covers the pool and the service
  kSharedIpWithServiceSelector,  // MetalLB "sharedIPWithServiceSelector"
};

// Why one node is not a candidate for one service. Listed in the order the
// rules are checked; a node is reported with the first rule it fails.
enum class ExclusionReason {
  kNotLiveMember,       // not in the live member set (memberlist, or ours)
  kNoNodeObject,        // a live member that no Node object describes
  kNetworkUnavailable,  // condition NetworkUnavailable=True
  kExcludeLabel,        // node.kubernetes.io/exclude-from-external-load-balancers
  kIpNotInAnyPool,      // the service-wide statuses, repeated per node
  kNoServingEndpoint,
  kNoL2Advertisement,
  kSharedIpWithServiceSelector,
  kNotSelectedByAdvertisement,  // no matching L2Advertisement's nodeSelectors pick the node
  kNoLocalEndpoint,             // externalTrafficPolicy Local and no ready endpoint here
};

inline constexpr char kLabelExcludeFromExternalLoadBalancers[] =
    "node.kubernetes.io/exclude-from-external-load-balancers";
inline constexpr char kConditionNetworkUnavailable[] = "NetworkUnavailable";

// Human text. `pool` is the service's pool name (empty when it has none).
std::string Describe(VipStatus status, std::string_view pool);
std::string Describe(ExclusionReason reason, std::string_view pool);
// Stable machine-readable names for JSON: "not-live-member", ...
std::string_view Code(VipStatus status);
std::string_view Code(ExclusionReason reason);

// The per-node reason a service-wide status implies (kAnnounced and
// kNoLiveCandidate have none and must not be passed).
ExclusionReason ReasonFor(VipStatus status);

}  // namespace vipcast::election
