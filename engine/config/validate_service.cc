// Service rules from MetalLB's controller (controller/service.go
// getDesiredLbIPs): the requested IPs come from the metallb.io/loadBalancerIPs
// annotation (comma separated, each trimmed; at most one per family) or from
// the deprecated spec.loadBalancerIP, never both.
#include <algorithm>

#include "engine/config/scalar.h"
#include "engine/config/validate.h"

namespace vipcast::config::detail {
namespace {

constexpr std::string_view kKind = "Service";

std::string AnnotationField(const std::string& key) {
  return "metadata.annotations[" + Quote(key) + "]";
}

std::string Trim(std::string_view s) {
  while (!s.empty() && (s.front() == ' ' || s.front() == '\t')) s.remove_prefix(1);
  while (!s.empty() && (s.back() == ' ' || s.back() == '\t')) s.remove_suffix(1);
  return std::string(s);
}

// Which key Service::Annotation(suffix) reads: the stable one whenever it is
// present (even empty), else the deprecated twin.
std::string AnnotationKey(const Service& svc, const std::string& suffix) {
  const std::string stable = "metallb.io/" + suffix;
  if (svc.meta.annotations.count(stable) != 0) return stable;
  return kDeprecatedAnnotationPrefix + suffix;
}

void CheckRequestedIps(const Service& svc, Reporter& report) {
  const auto annotation = svc.Annotation("loadBalancerIPs");
  const std::string key = AnnotationKey(svc, "loadBalancerIPs");
  if (annotation && !annotation->empty() && !svc.load_balancer_ip.empty()) {
    // MetalLB: "service can not have both metallb.io/loadBalancerIPs and
    // svc.Spec.LoadBalancerIP"; it then assigns neither.
    report.Error(kKind, svc.meta, "spec.loadBalancerIP",
                 "cannot be used together with the " + key + " annotation");
  }
  if (!svc.load_balancer_ip.empty()) {
    if (auto ip = core::IpAddr::Parse(svc.load_balancer_ip); !ip) {
      report.Error(kKind, svc.meta, "spec.loadBalancerIP", ip.error());
    }
  }
  if (!annotation || annotation->empty()) return;
  std::vector<core::IpAddr> ips;
  size_t start = 0;
  while (start <= annotation->size()) {
    size_t comma = annotation->find(',', start);
    if (comma == std::string::npos) comma = annotation->size();
    const std::string item = Trim(std::string_view(*annotation).substr(start, comma - start));
    start = comma + 1;
    auto ip = core::IpAddr::Parse(item);
    if (!ip) {
      report.Error(kKind, svc.meta, AnnotationField(key), ip.error());
      continue;
    }
    ips.push_back(*ip);
  }
  if (ips.size() > 2) {
    report.Error(kKind, svc.meta, AnnotationField(key),
                 std::to_string(ips.size()) +
                     " addresses requested; at most two (one IPv4 and one "
                     "IPv6) are allowed");
  } else if (ips.size() == 2 && ips[0].family() == ips[1].family()) {
    report.Error(kKind, svc.meta, AnnotationField(key),
                 "two " + std::string(core::ToString(ips[0].family())) +
                     " addresses requested; a dual-stack request needs one IPv4 and one IPv6 "
                     "address");
  }
}

void CheckDeprecatedAnnotations(const Service& svc, Reporter& report) {
  const std::string prefix = kDeprecatedAnnotationPrefix;
  for (const auto& [key, value] : svc.meta.annotations) {
    if (key.rfind(prefix, 0) != 0) continue;
    const std::string stable = "metallb.io/" + key.substr(prefix.size());
    std::string message = "deprecated; use " + stable;
    if (svc.meta.annotations.count(stable) != 0) message += " (which is also set, and wins)";
    report.Warning(kKind, svc.meta, AnnotationField(key), std::move(message));
  }
}

void CheckPool(const Service& svc, const ClusterConfig& config, Reporter& report) {
  const auto pool = svc.Annotation("address-pool");
  if (!pool || pool->empty() || config.pools.empty()) return;
  const bool found = std::any_of(config.pools.begin(), config.pools.end(),
                                 [&](const IPAddressPool& p) { return p.meta.name == *pool; });
  if (!found) {
    // A warning, not an error: Services and pools are often validated from
    // different directories. MetalLB fails the allocation with `unknown pool`.
    report.Warning(kKind, svc.meta, AnnotationField(AnnotationKey(svc, "address-pool")),
                   "IPAddressPool " + Quote(*pool) +
                       " is not defined in these manifests; MetalLB will not allocate an address "
                       "(\"unknown pool\")");
  }
}

}  // namespace

void ValidateServices(const Resources& resources, Reporter& report) {
  for (const auto& svc : resources.services.services) {
    CheckRequestedIps(svc, report);
    CheckDeprecatedAnnotations(svc, report);
    CheckPool(svc, resources.config, report);
    if (svc.ip_family_policy == IpFamilyPolicy::kSingleStack && svc.ip_families.size() > 1) {
      report.Error(kKind, svc.meta, "spec.ipFamilies",
                   "ipFamilyPolicy SingleStack allows one IP family, got " +
                       std::to_string(svc.ip_families.size()));
    }
  }
}

}  // namespace vipcast::config::detail
