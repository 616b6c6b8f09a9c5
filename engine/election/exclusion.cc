#include "engine/election/exclusion.h"

#include <cassert>

namespace vipcast::election {

std::string Describe(VipStatus status, std::string_view pool) {
  const std::string p(pool);
  switch (status) {
    case VipStatus::kAnnounced:
      return "announced";
    case VipStatus::kNoLiveCandidate:
      return "no eligible node is a live member";
    case VipStatus::kIpNotInAnyPool:
      return "ingress IPs are not all in one IPAddressPool";
    case VipStatus::kNoServingEndpoint:
      return "no ready endpoint on any node";
    case VipStatus::kNoL2Advertisement:
      return "no L2Advertisement for pool " + p + " matches the service";
    case VipStatus::kSharedIpWithServiceSelector:
      return "allow-shared-ip service with an L2Advertisement that has serviceSelectors";
  }
  return "unknown";
}

std::string Describe(ExclusionReason reason, std::string_view pool) {
  const std::string p(pool);
  switch (reason) {
    case ExclusionReason::kNotLiveMember:
      return "not a live member";
    case ExclusionReason::kNoNodeObject:
      return "no Node object";
    case ExclusionReason::kNetworkUnavailable:
      return "condition NetworkUnavailable=True";
    case ExclusionReason::kExcludeLabel:
      return std::string("label ") + kLabelExcludeFromExternalLoadBalancers;
    case ExclusionReason::kIpNotInAnyPool:
      return Describe(VipStatus::kIpNotInAnyPool, pool);
    case ExclusionReason::kNoServingEndpoint:
      return Describe(VipStatus::kNoServingEndpoint, pool);
    case ExclusionReason::kNoL2Advertisement:
      return Describe(VipStatus::kNoL2Advertisement, pool);
    case ExclusionReason::kSharedIpWithServiceSelector:
      return Describe(VipStatus::kSharedIpWithServiceSelector, pool);
    case ExclusionReason::kNotSelectedByAdvertisement:
      return "not selected by any L2Advertisement for pool " + p;
    case ExclusionReason::kNoLocalEndpoint:
      return "no ready endpoint (externalTrafficPolicy Local)";
  }
  return "unknown";
}

std::string_view Code(VipStatus status) {
  switch (status) {
    case VipStatus::kAnnounced:
      return "announced";
    case VipStatus::kNoLiveCandidate:
      return "no-live-candidate";
    case VipStatus::kIpNotInAnyPool:
      return "ip-not-in-any-pool";
    case VipStatus::kNoServingEndpoint:
      return "no-serving-endpoint";
    case VipStatus::kNoL2Advertisement:
      return "no-l2-advertisement";
    case VipStatus::kSharedIpWithServiceSelector:
      return "shared-ip-with-service-selector";
  }
  return "unknown";
}

std::string_view Code(ExclusionReason reason) {
  switch (reason) {
    case ExclusionReason::kNotLiveMember:
      return "not-live-member";
    case ExclusionReason::kNoNodeObject:
      return "no-node-object";
    case ExclusionReason::kNetworkUnavailable:
      return "network-unavailable";
    case ExclusionReason::kExcludeLabel:
      return "exclude-label";
    case ExclusionReason::kIpNotInAnyPool:
      return "ip-not-in-any-pool";
    case ExclusionReason::kNoServingEndpoint:
      return "no-serving-endpoint";
    case ExclusionReason::kNoL2Advertisement:
      return "no-l2-advertisement";
    case ExclusionReason::kSharedIpWithServiceSelector:
      return "shared-ip-with-service-selector";
    case ExclusionReason::kNotSelectedByAdvertisement:
      return "not-selected-by-advertisement";
    case ExclusionReason::kNoLocalEndpoint:
      return "no-local-endpoint";
  }
  return "unknown";
}

ExclusionReason ReasonFor(VipStatus status) {
  switch (status) {
    case VipStatus::kIpNotInAnyPool:
      return ExclusionReason::kIpNotInAnyPool;
    case VipStatus::kNoServingEndpoint:
      return ExclusionReason::kNoServingEndpoint;
    case VipStatus::kNoL2Advertisement:
      return ExclusionReason::kNoL2Advertisement;
    case VipStatus::kSharedIpWithServiceSelector:
      return ExclusionReason::kSharedIpWithServiceSelector;
    case VipStatus::kAnnounced:
    case VipStatus::kNoLiveCandidate:
      break;
  }
  assert(false && "status has no per-node reason");
  return ExclusionReason::kNotSelectedByAdvertisement;
}

}  // namespace vipcast::election
