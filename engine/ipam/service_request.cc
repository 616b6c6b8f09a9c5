#include "engine/ipam/service_request.h"

#include <algorithm>
#include <string_view>

namespace vipcast::ipam {
namespace {

using core::IpFamily;

IpFamily Other(IpFamily family) { return family == IpFamily::kV4 ? IpFamily::kV6 : IpFamily::kV4; }

std::string_view Trim(std::string_view s) {
  while (!s.empty() && (s.front() == ' ' || s.front() == '\t')) s.remove_prefix(1);
  while (!s.empty() && (s.back() == ' ' || s.back() == '\t')) s.remove_suffix(1);
  return s;
}

// The families the cluster gave the service, in order, without duplicates.
std::vector<IpFamily> ListedFamilies(const config::Service& service) {
  std::vector<IpFamily> listed;
  auto add = [&](IpFamily f) {
    if (std::find(listed.begin(), listed.end(), f) == listed.end()) listed.push_back(f);
  };
  if (!service.ip_families.empty()) {
    for (IpFamily f : service.ip_families) add(f);
  } else {
    for (const auto& ip : service.cluster_ips) add(ip.family());
  }
  return listed;
}

void DecideFamilies(const config::Service& service, ServiceRequest& request) {
  const std::vector<IpFamily> listed = ListedFamilies(service);
  const IpFamily primary = listed.empty() ? IpFamily::kV4 : listed.front();
  const auto policy = service.ip_family_policy.value_or(config::IpFamilyPolicy::kSingleStack);
  switch (policy) {
    case config::IpFamilyPolicy::kSingleStack:
      request.families = {primary};
      break;
    case config::IpFamilyPolicy::kPreferDualStack:
      request.families = listed.size() == 1 ? listed : std::vector{primary, Other(primary)};
      break;
    case config::IpFamilyPolicy::kRequireDualStack:
      request.families = {primary, Other(primary)};
      break;
  }
  if (request.families.size() == 1) {
    request.mode = StackMode::kSingle;
  } else {
    request.mode = policy == config::IpFamilyPolicy::kRequireDualStack ? StackMode::kRequireDual
                                                                       : StackMode::kPreferDual;
  }
}

// metallb.io/loadBalancerIPs: comma-separated, one address per family.
core::Result<std::vector<core::IpAddr>> ParseIpList(const std::string& value) {
  const std::string invalid = "invalid metallb.io/loadBalancerIPs: \"" + value + "\"";
  std::vector<core::IpAddr> ips;
  std::string_view rest = value;
  while (true) {
    const size_t comma = rest.find(',');
    auto parsed = core::IpAddr::Parse(Trim(rest.substr(0, comma)));
    if (!parsed) return core::MakeErr(invalid);
    ips.push_back(*parsed);
    if (comma == std::string_view::npos) break;
    rest.remove_prefix(comma + 1);
  }
  if (ips.size() > 2) {
    return core::MakeErr(invalid + ": at most two addresses, one per family");
  }
  if (ips.size() == 2 && ips[0].family() == ips[1].family()) {
    return core::MakeErr(invalid + ": two addresses must be one IPv4 and one IPv6");
  }
  return ips;
}

void DecideRequestedIps(const config::Service& service, ServiceRequest& request) {
  const std::string annotation = service.Annotation("loadBalancerIPs").value_or("");
  if (!annotation.empty() && !service.load_balancer_ip.empty()) {
    request.error =
        "service sets both metallb.io/loadBalancerIPs and spec.loadBalancerIP; use only one";
    return;
  }
  if (!annotation.empty()) {
    auto ips = ParseIpList(annotation);
    if (!ips) {
      request.error = ips.error();
      return;
    }
    request.requested_ips = *ips;
  } else if (!service.load_balancer_ip.empty()) {
    auto ip = core::IpAddr::Parse(Trim(service.load_balancer_ip));
    if (!ip) {
      request.error = "invalid spec.loadBalancerIP \"" + service.load_balancer_ip + "\"";
      return;
    }
    request.requested_ips = {*ip};
  }
  if (request.requested_ips.empty()) return;
  if (auto fits = CheckFamilies(request.requested_ips, request); !fits) {
    request.error = "requested IP(s) " + IpsText(request.requested_ips) + ": " + fits.error();
    request.requested_ips.clear();
    return;
  }
  request.requested_ips = PrimaryFirst(std::move(request.requested_ips), request);
}

SharingIdentity DecideSharing(const config::Service& service) {
  SharingIdentity identity;
  identity.sharing_key = service.Annotation("allow-shared-ip").value_or("");
  if (service.external_traffic_policy == config::TrafficPolicy::kLocal) {
    // Same text as Kubernetes labels.Set.String(): sorted "k=v" pairs.
    for (const auto& [key, value] : service.selector) {
      if (!identity.backend_key.empty()) identity.backend_key += ",";
      identity.backend_key += key + "=" + value;
    }
  }
  for (const auto& port : service.ports) identity.ports.insert({port.protocol, port.port});
  return identity;
}

std::string PolicyText(const ServiceRequest& request) {
  switch (request.mode) {
    case StackMode::kSingle:
      return std::string(core::ToString(request.families.front())) + " only";
    case StackMode::kPreferDual:
      return FamiliesText(request.families) + " (PreferDualStack: one or both)";
    case StackMode::kRequireDual:
      return FamiliesText(request.families) + " (RequireDualStack: both)";
  }
  return "";
}

}  // namespace

int ServiceRequest::ConstraintRank() const {
  if (!requested_ips.empty()) return 0;
  if (requested_pool) return 1;
  return 2;
}

bool IsManaged(const config::Service& service, const AllocatorOptions& options) {
  if (service.type != config::ServiceType::kLoadBalancer) return false;
  return service.load_balancer_class == options.load_balancer_class;
}

ServiceRequest DescribeRequest(const config::Service& service) {
  ServiceRequest request;
  DecideFamilies(service, request);
  if (auto pool = service.Annotation("address-pool"); pool && !pool->empty()) {
    request.requested_pool = *pool;
  }
  request.sharing = DecideSharing(service);
  DecideRequestedIps(service, request);
  return request;
}

core::Status<> CheckFamilies(const std::vector<core::IpAddr>& ips, const ServiceRequest& request) {
  bool families_ok = !ips.empty() && ips.size() <= request.families.size();
  if (ips.size() == 2 && ips[0].family() == ips[1].family()) families_ok = false;
  for (const auto& ip : ips) {
    if (std::find(request.families.begin(), request.families.end(), ip.family()) ==
        request.families.end()) {
      families_ok = false;
    }
  }
  if (request.mode == StackMode::kRequireDual && ips.size() != 2) families_ok = false;
  if (!families_ok) {
    return core::MakeErr("the service's IP families are " + PolicyText(request));
  }
  return core::Ok();
}

std::vector<core::IpAddr> PrimaryFirst(std::vector<core::IpAddr> ips,
                                       const ServiceRequest& request) {
  const IpFamily primary = request.families.front();
  std::stable_partition(ips.begin(), ips.end(),
                        [&](const core::IpAddr& ip) { return ip.family() == primary; });
  return ips;
}

std::string FamiliesText(const std::vector<core::IpFamily>& families) {
  std::string out;
  for (IpFamily f : families) {
    if (!out.empty()) out += " and ";
    out += core::ToString(f);
  }
  return out;
}

std::string IpsText(const std::vector<core::IpAddr>& ips) {
  std::string out;
  for (const auto& ip : ips) {
    if (!out.empty()) out += ", ";
    out += ip.ToString();
  }
  return out;
}

}  // namespace vipcast::ipam
