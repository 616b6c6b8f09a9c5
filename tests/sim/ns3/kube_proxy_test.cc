// KubeProxyAdmits: which node answers client traffic for a VIP, by the
// service's externalTrafficPolicy and its ready endpoints.
#include "sim/ns3/kube_proxy.h"

#include <gtest/gtest.h>

#include <memory>

namespace vipcast::sim {
namespace {

config::Service Svc(const std::string& name, config::TrafficPolicy policy) {
  config::Service s;
  s.meta.name = name;
  s.meta.namespace_ = "default";
  s.type = config::ServiceType::kLoadBalancer;
  s.external_traffic_policy = policy;
  return s;
}

core::IpAddr Ip(const char* text) { return core::IpAddr::Parse(text).value(); }

TEST(KubeProxyAdmits, LocalPolicyAnswersOnlyWhereAnEndpointIsReady) {
  auto services = std::make_shared<config::ServiceSet>();
  services->services = {Svc("local", config::TrafficPolicy::kLocal),
                        Svc("cluster", config::TrafficPolicy::kCluster),
                        Svc("empty", config::TrafficPolicy::kCluster)};
  ControllerView view;
  view.services = services;
  view.assignments = {{"default/local", {Ip("192.168.1.240")}},
                      {"default/cluster", {Ip("192.168.1.241"), Ip("fd00::f1")}},
                      {"default/empty", {Ip("192.168.1.242")}}};
  const std::map<std::string, std::vector<std::string>> endpoints{
      {"default/local", {"node-1"}}, {"default/cluster", {"node-2"}}, {"default/empty", {}}};

  EXPECT_TRUE(KubeProxyAdmits(view, endpoints, "node-1", Ip("192.168.1.240")));
  EXPECT_FALSE(KubeProxyAdmits(view, endpoints, "node-0", Ip("192.168.1.240")));
  // Cluster: any node forwards, for either family's VIP.
  EXPECT_TRUE(KubeProxyAdmits(view, endpoints, "node-0", Ip("192.168.1.241")));
  EXPECT_TRUE(KubeProxyAdmits(view, endpoints, "node-0", Ip("fd00::f1")));
  // No ready endpoint anywhere: dropped everywhere.
  EXPECT_FALSE(KubeProxyAdmits(view, endpoints, "node-2", Ip("192.168.1.242")));
  // Not a VIP (a node's own address): answered.
  EXPECT_TRUE(KubeProxyAdmits(view, endpoints, "node-0", Ip("10.0.0.10")));
}

}  // namespace
}  // namespace vipcast::sim
