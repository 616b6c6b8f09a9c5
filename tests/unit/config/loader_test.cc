// LoadManifests behaviour that the example and invalid-input tables do not
// pin down: defaults, ordering, List kinds, merge keys, Secrets, core kinds.
#include <gtest/gtest.h>

#include "engine/config/emit.h"
#include "test_files.h"

namespace vipcast::config {
namespace {

using testing::Format;
using testing::LoadText;

TEST(Loader, PoolDefaultsMatchMetalLB) {
  const auto r = LoadText(R"(apiVersion: metallb.io/v1beta1
kind: IPAddressPool
metadata: {name: p, namespace: metallb-system}
spec:
  addresses:
  - 192.168.1.240 - 192.168.1.250
  - fc00:f853:0ccd:e799::/124
  - 10.0.0.7-10.0.0.7
)");
  ASSERT_TRUE(r.ok()) << Format(r.diagnostics);
  const auto& pool = r.resources.config.pools.at(0);
  EXPECT_TRUE(pool.auto_assign);
  EXPECT_FALSE(pool.avoid_buggy_ips);
  EXPECT_FALSE(pool.service_allocation.has_value());
  ASSERT_EQ(pool.ranges.size(), 3u);
  EXPECT_EQ(pool.ranges[0].ToString(), "192.168.1.240-192.168.1.250");
  EXPECT_EQ(pool.ranges[1].ToString(), "fc00:f853:ccd:e799::-fc00:f853:ccd:e799::f");
  EXPECT_EQ(pool.ranges[2].Size(), 1u);
  EXPECT_EQ(pool.addresses[0], "192.168.1.240 - 192.168.1.250");  // as written
}

TEST(Loader, AdvertisementAndPeerDefaults) {
  const auto r = LoadText(R"(apiVersion: metallb.io/v1beta1
kind: BGPAdvertisement
metadata: {name: a, namespace: metallb-system}
---
apiVersion: metallb.io/v1beta2
kind: BGPPeer
metadata: {name: p, namespace: metallb-system}
spec: {myASN: 64500, peerASN: 64501, peerAddress: 10.0.0.1}
---
apiVersion: metallb.io/v1beta1
kind: BFDProfile
metadata: {name: b, namespace: metallb-system}
)");
  ASSERT_TRUE(r.ok()) << Format(r.diagnostics);
  const auto& adv = r.resources.config.bgp_advertisements.at(0);
  EXPECT_EQ(adv.aggregation_length, 32);
  EXPECT_EQ(adv.aggregation_length_v6, 128);
  EXPECT_FALSE(adv.local_pref.has_value());
  const auto& peer = r.resources.config.bgp_peers.at(0);
  EXPECT_EQ(peer.api_version, kMetalLBGroupV1beta2);
  EXPECT_EQ(peer.peer_port, 179);
  EXPECT_EQ(peer.EffectiveHoldTime(), core::Duration::Seconds(90));
  EXPECT_EQ(peer.EffectiveKeepaliveTime(), core::Duration::Seconds(30));
  const auto& bfd = r.resources.config.bfd_profiles.at(0);
  EXPECT_EQ(bfd.receive_interval_ms, 300u);
  EXPECT_EQ(bfd.transmit_interval_ms, 300u);
  EXPECT_EQ(bfd.detect_multiplier, 3u);
  EXPECT_EQ(bfd.echo_interval_ms, 50u);
  EXPECT_EQ(bfd.minimum_ttl, 254u);
}

TEST(Loader, KeepaliveOnlyGivesThreeTimesHold) {
  const auto r = LoadText(R"(apiVersion: metallb.io/v1beta2
kind: BGPPeer
metadata: {name: p, namespace: metallb-system}
spec: {myASN: 64500, peerASN: 64501, peerAddress: 10.0.0.1, keepaliveTime: 10s}
)");
  ASSERT_TRUE(r.ok()) << Format(r.diagnostics);
  EXPECT_EQ(r.resources.config.bgp_peers[0].EffectiveHoldTime(), core::Duration::Seconds(30));
}

TEST(Loader, V1beta1PeerConvertsLikeMetalLB) {
  const auto r = LoadText(R"(apiVersion: metallb.io/v1beta1
kind: BGPPeer
metadata: {name: p, namespace: metallb-system}
spec: {myASN: 64500, peerASN: 64501, peerAddress: 10.0.0.1}
)");
  ASSERT_TRUE(r.ok()) << Format(r.diagnostics);
  const auto& peer = r.resources.config.bgp_peers.at(0);
  EXPECT_EQ(peer.api_version, kMetalLBGroupV1beta1);
  EXPECT_EQ(peer.hold_time, core::Duration::Zero());
  EXPECT_EQ(peer.EffectiveKeepaliveTime(), core::Duration::Zero());
  EXPECT_EQ(peer.peer_port, 179);
  EXPECT_EQ(r.diagnostics.size(), 2u);  // deprecated version, implicit 0s hold time
}

TEST(Loader, V1beta1PeerRejectsV1beta2Fields) {
  const auto r = LoadText(R"(apiVersion: metallb.io/v1beta1
kind: BGPPeer
metadata: {name: p, namespace: metallb-system}
spec: {myASN: 64500, dynamicASN: external, peerAddress: 10.0.0.1, holdTime: 90s}
)");
  EXPECT_FALSE(r.ok());
  EXPECT_NE(Format(r.diagnostics).find("spec.dynamicASN: unknown field"), std::string::npos)
      << Format(r.diagnostics);
}

TEST(Loader, ResourcesAreSortedAndDiagnosticsFollowInputOrder) {
  const auto r = LoadManifests({{"b.yaml", R"(apiVersion: metallb.io/v1beta1
kind: IPAddressPool
metadata: {name: zeta, namespace: metallb-system}
spec: {addresses: [10.0.1.0/24], autoAssign: maybe}
)"},
                                {"a.yaml", R"(apiVersion: metallb.io/v1beta1
kind: IPAddressPool
metadata: {name: alpha, namespace: metallb-system}
spec: {addresses: [10.0.0.0/24], autoAssign: nope}
---
apiVersion: metallb.io/v1beta1
kind: IPAddressPool
metadata: {name: alpha, namespace: a-first}
spec: {addresses: [10.0.2.0/24]}
)"}});
  const auto& pools = r.resources.config.pools;
  ASSERT_EQ(pools.size(), 3u);
  EXPECT_EQ(pools[0].meta.Key(), "a-first/alpha");
  EXPECT_EQ(pools[1].meta.Key(), "metallb-system/alpha");
  EXPECT_EQ(pools[2].meta.Key(), "metallb-system/zeta");
  ASSERT_EQ(r.diagnostics.size(), 2u);
  EXPECT_EQ(r.diagnostics[0].file, "b.yaml");  // the caller's order, not the name order
  EXPECT_EQ(r.diagnostics[1].file, "a.yaml");
  EXPECT_EQ(pools[2].meta.source.file, "b.yaml");
  EXPECT_EQ(pools[2].meta.source.line, 1);
  EXPECT_EQ(pools[1].meta.source.LineOf("spec.addresses[0]"), 4);
}

TEST(Loader, ListKindsAndTypedLists) {
  const auto r = LoadText(R"(apiVersion: v1
kind: List
items:
- apiVersion: metallb.io/v1beta1
  kind: IPAddressPool
  metadata: {name: a, namespace: metallb-system}
  spec: {addresses: [10.0.0.0/24]}
- apiVersion: v1
  kind: Namespace
  metadata: {name: metallb-system, labels: {team: net}}
---
apiVersion: metallb.io/v1beta1
kind: IPAddressPoolList
metadata: {resourceVersion: "12"}
items:
- metadata: {name: b, namespace: metallb-system}
  spec: {addresses: [10.0.1.0/24]}
)");
  ASSERT_TRUE(r.ok()) << Format(r.diagnostics);
  EXPECT_EQ(r.resources.config.pools.size(), 2u);
  ASSERT_EQ(r.resources.config.namespaces.size(), 1u);
  EXPECT_EQ(r.resources.config.namespaces[0].meta.labels.at("team"), "net");
}

TEST(Loader, MergeKeys) {
  // Anchors live within one YAML document, so the shared defaults sit in a List.
  const auto r = LoadText(R"(apiVersion: v1
kind: List
items:
- apiVersion: metallb.io/v1beta2
  kind: BGPPeer
  metadata: {name: a, namespace: metallb-system}
  spec: &defaults
    myASN: 64500
    peerASN: 64501
    peerAddress: 10.0.0.1
    holdTime: 30s
- apiVersion: metallb.io/v1beta2
  kind: BGPPeer
  metadata: {name: b, namespace: metallb-system}
  spec:
    <<: *defaults
    peerAddress: 10.0.0.2
)");
  ASSERT_TRUE(r.ok()) << Format(r.diagnostics);
  ASSERT_EQ(r.resources.config.bgp_peers.size(), 2u);
  const auto& b = r.resources.config.bgp_peers[1];
  EXPECT_EQ(b.peer_address->ToString(), "10.0.0.2");
  EXPECT_EQ(b.hold_time, core::Duration::Seconds(30));
  EXPECT_EQ(b.peer_asn, core::Asn(64501));
}

TEST(Loader, YamlCppLoneCommaDoesNotHang) {
  // yaml-cpp 0.7's LoadAll loops forever on these (jbeder/yaml-cpp#1040).
  for (const char* text : {",", "\n,\n", "a: 1\n---\n,"}) {
    const auto r = LoadText(text);
    EXPECT_FALSE(r.ok()) << text;
  }
}

TEST(Loader, SecretDataAndStringData) {
  const auto r = LoadText(R"(apiVersion: v1
kind: Secret
metadata: {name: s, namespace: metallb-system}
type: kubernetes.io/basic-auth
data:
  username: YWRtaW4=
  password: b2xk
stringData:
  password: new
immutable: true
)");
  ASSERT_TRUE(r.ok()) << Format(r.diagnostics);
  const auto& s = r.resources.config.secrets.at(0);
  EXPECT_EQ(s.type, "kubernetes.io/basic-auth");
  EXPECT_EQ(s.data.at("username"), "admin");
  EXPECT_EQ(s.data.at("password"), "new");  // stringData wins, as in the API server
}

TEST(Loader, NodesServicesAndEndpointSlices) {
  const auto r = LoadText(R"(apiVersion: v1
kind: Node
metadata:
  name: node-a
  labels: {kubernetes.io/hostname: node-a}
  uid: 1234
spec: {podCIDR: 10.244.0.0/24}
status:
  conditions:
  - {type: Ready, status: "True", reason: KubeletReady}
  - {type: NetworkUnavailable, status: "False"}
  addresses:
  - {type: InternalIP, address: 192.168.0.10}
  - {type: Hostname, address: node-a}
  capacity: {cpu: "4"}
---
apiVersion: v1
kind: Service
metadata:
  name: web
  namespace: prod
  annotations: {metallb.io/loadBalancerIPs: "192.168.1.10, fc00::10"}
spec:
  type: LoadBalancer
  clusterIP: 10.96.0.10
  clusterIPs: [10.96.0.10, fd00::10]
  ipFamilyPolicy: RequireDualStack
  ipFamilies: [IPv4, IPv6]
  externalTrafficPolicy: Local
  selector: {app: web}
  ports:
  - {name: http, port: 80, targetPort: 8080, protocol: TCP}
  - {name: dns, port: 53, targetPort: dns, protocol: UDP, nodePort: 31000}
status:
  loadBalancer:
    ingress: [{ip: 192.168.1.10}, {hostname: lb.example.com}]
---
apiVersion: discovery.k8s.io/v1
kind: EndpointSlice
metadata:
  name: web-abc
  namespace: prod
  labels: {kubernetes.io/service-name: web}
addressType: IPv4
endpoints:
- addresses: [10.244.0.5]
  nodeName: node-a
  conditions: {ready: false, serving: true}
- addresses: [10.244.1.5]
ports: [{port: 8080}]
)");
  ASSERT_TRUE(r.ok()) << Format(r.diagnostics);
  const auto& node = r.resources.nodes.nodes.at(0);
  EXPECT_TRUE(node.HasCondition("Ready"));
  EXPECT_FALSE(node.HasCondition("NetworkUnavailable"));
  ASSERT_EQ(node.addresses.size(), 1u);
  EXPECT_EQ(node.addresses[0].ToString(), "192.168.0.10");
  const auto& svc = r.resources.services.services.at(0);
  EXPECT_EQ(svc.type, ServiceType::kLoadBalancer);
  EXPECT_EQ(svc.external_traffic_policy, TrafficPolicy::kLocal);
  EXPECT_EQ(svc.ip_family_policy, IpFamilyPolicy::kRequireDualStack);
  EXPECT_EQ(svc.cluster_ips.size(), 2u);
  ASSERT_EQ(svc.ports.size(), 2u);
  EXPECT_EQ(svc.ports[0].target_port, "8080");
  EXPECT_EQ(svc.ports[1].target_port, "dns");
  EXPECT_EQ(svc.ports[1].protocol, "UDP");
  EXPECT_EQ(svc.ingress_ips.size(), 1u);
  EXPECT_EQ(svc.Annotation("loadBalancerIPs"), "192.168.1.10, fc00::10");
  const auto& slice = r.resources.services.endpoint_slices.at(0);
  EXPECT_EQ(slice.ServiceName(), "web");
  ASSERT_EQ(slice.endpoints.size(), 2u);
  EXPECT_FALSE(slice.endpoints[0].IsReady());
  EXPECT_TRUE(slice.endpoints[1].IsReady());  // nil ready means ready
}

TEST(Loader, NothingThrowsOnEmptyInput) {
  EXPECT_TRUE(LoadManifests({}).ok());
  EXPECT_TRUE(LoadText("").ok());
  EXPECT_TRUE(LoadText("---\n---\n# only comments\n").ok());
}

TEST(Loader, ReferencesResolveWithinTheNamespace) {
  const auto r = LoadText(R"(apiVersion: metallb.io/v1beta1
kind: IPAddressPool
metadata: {name: p, namespace: other}
spec: {addresses: [10.0.0.0/24]}
---
apiVersion: metallb.io/v1beta1
kind: L2Advertisement
metadata: {name: l2, namespace: metallb-system}
spec: {ipAddressPools: [p]}
)");
  ASSERT_EQ(r.diagnostics.size(), 1u);
  EXPECT_EQ(r.diagnostics[0].ToString(),
            "test.yaml:9: L2Advertisement metallb-system/l2: spec.ipAddressPools[0]: IPAddressPool "
            "\"p\" not found in namespace metallb-system");
}

TEST(Loader, OverlapIsReportedOncePerEntry) {
  std::string text;
  for (int i = 0; i < 5; ++i) {
    text += "---\napiVersion: metallb.io/v1beta1\nkind: IPAddressPool\nmetadata: {name: p" +
            std::to_string(i) + ", namespace: metallb-system}\nspec: {addresses: [10.0.0.0/" +
            std::to_string(24 + i) + "]}\n";
  }
  const auto r = LoadText(text);
  EXPECT_EQ(r.diagnostics.size(), 4u) << Format(r.diagnostics);  // p1..p4 each once
}

TEST(Loader, OverlapAcrossFamiliesIsNot) {
  const auto r = LoadText(R"(apiVersion: metallb.io/v1beta1
kind: IPAddressPool
metadata: {name: p, namespace: metallb-system}
spec: {addresses: [0.0.0.0/0, "::/0"]}
)");
  EXPECT_TRUE(r.ok()) << Format(r.diagnostics);
}

// MetalLB's localPref rule with Node objects known: advertisements for
// disjoint node groups may differ, overlapping ones may not; disjoint peer
// lists also tell the routes apart.
TEST(Loader, LocalPrefConflictUsesNodesAndPeers) {
  const std::string base = R"(apiVersion: v1
kind: List
items:
- apiVersion: v1
  kind: Node
  metadata: {name: a, labels: {rack: r1}}
- apiVersion: v1
  kind: Node
  metadata: {name: b, labels: {rack: r2, edge: "true"}}
- apiVersion: metallb.io/v1beta1
  kind: IPAddressPool
  metadata: {name: p, namespace: metallb-system}
  spec: {addresses: [10.0.0.0/24]}
- apiVersion: metallb.io/v1beta1
  kind: BGPAdvertisement
  metadata: {name: one, namespace: metallb-system}
  spec: {localPref: 100, nodeSelectors: [{matchLabels: {rack: r1}}], peers: [x]}
- apiVersion: metallb.io/v1beta2
  kind: BGPPeer
  metadata: {name: x, namespace: metallb-system}
  spec: {myASN: 64500, peerASN: 64501, peerAddress: 10.1.0.1}
- apiVersion: metallb.io/v1beta2
  kind: BGPPeer
  metadata: {name: y, namespace: metallb-system}
  spec: {myASN: 64500, peerASN: 64501, peerAddress: 10.1.0.2}
)";
  auto with = [&](const std::string& second) {
    return LoadText(base +
                    "- apiVersion: metallb.io/v1beta1\n  kind: BGPAdvertisement\n"
                    "  metadata: {name: two, namespace: metallb-system}\n  spec: " +
                    second + "\n");
  };
  EXPECT_TRUE(with("{localPref: 200, nodeSelectors: [{matchLabels: {rack: r2}}]}").ok());
  EXPECT_TRUE(with("{localPref: 200, peers: [y]}").ok());
  EXPECT_TRUE(with("{localPref: 100}").ok());
  const auto overlap = with("{localPref: 200, nodeSelectors: [{matchLabels: {rack: r1}}]}");
  ASSERT_EQ(overlap.diagnostics.size(), 1u) << Format(overlap.diagnostics);
  EXPECT_NE(overlap.diagnostics[0].message.find("conflicts with localPref 100"), std::string::npos);
  // No localPref is MetalLB's 0, which differs from 100.
  EXPECT_FALSE(
      with("{nodeSelectors: [{matchLabels: {edge: \"true\"}}, {matchLabels: {rack: r1}}]}").ok());
}

}  // namespace
}  // namespace vipcast::config
