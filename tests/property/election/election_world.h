// Random small clusters for the election properties: nodes with labels and
// conditions, pools, L2Advertisements, services with endpoints, and a live
// member set, drawn from small alphabets so that selectors often match and
// hash ties between rules are exercised.
#pragma once

#include <rapidcheck.h>

#include <cstdio>
#include <set>
#include <string>
#include <vector>

#include "engine/config/model.h"
#include "engine/election/exclusion.h"
#include "tests/unit/election/model_builders.h"

namespace vipcast::election::testing {

struct World {
  config::ClusterConfig config;
  config::NodeSet nodes;
  config::ServiceSet services;
  std::set<std::string> members;
};

// rapidcheck scales inRange by the test's size, so early cases would be
// nearly empty worlds; these worlds are small by construction, so every
// choice is drawn from its full range (shrinking still works).
inline int Pick(int lo, int hi_exclusive) {
  return *rc::gen::resize(rc::kNominalSize, rc::gen::inRange(lo, hi_exclusive));
}
inline bool Coin() { return Pick(0, 2) == 1; }
template <typename T>
T PickOf(const std::vector<T>& items) {
  return items[static_cast<size_t>(Pick(0, static_cast<int>(items.size())))];
}
using Strings = std::vector<std::string>;

inline const std::vector<std::string>& NodeNames() {
  // Enough names that changing one or two nodes takes Election::SetNodes'
  // insertion path and three or more its re-sort path.
  static const std::vector<std::string> names = [] {
    std::vector<std::string> out;
    for (int i = 0; i < 24; ++i) out.push_back("n" + std::to_string(i));
    return out;
  }();
  return names;
}

inline config::LabelMap GenLabels() {
  config::LabelMap labels;
  for (const char* key : {"zone", "role", "tier"}) {
    const int v = Pick(0, 3);  // 0: absent
    if (v > 0) labels[key] = v == 1 ? "a" : "b";
  }
  return labels;
}

inline config::LabelSelector GenSelector() {
  config::LabelSelector s;
  const int kind = Pick(0, 4);
  const std::string key = PickOf(Strings{"zone", "role", "tier"});
  const std::string value = PickOf(Strings{"a", "b"});
  if (kind == 0) return s;  // empty: matches everything
  if (kind == 1) {
    s.match_labels[key] = value;
  } else if (kind == 2) {
    s.match_expressions.push_back({key, config::SelectorOperator::kIn, {value}});
  } else {
    s.match_expressions.push_back({key, config::SelectorOperator::kDoesNotExist, {}});
  }
  return s;
}

inline std::vector<config::LabelSelector> GenSelectors(int max) {
  std::vector<config::LabelSelector> out;
  const int n = Pick(0, max + 1);
  for (int i = 0; i < n; ++i) out.push_back(GenSelector());
  return out;
}

inline config::Node GenNode(const std::string& name) {
  config::Node node = MakeNode(name, GenLabels());
  if (Pick(0, 6) == 0) node.meta.labels[kLabelExcludeFromExternalLoadBalancers] = "";
  const int condition = Pick(0, 6);
  if (condition == 0) node = WithCondition(node, "NetworkUnavailable", "True");
  if (condition == 1) node = WithCondition(node, "NetworkUnavailable", "False");
  return node;
}

inline config::NodeSet GenNodes() {
  config::NodeSet set;
  for (const auto& name : NodeNames()) {
    if (Pick(0, 4) != 0) set.nodes.push_back(GenNode(name));
  }
  return set;
}

inline std::set<std::string> GenMembers() {
  std::set<std::string> members;
  for (const auto& name : NodeNames()) {
    if (Pick(0, 3) != 0) members.insert(name);
  }
  if (Pick(0, 4) == 0) members.insert("ghost");  // a member without a Node
  return members;
}

inline config::ClusterConfig GenConfig() {
  config::ClusterConfig c;
  c.pools.push_back(MakePool("p4", {"10.0.0.0/28"}, {{"tier", PickOf(Strings{"a", "b"})}}));
  c.pools.push_back(MakePool("p6", {"fc00::/124"}, {{"tier", "b"}}));
  c.pools.push_back(MakePool("pd", {"10.0.1.0/28", "fc00:1::/124"}));  // dual-stack
  const int ads = Pick(0, 8) == 0 ? 0 : Pick(1, 4);
  for (int i = 0; i < ads; ++i) {
    auto ad = MakeAd("ad" + std::to_string(i));
    const int pools = Pick(0, 6);  // 0-2: all pools
    if (pools == 3) ad.ip_address_pools = {"p4", "pd"};
    if (pools == 4) ad.ip_address_pools = {"p6", "nope"};
    if (pools == 5) ad.ip_address_pool_selectors = {GenSelector()};
    ad.node_selectors = GenSelectors(2);
    ad.service_selectors = Pick(0, 3) == 0 ? GenSelectors(1) : std::vector<config::LabelSelector>{};
    const int prefs = Pick(0, 3);
    for (int p = 0; p < prefs; ++p) {
      ad.preferred_node_selectors.push_back({Pick(-10, 101), GenSelector()});
    }
    c.l2_advertisements.push_back(ad);
  }
  return c;
}

// `block` 0 is p4/p6, 1 is the dual-stack pool. Host 16 falls just outside
// the /28 and /124, to hit "not in any pool".
inline std::string GenIp(bool v6, int block) {
  const int host = Pick(0, 17);
  char buf[64];
  if (v6) {
    std::snprintf(buf, sizeof buf, "fc00:%d::%x", block, host);
  } else {
    std::snprintf(buf, sizeof buf, "10.0.%d.%d", block, host);
  }
  return buf;
}

inline config::EndpointSlice GenSlice(const std::string& ns, const std::string& service) {
  config::EndpointSlice slice = MakeSlice(ns, service, {});
  const int endpoints = Pick(0, 10) == 0 ? 0 : Pick(1, 5);
  for (int i = 0; i < endpoints; ++i) {
    config::Endpoint ep;
    const int node = Pick(0, static_cast<int>(NodeNames().size()) + 2);
    if (node < static_cast<int>(NodeNames().size())) ep.node_name = NodeNames()[node];
    if (node == static_cast<int>(NodeNames().size())) ep.node_name = "ghost";
    const int ready = Pick(0, 3);
    if (ready > 0) ep.conditions.ready = ready == 1;
    if (Pick(0, 4) == 0) ep.conditions.serving = Coin();
    slice.endpoints.push_back(ep);
  }
  return slice;
}

inline config::ServiceSet GenServices() {
  config::ServiceSet set;
  const int services = Pick(0, 6);
  for (int i = 0; i < services; ++i) {
    const std::string ns = PickOf(Strings{"default", "other"});
    const std::string name = "s" + std::to_string(i);
    const bool v6 = Coin();
    // Dual-stack services mostly take both IPs from the dual-stack pool; from
    // p4 and p6 the IPs are in two pools, which MetalLB doesn't announce.
    const bool dual = Pick(0, 3) == 0;
    const int block = dual ? (Pick(0, 5) == 0 ? 0 : 1) : Pick(0, 2);
    std::vector<std::string> ips = {GenIp(v6, block)};
    if (dual) ips.push_back(GenIp(!v6, block));
    auto policy = Coin() ? config::TrafficPolicy::kLocal : config::TrafficPolicy::kCluster;
    auto service = MakeService(ns, name, ips, policy);
    service.meta.labels = GenLabels();
    if (Pick(0, 4) == 0) service.meta.annotations["metallb.io/allow-shared-ip"] = "k";
    if (Pick(0, 10) == 0) service.type = config::ServiceType::kClusterIP;
    set.services.push_back(service);
    if (Pick(0, 10) != 0) set.endpoint_slices.push_back(GenSlice(ns, name));
  }
  return set;
}

inline World GenWorld() { return World{GenConfig(), GenNodes(), GenServices(), GenMembers()}; }

}  // namespace vipcast::election::testing
