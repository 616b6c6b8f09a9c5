// The typed model of the Kubernetes objects vipcast reads: the metallb.io
// resources (IPAddressPool, L2Advertisement, BGPAdvertisement, BGPPeer,
// Community, BFDProfile), core/v1 Service, Node, Secret and Namespace, and
// discovery.k8s.io/v1 EndpointSlice.
//
// Fields keep the user's values; defaults are applied by the loader and are
// MetalLB's documented defaults. Every object remembers where it came from
// (file, line, and the line of each field) so that validation errors can point
// at the exact place.
#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "engine/config/labels.h"
#include "engine/core/asn.h"
#include "engine/core/ip.h"
#include "engine/core/time.h"

namespace vipcast::config {

// Where an object came from. field_lines maps a field path such as
// "spec.addresses[1]" to its line; LineOf falls back to the object's line.
struct SourceInfo {
  std::string file;
  int line = 0;
  std::map<std::string, int> field_lines;
  int LineOf(const std::string& field_path) const;
  // Source positions never take part in model equality.
  bool operator==(const SourceInfo&) const { return true; }
};

struct ObjectMeta {
  std::string name;
  std::string namespace_;
  LabelMap labels;
  LabelMap annotations;
  SourceInfo source;
  // "namespace/name", or "name" for cluster-scoped objects.
  std::string Key() const { return namespace_.empty() ? name : namespace_ + "/" + name; }
  bool operator==(const ObjectMeta&) const = default;
};

inline constexpr char kMetalLBGroupV1beta1[] = "metallb.io/v1beta1";
inline constexpr char kMetalLBGroupV1beta2[] = "metallb.io/v1beta2";

// ---------------------------------------------------------------- IPAddressPool

struct ServiceAllocation {
  std::optional<int> priority;  // lower wins; unset sorts after every set one
  std::vector<std::string> namespaces;
  std::vector<LabelSelector> namespace_selectors;
  std::vector<LabelSelector> service_selectors;
  bool operator==(const ServiceAllocation&) const = default;
};

struct IPAddressPool {
  ObjectMeta meta;
  std::vector<std::string> addresses;  // as written: CIDRs or "first-last" ranges
  // Parsed from addresses, same order. Only in a configuration with errors can
  // it be shorter (entries that failed to parse are absent).
  std::vector<core::IpRange> ranges;
  bool auto_assign = true;
  bool avoid_buggy_ips = false;
  std::optional<ServiceAllocation> service_allocation;
  bool operator==(const IPAddressPool&) const = default;
};

// ---------------------------------------------------------------- advertisements

struct PreferredNodeSelector {
  int weight = 0;
  LabelSelector preference;
  bool operator==(const PreferredNodeSelector&) const = default;
};

struct L2Advertisement {
  ObjectMeta meta;
  std::vector<std::string> ip_address_pools;
  std::vector<LabelSelector> ip_address_pool_selectors;
  std::vector<LabelSelector> node_selectors;
  std::vector<PreferredNodeSelector> preferred_node_selectors;
  std::vector<std::string> interfaces;
  std::vector<LabelSelector> service_selectors;
  bool operator==(const L2Advertisement&) const = default;
};

// A BGP community value: RFC 1997 standard (16:16) or RFC 8092 large (32:32:32).
struct CommunityValue {
  enum class Kind { kStandard, kLarge };
  Kind kind = Kind::kStandard;
  uint32_t global = 0;  // standard: high 16 bits (AS); large: global administrator
  uint32_t local1 = 0;  // standard: low 16 bits
  uint32_t local2 = 0;  // large only
  std::string ToString() const;  // "64500:100" or "large:64500:1:2"
  auto operator<=>(const CommunityValue&) const = default;
};

struct BGPAdvertisement {
  ObjectMeta meta;
  int aggregation_length = 32;
  int aggregation_length_v6 = 128;
  std::optional<uint32_t> local_pref;
  std::vector<std::string> communities;           // as written: values or Community aliases
  std::vector<CommunityValue> resolved_communities;  // filled by validation, same order
  std::vector<std::string> ip_address_pools;
  std::vector<LabelSelector> ip_address_pool_selectors;
  std::vector<LabelSelector> node_selectors;
  std::vector<std::string> peers;
  std::vector<LabelSelector> service_selectors;
  bool operator==(const BGPAdvertisement&) const = default;
};

struct CommunityAlias {
  std::string name;
  std::string value;
  bool operator==(const CommunityAlias&) const = default;
};

struct Community {
  ObjectMeta meta;
  std::vector<CommunityAlias> communities;
  bool operator==(const Community&) const = default;
};

// ---------------------------------------------------------------- BFD and peers

struct BFDProfile {
  ObjectMeta meta;
  uint32_t receive_interval_ms = 300;
  uint32_t transmit_interval_ms = 300;
  uint32_t detect_multiplier = 3;
  uint32_t echo_interval_ms = 50;
  bool echo_mode = false;
  bool passive_mode = false;
  uint32_t minimum_ttl = 254;
  bool operator==(const BFDProfile&) const = default;
};

enum class DynamicAsn { kInternal, kExternal };

struct SecretReference {
  std::string name;
  std::string namespace_;
  bool operator==(const SecretReference&) const = default;
};

struct BGPPeer {
  ObjectMeta meta;
  std::string api_version = kMetalLBGroupV1beta2;
  core::Asn my_asn;
  std::optional<core::Asn> peer_asn;
  std::optional<DynamicAsn> dynamic_asn;
  std::optional<core::Asn> local_asn;
  std::optional<core::IpAddr> peer_address;
  std::string interface;  // unnumbered BGP over this interface instead of peerAddress
  std::optional<core::IpAddr> source_address;
  uint16_t peer_port = 179;
  std::optional<core::Duration> hold_time;       // default 90s (RFC 4271 10 suggests 90 s)
  std::optional<core::Duration> keepalive_time;  // default hold time / 3
  std::optional<core::Duration> connect_time;
  std::optional<core::RouterId> router_id;
  std::vector<LabelSelector> node_selectors;
  std::string password;
  std::optional<SecretReference> password_secret;
  std::string bfd_profile;
  bool enable_graceful_restart = false;
  bool ebgp_multi_hop = false;
  std::string vrf;
  bool disable_mp = false;
  bool dual_stack_address_family = false;

  // MetalLB's parseTimers: with only keepaliveTime set the hold time is three
  // times it; with neither, its native speaker uses 90 s.
  core::Duration EffectiveHoldTime() const {
    if (hold_time) return *hold_time;
    if (keepalive_time) return *keepalive_time * 3;
    return core::Duration::Seconds(90);
  }
  // Unset or 0s (what MetalLB's own generator writes, and what a v1beta1
  // peer converts to) means hold time / 3, as MetalLB's native speaker does.
  core::Duration EffectiveKeepaliveTime() const {
    if (keepalive_time && *keepalive_time > core::Duration::Zero()) return *keepalive_time;
    return EffectiveHoldTime() / 3;
  }
  bool operator==(const BGPPeer&) const = default;
};

// ---------------------------------------------------------------- core/v1

struct Secret {
  ObjectMeta meta;
  std::string type = "Opaque";
  std::map<std::string, std::string> data;  // base64-decoded data merged with stringData
  bool operator==(const Secret&) const = default;
};

struct Namespace {
  ObjectMeta meta;
  bool operator==(const Namespace&) const = default;
};

struct NodeCondition {
  std::string type;    // "Ready", "NetworkUnavailable", ...
  std::string status;  // "True", "False", "Unknown"
  bool operator==(const NodeCondition&) const = default;
};

struct Node {
  ObjectMeta meta;
  std::vector<NodeCondition> conditions;
  std::vector<core::IpAddr> addresses;  // status.addresses of type InternalIP
  // True when a condition of `type` has status "True".
  bool HasCondition(const std::string& type) const;
  bool operator==(const Node&) const = default;
};

enum class ServiceType { kClusterIP, kNodePort, kLoadBalancer, kExternalName };
enum class IpFamilyPolicy { kSingleStack, kPreferDualStack, kRequireDualStack };
enum class TrafficPolicy { kCluster, kLocal };

struct ServicePort {
  std::string name;
  std::string protocol = "TCP";  // TCP, UDP, SCTP
  uint16_t port = 0;
  std::string target_port;
  bool operator==(const ServicePort&) const = default;
};

// Service annotations vipcast reads; each has a deprecated
// metallb.universe.tf/ twin that is honoured when the new one is absent.
inline constexpr char kAnnotationAddressPool[] = "metallb.io/address-pool";
inline constexpr char kAnnotationLoadBalancerIPs[] = "metallb.io/loadBalancerIPs";
inline constexpr char kAnnotationAllowSharedIp[] = "metallb.io/allow-shared-ip";
inline constexpr char kAnnotationAllocatedFromPool[] = "metallb.io/ip-allocated-from-pool";
inline constexpr char kDeprecatedAnnotationPrefix[] = "metallb.universe.tf/";

struct Service {
  ObjectMeta meta;
  ServiceType type = ServiceType::kClusterIP;
  std::optional<std::string> load_balancer_class;
  std::string load_balancer_ip;  // deprecated spec.loadBalancerIP
  std::vector<core::IpFamily> ip_families;
  std::optional<IpFamilyPolicy> ip_family_policy;
  std::vector<core::IpAddr> cluster_ips;
  std::vector<ServicePort> ports;
  TrafficPolicy external_traffic_policy = TrafficPolicy::kCluster;
  LabelMap selector;
  std::vector<core::IpAddr> ingress_ips;  // status.loadBalancer.ingress[].ip

  // The annotation value under metallb.io/, falling back to the deprecated
  // metallb.universe.tf/ key. `suffix` is e.g. "address-pool".
  std::optional<std::string> Annotation(const std::string& suffix) const;
  bool operator==(const Service&) const = default;
};

struct EndpointConditions {
  std::optional<bool> ready;  // nil means ready (discovery.k8s.io/v1 semantics)
  std::optional<bool> serving;
  std::optional<bool> terminating;
  bool operator==(const EndpointConditions&) const = default;
};

struct Endpoint {
  std::vector<core::IpAddr> addresses;
  std::string node_name;
  EndpointConditions conditions;
  bool IsReady() const { return conditions.ready.value_or(true); }
  bool operator==(const Endpoint&) const = default;
};

inline constexpr char kLabelServiceName[] = "kubernetes.io/service-name";

struct EndpointSlice {
  ObjectMeta meta;
  std::string address_type = "IPv4";
  std::vector<Endpoint> endpoints;
  // The service this slice belongs to (its kubernetes.io/service-name label).
  std::string ServiceName() const;
  bool operator==(const EndpointSlice&) const = default;
};

// ---------------------------------------------------------------- snapshots

// Everything that configures vipcast, as one immutable snapshot. Each list is
// sorted by (namespace, name) so iteration order never depends on file order.
struct ClusterConfig {
  std::vector<IPAddressPool> pools;
  std::vector<L2Advertisement> l2_advertisements;
  std::vector<BGPAdvertisement> bgp_advertisements;
  std::vector<BGPPeer> bgp_peers;
  std::vector<Community> communities;
  std::vector<BFDProfile> bfd_profiles;
  std::vector<Secret> secrets;
  std::vector<Namespace> namespaces;
  bool operator==(const ClusterConfig&) const = default;
};

struct ServiceSet {
  std::vector<Service> services;
  std::vector<EndpointSlice> endpoint_slices;
  bool operator==(const ServiceSet&) const = default;
};

struct NodeSet {
  std::vector<Node> nodes;
  bool operator==(const NodeSet&) const = default;
};

// Everything loaded from one set of manifests.
struct Resources {
  ClusterConfig config;
  ServiceSet services;
  NodeSet nodes;
  bool operator==(const Resources&) const = default;
};

}  // namespace vipcast::config
