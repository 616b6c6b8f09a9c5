// What a Service asks of the allocator, derived once from its spec and
// annotations: the IP families, the requested IPs or pool, and its sharing
// identity.
//
// Families (a deliberate choice; MetalLB differs, see ALLOCATOR.md 1.1): the
// families are taken from spec.ipFamilies, which the API server keeps equal
// to the families of spec.clusterIPs, so on a live cluster this is the same
// as MetalLB's clusterIPs rule. Hand-written manifests often set only
// ipFamilies/ipFamilyPolicy, and users expect those to be honoured, so
// ipFamilies wins; clusterIPs are used only when ipFamilies is empty; with
// neither, the service is IPv4. Then spec.ipFamilyPolicy decides:
//   SingleStack (or unset): the primary family only.
//   PreferDualStack: the listed families (one on a single-stack cluster);
//     both, IPv4 first, when nothing is listed.
//   RequireDualStack: both families, primary first, even if only one is
//     listed (the API server would have added the other).
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "engine/config/model.h"
#include "engine/core/ip.h"
#include "engine/core/result.h"
#include "engine/ipam/options.h"
#include "engine/ipam/sharing.h"

namespace vipcast::ipam {

enum class StackMode { kSingle, kPreferDual, kRequireDual };

struct ServiceRequest {
  std::vector<core::IpFamily> families;  // primary first; one, or two for dual stack
  StackMode mode = StackMode::kSingle;   // kSingle whenever families has one entry
  // metallb.io/loadBalancerIPs or spec.loadBalancerIP, primary family first.
  std::vector<core::IpAddr> requested_ips;
  std::optional<std::string> requested_pool;  // metallb.io/address-pool
  // Non-empty when the request is malformed; the service then stays pending
  // (but keeps an address it already holds, as MetalLB does).
  std::string error;
  SharingIdentity sharing;

  // Most constrained first: services that name IPs, then a pool, then the
  // rest. Fresh allocations in a batch run in this order so that an
  // auto-assigned service never takes the IP another one explicitly asked for.
  int ConstraintRank() const;
};

// Whether the allocator handles this service at all: type LoadBalancer and
// the right loadBalancerClass.
bool IsManaged(const config::Service& service, const AllocatorOptions& options);

ServiceRequest DescribeRequest(const config::Service& service);

// Whether `ips` (requested or already held) are a valid set for the service:
// one per family, families the service uses, and as many as its policy needs
// (PreferDualStack accepts one or two).
core::Status<> CheckFamilies(const std::vector<core::IpAddr>& ips, const ServiceRequest& request);

// `ips` reordered so the service's primary family comes first.
std::vector<core::IpAddr> PrimaryFirst(std::vector<core::IpAddr> ips,
                                       const ServiceRequest& request);

// "IPv4", "IPv4 and IPv6".
std::string FamiliesText(const std::vector<core::IpFamily>& families);
// "10.0.0.1, 2001:db8::1".
std::string IpsText(const std::vector<core::IpAddr>& ips);

}  // namespace vipcast::ipam
