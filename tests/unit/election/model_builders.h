// Terse constructors for the config model objects the election reads, shared
// by the election unit and property tests.
#pragma once

#include <optional>
#include <set>
#include <string>
#include <vector>

#include "engine/config/model.h"
#include "engine/core/node_name.h"

namespace vipcast::election::testing {

inline config::LabelSelector Match(config::LabelMap labels) {
  config::LabelSelector s;
  s.match_labels = std::move(labels);
  return s;
}

inline config::Node MakeNode(const std::string& name, config::LabelMap labels = {}) {
  config::Node n;
  n.meta.name = name;
  n.meta.labels = std::move(labels);
  return n;
}

inline config::Node WithCondition(config::Node n, const std::string& type,
                                  const std::string& status) {
  n.conditions.push_back({type, status});
  return n;
}

inline config::IPAddressPool MakePool(const std::string& name, std::vector<std::string> ranges,
                                      config::LabelMap labels = {}) {
  config::IPAddressPool p;
  p.meta.name = name;
  p.meta.namespace_ = "metallb-system";
  p.meta.labels = std::move(labels);
  for (const auto& r : ranges) p.ranges.push_back(core::IpRange::Parse(r).value());
  p.addresses = std::move(ranges);
  return p;
}

inline config::L2Advertisement MakeAd(const std::string& name,
                                      std::vector<std::string> pools = {}) {
  config::L2Advertisement a;
  a.meta.name = name;
  a.meta.namespace_ = "metallb-system";
  a.ip_address_pools = std::move(pools);
  return a;
}

inline config::Service MakeService(const std::string& ns, const std::string& name,
                                   std::vector<std::string> ips,
                                   config::TrafficPolicy policy = config::TrafficPolicy::kCluster) {
  config::Service s;
  s.meta.namespace_ = ns;
  s.meta.name = name;
  s.type = config::ServiceType::kLoadBalancer;
  s.external_traffic_policy = policy;
  for (const auto& ip : ips) s.ingress_ips.push_back(core::IpAddr::Parse(ip).value());
  return s;
}

// One slice for ns/service with one endpoint per (node, ready) pair; a ready
// of nullopt leaves the condition unset.
inline config::EndpointSlice MakeSlice(
    const std::string& ns, const std::string& service,
    std::vector<std::pair<std::string, std::optional<bool>>> endpoints,
    const std::string& slice_name = "") {
  config::EndpointSlice e;
  e.meta.namespace_ = ns;
  e.meta.name = slice_name.empty() ? service + "-abcde" : slice_name;
  e.meta.labels[config::kLabelServiceName] = service;
  for (auto& [node, ready] : endpoints) {
    config::Endpoint ep;
    ep.node_name = node;
    ep.conditions.ready = ready;
    e.endpoints.push_back(std::move(ep));
  }
  return e;
}

inline core::NodeName Name(const std::string& name) { return core::NodeName::Parse(name).value(); }

inline std::set<core::NodeName> Members(const std::vector<std::string>& names) {
  std::set<core::NodeName> out;
  for (const auto& n : names) out.insert(Name(n));
  return out;
}

}  // namespace vipcast::election::testing
