#include "engine/config/emit.h"

#include "engine/config/base64.h"
#include "engine/config/scalar.h"
#include "yaml-cpp/yaml.h"

namespace vipcast::config {
namespace {

using detail::ResolvePlainScalar;
using detail::ScalarType;

// Strings that a YAML 1.2 reader would type as something else ("true",
// "8080", "null", "") are quoted; yaml-cpp quotes the rest when needed.
void Str(YAML::Emitter& e, const std::string& s) {
  if (s.empty() || ResolvePlainScalar(s) != ScalarType::kString) {
    e << YAML::DoubleQuoted << s;
  } else {
    e << s;
  }
}

void Key(YAML::Emitter& e, const char* key) { e << YAML::Key << key << YAML::Value; }

void StrField(YAML::Emitter& e, const char* key, const std::string& value) {
  Key(e, key);
  Str(e, value);
}

void StrList(YAML::Emitter& e, const char* key, const std::vector<std::string>& list) {
  if (list.empty()) return;
  Key(e, key);
  e << YAML::BeginSeq;
  for (const auto& s : list) Str(e, s);
  e << YAML::EndSeq;
}

void StrMap(YAML::Emitter& e, const char* key, const std::map<std::string, std::string>& map) {
  if (map.empty()) return;
  Key(e, key);
  e << YAML::BeginMap;
  for (const auto& [k, v] : map) {
    e << YAML::Key;
    Str(e, k);
    e << YAML::Value;
    Str(e, v);
  }
  e << YAML::EndMap;
}

void Selector(YAML::Emitter& e, const LabelSelector& s) {
  static const char* const kOps[] = {"In", "NotIn", "Exists", "DoesNotExist"};
  e << YAML::BeginMap;
  StrMap(e, "matchLabels", s.match_labels);
  if (!s.match_expressions.empty()) {
    Key(e, "matchExpressions");
    e << YAML::BeginSeq;
    for (const auto& req : s.match_expressions) {
      e << YAML::BeginMap;
      StrField(e, "key", req.key);
      Key(e, "operator");
      e << kOps[static_cast<size_t>(req.op)];
      StrList(e, "values", req.values);
      e << YAML::EndMap;
    }
    e << YAML::EndSeq;
  }
  e << YAML::EndMap;
}

void SelectorList(YAML::Emitter& e, const char* key, const std::vector<LabelSelector>& list) {
  if (list.empty()) return;
  Key(e, key);
  e << YAML::BeginSeq;
  for (const auto& s : list) Selector(e, s);
  e << YAML::EndSeq;
}

void Header(YAML::Emitter& e, const char* api_version, const char* kind, const ObjectMeta& meta) {
  e << YAML::BeginDoc << YAML::BeginMap;
  Key(e, "apiVersion");
  e << api_version;
  Key(e, "kind");
  e << kind;
  Key(e, "metadata");
  e << YAML::BeginMap;
  StrField(e, "name", meta.name);
  if (!meta.namespace_.empty()) StrField(e, "namespace", meta.namespace_);
  StrMap(e, "labels", meta.labels);
  StrMap(e, "annotations", meta.annotations);
  e << YAML::EndMap;
}

void Footer(YAML::Emitter& e) { e << YAML::EndMap; }

void Pool(YAML::Emitter& e, const IPAddressPool& p) {
  Header(e, kMetalLBGroupV1beta1, "IPAddressPool", p.meta);
  Key(e, "spec");
  e << YAML::BeginMap;
  Key(e, "addresses");
  e << YAML::BeginSeq;
  for (const auto& a : p.addresses) Str(e, a);
  e << YAML::EndSeq;
  Key(e, "autoAssign");
  e << p.auto_assign;
  Key(e, "avoidBuggyIPs");
  e << p.avoid_buggy_ips;
  if (p.service_allocation) {
    const auto& a = *p.service_allocation;
    Key(e, "serviceAllocation");
    e << YAML::BeginMap;
    if (a.priority) {
      Key(e, "priority");
      e << *a.priority;
    }
    StrList(e, "namespaces", a.namespaces);
    SelectorList(e, "namespaceSelectors", a.namespace_selectors);
    SelectorList(e, "serviceSelectors", a.service_selectors);
    e << YAML::EndMap;
  }
  e << YAML::EndMap;
  Footer(e);
}

void L2(YAML::Emitter& e, const L2Advertisement& a) {
  Header(e, kMetalLBGroupV1beta1, "L2Advertisement", a.meta);
  Key(e, "spec");
  e << YAML::BeginMap;
  StrList(e, "ipAddressPools", a.ip_address_pools);
  SelectorList(e, "ipAddressPoolSelectors", a.ip_address_pool_selectors);
  SelectorList(e, "nodeSelectors", a.node_selectors);
  if (!a.preferred_node_selectors.empty()) {
    Key(e, "preferredNodeSelectors");
    e << YAML::BeginSeq;
    for (const auto& p : a.preferred_node_selectors) {
      e << YAML::BeginMap;
      Key(e, "weight");
      e << p.weight;
      Key(e, "preference");
      Selector(e, p.preference);
      e << YAML::EndMap;
    }
    e << YAML::EndSeq;
  }
  StrList(e, "interfaces", a.interfaces);
  SelectorList(e, "serviceSelectors", a.service_selectors);
  e << YAML::EndMap;
  Footer(e);
}

void Bgp(YAML::Emitter& e, const BGPAdvertisement& a) {
  Header(e, kMetalLBGroupV1beta1, "BGPAdvertisement", a.meta);
  Key(e, "spec");
  e << YAML::BeginMap;
  Key(e, "aggregationLength");
  e << a.aggregation_length;
  Key(e, "aggregationLengthV6");
  e << a.aggregation_length_v6;
  if (a.local_pref) {
    Key(e, "localPref");
    e << *a.local_pref;
  }
  StrList(e, "communities", a.communities);
  StrList(e, "ipAddressPools", a.ip_address_pools);
  SelectorList(e, "ipAddressPoolSelectors", a.ip_address_pool_selectors);
  SelectorList(e, "nodeSelectors", a.node_selectors);
  StrList(e, "peers", a.peers);
  SelectorList(e, "serviceSelectors", a.service_selectors);
  e << YAML::EndMap;
  Footer(e);
}

void CommunityDoc(YAML::Emitter& e, const Community& c) {
  Header(e, kMetalLBGroupV1beta1, "Community", c.meta);
  Key(e, "spec");
  e << YAML::BeginMap;
  if (!c.communities.empty()) {
    Key(e, "communities");
    e << YAML::BeginSeq;
    for (const auto& alias : c.communities) {
      e << YAML::BeginMap;
      StrField(e, "name", alias.name);
      StrField(e, "value", alias.value);
      e << YAML::EndMap;
    }
    e << YAML::EndSeq;
  }
  e << YAML::EndMap;
  Footer(e);
}

void Bfd(YAML::Emitter& e, const BFDProfile& p) {
  Header(e, kMetalLBGroupV1beta1, "BFDProfile", p.meta);
  Key(e, "spec");
  e << YAML::BeginMap;
  Key(e, "receiveInterval");
  e << p.receive_interval_ms;
  Key(e, "transmitInterval");
  e << p.transmit_interval_ms;
  Key(e, "detectMultiplier");
  e << p.detect_multiplier;
  Key(e, "echoInterval");
  e << p.echo_interval_ms;
  Key(e, "echoMode");
  e << p.echo_mode;
  Key(e, "passiveMode");
  e << p.passive_mode;
  Key(e, "minimumTtl");
  e << p.minimum_ttl;
  e << YAML::EndMap;
  Footer(e);
}

void Flag(YAML::Emitter& e, const char* key, bool value) {
  if (!value) return;
  Key(e, key);
  e << true;
}

void Peer(YAML::Emitter& e, const BGPPeer& p) {
  const bool v1beta1 = p.api_version == kMetalLBGroupV1beta1;
  Header(e, v1beta1 ? kMetalLBGroupV1beta1 : kMetalLBGroupV1beta2, "BGPPeer", p.meta);
  Key(e, "spec");
  e << YAML::BeginMap;
  Key(e, "myASN");
  e << p.my_asn.value();
  if (p.peer_asn) {
    Key(e, "peerASN");
    e << p.peer_asn->value();
  }
  if (p.peer_address) StrField(e, "peerAddress", p.peer_address->ToString());
  if (p.source_address) StrField(e, "sourceAddress", p.source_address->ToString());
  Key(e, "peerPort");
  e << p.peer_port;
  if (p.hold_time) StrField(e, "holdTime", p.hold_time->ToString());
  if (p.keepalive_time) StrField(e, "keepaliveTime", p.keepalive_time->ToString());
  if (p.router_id) StrField(e, "routerID", p.router_id->ToString());
  SelectorList(e, "nodeSelectors", p.node_selectors);
  if (!p.password.empty()) StrField(e, "password", p.password);
  if (!p.bfd_profile.empty()) StrField(e, "bfdProfile", p.bfd_profile);
  Flag(e, "ebgpMultiHop", p.ebgp_multi_hop);
  if (!v1beta1) {
    if (p.dynamic_asn) {
      Key(e, "dynamicASN");
      e << (*p.dynamic_asn == DynamicAsn::kInternal ? "internal" : "external");
    }
    if (p.local_asn) {
      Key(e, "localASN");
      e << p.local_asn->value();
    }
    if (!p.interface.empty()) StrField(e, "interface", p.interface);
    if (p.connect_time) StrField(e, "connectTime", p.connect_time->ToString());
    if (p.password_secret) {
      Key(e, "passwordSecret");
      e << YAML::BeginMap;
      StrField(e, "name", p.password_secret->name);
      if (!p.password_secret->namespace_.empty()) {
        StrField(e, "namespace", p.password_secret->namespace_);
      }
      e << YAML::EndMap;
    }
    Flag(e, "enableGracefulRestart", p.enable_graceful_restart);
    if (!p.vrf.empty()) StrField(e, "vrf", p.vrf);
    Flag(e, "disableMP", p.disable_mp);
    Flag(e, "dualStackAddressFamily", p.dual_stack_address_family);
  }
  e << YAML::EndMap;
  Footer(e);
}

void SecretDoc(YAML::Emitter& e, const Secret& s) {
  Header(e, "v1", "Secret", s.meta);
  StrField(e, "type", s.type);
  std::map<std::string, std::string> encoded;
  for (const auto& [k, v] : s.data) encoded.emplace(k, Base64Encode(v));
  StrMap(e, "data", encoded);
  Footer(e);
}

void NamespaceDoc(YAML::Emitter& e, const Namespace& n) {
  Header(e, "v1", "Namespace", n.meta);
  Footer(e);
}

void NodeDoc(YAML::Emitter& e, const Node& n) {
  Header(e, "v1", "Node", n.meta);
  if (!n.conditions.empty() || !n.addresses.empty()) {
    Key(e, "status");
    e << YAML::BeginMap;
    if (!n.conditions.empty()) {
      Key(e, "conditions");
      e << YAML::BeginSeq;
      for (const auto& c : n.conditions) {
        e << YAML::BeginMap;
        StrField(e, "type", c.type);
        StrField(e, "status", c.status);
        e << YAML::EndMap;
      }
      e << YAML::EndSeq;
    }
    if (!n.addresses.empty()) {
      Key(e, "addresses");
      e << YAML::BeginSeq;
      for (const auto& a : n.addresses) {
        e << YAML::BeginMap;
        StrField(e, "type", "InternalIP");
        StrField(e, "address", a.ToString());
        e << YAML::EndMap;
      }
      e << YAML::EndSeq;
    }
    e << YAML::EndMap;
  }
  Footer(e);
}

bool AllDigits(const std::string& s) {
  if (s.empty()) return false;
  for (char c : s) {
    if (c < '0' || c > '9') return false;
  }
  return true;
}

void ServiceDoc(YAML::Emitter& e, const Service& s) {
  static const char* const kTypes[] = {"ClusterIP", "NodePort", "LoadBalancer", "ExternalName"};
  static const char* const kPolicies[] = {"SingleStack", "PreferDualStack", "RequireDualStack"};
  static const char* const kTraffic[] = {"Cluster", "Local"};
  Header(e, "v1", "Service", s.meta);
  Key(e, "spec");
  e << YAML::BeginMap;
  Key(e, "type");
  e << kTypes[static_cast<size_t>(s.type)];
  if (s.load_balancer_class) StrField(e, "loadBalancerClass", *s.load_balancer_class);
  if (!s.load_balancer_ip.empty()) StrField(e, "loadBalancerIP", s.load_balancer_ip);
  if (!s.ip_families.empty()) {
    Key(e, "ipFamilies");
    e << YAML::BeginSeq;
    for (auto f : s.ip_families) e << std::string(core::ToString(f));
    e << YAML::EndSeq;
  }
  if (s.ip_family_policy) {
    Key(e, "ipFamilyPolicy");
    e << kPolicies[static_cast<size_t>(*s.ip_family_policy)];
  }
  if (!s.cluster_ips.empty()) {
    Key(e, "clusterIPs");
    e << YAML::BeginSeq;
    for (const auto& ip : s.cluster_ips) e << ip.ToString();
    e << YAML::EndSeq;
  }
  if (!s.ports.empty()) {
    Key(e, "ports");
    e << YAML::BeginSeq;
    for (const auto& p : s.ports) {
      e << YAML::BeginMap;
      if (!p.name.empty()) StrField(e, "name", p.name);
      StrField(e, "protocol", p.protocol);
      Key(e, "port");
      e << p.port;
      if (AllDigits(p.target_port)) {
        Key(e, "targetPort");
        e << p.target_port;  // plain: reads back as the integer it is
      } else if (!p.target_port.empty()) {
        StrField(e, "targetPort", p.target_port);
      }
      e << YAML::EndMap;
    }
    e << YAML::EndSeq;
  }
  Key(e, "externalTrafficPolicy");
  e << kTraffic[static_cast<size_t>(s.external_traffic_policy)];
  StrMap(e, "selector", s.selector);
  e << YAML::EndMap;
  if (!s.ingress_ips.empty()) {
    Key(e, "status");
    e << YAML::BeginMap;
    Key(e, "loadBalancer");
    e << YAML::BeginMap;
    Key(e, "ingress");
    e << YAML::BeginSeq;
    for (const auto& ip : s.ingress_ips) {
      e << YAML::BeginMap;
      StrField(e, "ip", ip.ToString());
      e << YAML::EndMap;
    }
    e << YAML::EndSeq << YAML::EndMap << YAML::EndMap;
  }
  Footer(e);
}

void OptionalBool(YAML::Emitter& e, const char* key, const std::optional<bool>& value) {
  if (!value) return;
  Key(e, key);
  e << *value;
}

void SliceDoc(YAML::Emitter& e, const EndpointSlice& s) {
  Header(e, "discovery.k8s.io/v1", "EndpointSlice", s.meta);
  StrField(e, "addressType", s.address_type);
  if (!s.endpoints.empty()) {
    Key(e, "endpoints");
    e << YAML::BeginSeq;
    for (const auto& ep : s.endpoints) {
      e << YAML::BeginMap;
      Key(e, "addresses");
      e << YAML::BeginSeq;
      for (const auto& a : ep.addresses) e << a.ToString();
      e << YAML::EndSeq;
      if (!ep.node_name.empty()) StrField(e, "nodeName", ep.node_name);
      const auto& c = ep.conditions;
      if (c.ready || c.serving || c.terminating) {
        Key(e, "conditions");
        e << YAML::BeginMap;
        OptionalBool(e, "ready", c.ready);
        OptionalBool(e, "serving", c.serving);
        OptionalBool(e, "terminating", c.terminating);
        e << YAML::EndMap;
      }
      e << YAML::EndMap;
    }
    e << YAML::EndSeq;
  }
  Footer(e);
}

}  // namespace

std::string ToYaml(const Resources& r) {
  YAML::Emitter e;
  for (const auto& x : r.config.namespaces) NamespaceDoc(e, x);
  for (const auto& x : r.config.secrets) SecretDoc(e, x);
  for (const auto& x : r.config.pools) Pool(e, x);
  for (const auto& x : r.config.communities) CommunityDoc(e, x);
  for (const auto& x : r.config.bfd_profiles) Bfd(e, x);
  for (const auto& x : r.config.bgp_peers) Peer(e, x);
  for (const auto& x : r.config.l2_advertisements) L2(e, x);
  for (const auto& x : r.config.bgp_advertisements) Bgp(e, x);
  for (const auto& x : r.services.services) ServiceDoc(e, x);
  for (const auto& x : r.services.endpoint_slices) SliceDoc(e, x);
  for (const auto& x : r.nodes.nodes) NodeDoc(e, x);
  std::string out = e.c_str();
  if (!out.empty() && out.back() != '\n') out += '\n';
  return out;
}

}  // namespace vipcast::config
