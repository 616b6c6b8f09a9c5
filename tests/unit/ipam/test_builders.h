// Builders for allocator tests: pools, namespaces and services written as
// one-liners instead of YAML, so the tests do not depend on the loader.
#pragma once

#include <cassert>
#include <initializer_list>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "engine/config/model.h"
#include "engine/core/ip.h"
#include "engine/ipam/allocator.h"
#include "engine/ipam/results.h"

namespace vipcast::ipam::testing {

inline core::IpAddr Ip(const std::string& text) {
  auto ip = core::IpAddr::Parse(text);
  assert(ip.ok());
  return *ip;
}

class PoolBuilder {
 public:
  PoolBuilder(std::string name, std::initializer_list<std::string> addresses) {
    pool_.meta.name = std::move(name);
    pool_.meta.namespace_ = "metallb-system";
    for (const auto& text : addresses) {
      pool_.addresses.push_back(text);
      auto range = core::IpRange::Parse(text);
      assert(range.ok());
      pool_.ranges.push_back(*range);
    }
  }
  PoolBuilder& AutoAssign(bool on) {
    pool_.auto_assign = on;
    return *this;
  }
  PoolBuilder& AvoidBuggyIps() {
    pool_.avoid_buggy_ips = true;
    return *this;
  }
  PoolBuilder& Priority(int priority) {
    Allocation().priority = priority;
    return *this;
  }
  PoolBuilder& Namespaces(std::initializer_list<std::string> names) {
    Allocation().namespaces.insert(Allocation().namespaces.end(), names.begin(), names.end());
    return *this;
  }
  PoolBuilder& NamespaceSelector(config::LabelMap labels) {
    Allocation().namespace_selectors.push_back(config::LabelSelector{std::move(labels), {}});
    return *this;
  }
  PoolBuilder& ServiceSelector(config::LabelMap labels) {
    Allocation().service_selectors.push_back(config::LabelSelector{std::move(labels), {}});
    return *this;
  }
  // serviceAllocation present with nothing in it but what callers add.
  PoolBuilder& EmptyAllocation() {
    Allocation();
    return *this;
  }
  operator config::IPAddressPool() const { return pool_; }  // NOLINT: builder

 private:
  config::ServiceAllocation& Allocation() {
    if (!pool_.service_allocation) pool_.service_allocation.emplace();
    return *pool_.service_allocation;
  }
  config::IPAddressPool pool_;
};

inline config::Namespace Ns(std::string name, config::LabelMap labels = {}) {
  config::Namespace ns;
  ns.meta.name = std::move(name);
  ns.meta.labels = std::move(labels);
  return ns;
}

inline config::ClusterConfig Config(std::vector<config::IPAddressPool> pools,
                                    std::vector<config::Namespace> namespaces = {}) {
  config::ClusterConfig config;
  config.pools = std::move(pools);
  config.namespaces = std::move(namespaces);
  return config;
}

// A LoadBalancer service "namespace/name" with one TCP/80 port, IPv4
// single-stack unless told otherwise.
class ServiceBuilder {
 public:
  explicit ServiceBuilder(const std::string& key) {
    const size_t slash = key.find('/');
    service_.meta.namespace_ = key.substr(0, slash);
    service_.meta.name = key.substr(slash + 1);
    service_.type = config::ServiceType::kLoadBalancer;
    service_.ports.push_back(config::ServicePort{"http", "TCP", 80, "8080"});
  }
  ServiceBuilder& Type(config::ServiceType type) {
    service_.type = type;
    return *this;
  }
  ServiceBuilder& Class(std::string lb_class) {
    service_.load_balancer_class = std::move(lb_class);
    return *this;
  }
  ServiceBuilder& Annotate(const std::string& key, std::string value) {
    service_.meta.annotations[key] = std::move(value);
    return *this;
  }
  ServiceBuilder& RequestIps(std::string csv) {
    return Annotate(config::kAnnotationLoadBalancerIPs, std::move(csv));
  }
  ServiceBuilder& SpecIp(std::string ip) {
    service_.load_balancer_ip = std::move(ip);
    return *this;
  }
  ServiceBuilder& FromPool(std::string pool) {
    return Annotate(config::kAnnotationAddressPool, std::move(pool));
  }
  ServiceBuilder& Share(std::string key) {
    return Annotate(config::kAnnotationAllowSharedIp, std::move(key));
  }
  ServiceBuilder& Ports(std::initializer_list<std::pair<std::string, uint16_t>> ports) {
    service_.ports.clear();
    for (const auto& [protocol, port] : ports) {
      service_.ports.push_back(config::ServicePort{"", protocol, port, ""});
    }
    return *this;
  }
  ServiceBuilder& Local(config::LabelMap selector) {
    service_.external_traffic_policy = config::TrafficPolicy::kLocal;
    service_.selector = std::move(selector);
    return *this;
  }
  ServiceBuilder& Selector(config::LabelMap selector) {
    service_.selector = std::move(selector);
    return *this;
  }
  ServiceBuilder& Labels(config::LabelMap labels) {
    service_.meta.labels = std::move(labels);
    return *this;
  }
  ServiceBuilder& Families(std::initializer_list<core::IpFamily> families) {
    service_.ip_families = families;
    return *this;
  }
  ServiceBuilder& Policy(config::IpFamilyPolicy policy) {
    service_.ip_family_policy = policy;
    return *this;
  }
  ServiceBuilder& ClusterIps(std::initializer_list<std::string> ips) {
    for (const auto& ip : ips) service_.cluster_ips.push_back(Ip(ip));
    return *this;
  }
  ServiceBuilder& Ingress(std::initializer_list<std::string> ips) {
    for (const auto& ip : ips) service_.ingress_ips.push_back(Ip(ip));
    return *this;
  }
  operator config::Service() const { return service_; }  // NOLINT: builder
  config::Service Build() const { return service_; }

 private:
  config::Service service_;
};

inline ServiceBuilder Svc(const std::string& key) { return ServiceBuilder(key); }

// "192.168.1.240" or "192.168.1.240,2001:db8::1"; "" while pending.
inline std::string IpsOf(const std::optional<ServiceResult>& result) {
  if (!result) return "<unknown>";
  std::string out;
  for (const auto& ip : result->ips) {
    if (!out.empty()) out += ",";
    out += ip.ToString();
  }
  return out;
}

inline std::string IpsFor(const Allocator& allocator, const std::string& key) {
  return IpsOf(allocator.Find(key));
}
inline std::string PoolFor(const Allocator& allocator, const std::string& key) {
  auto result = allocator.Find(key);
  return result ? result->pool : "<unknown>";
}
inline std::string ReasonFor(const Allocator& allocator, const std::string& key) {
  auto result = allocator.Find(key);
  return result ? result->pending_reason : "<unknown>";
}
// The change log as text, one change per entry.
inline std::vector<std::string> Log(const std::vector<Change>& changes) {
  std::vector<std::string> out;
  for (const auto& c : changes) out.push_back(c.ToString());
  return out;
}

}  // namespace vipcast::ipam::testing
