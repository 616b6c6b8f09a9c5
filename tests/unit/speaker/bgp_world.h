// A small BGP world on the deterministic harness for the speaker tests: one
// upstream router (the engine/bgp router role plus a BFD engine, as a ToR
// running BFD for its BGP neighbours would) and speaker nodes on segment
// "lan", with the cluster's manifests written as YAML and loaded by the real
// config loader (so Community aliases, defaults and validation apply).
//
// Addresses: the router is 10.0.0.1 / 2001:db8::1 in AS kRouterAs; speaker
// node i ("node-<i>") is 10.0.0.<10+i> / 2001:db8::<10+i>.
#pragma once

#include <gtest/gtest.h>

#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "engine/bfd/bfd_engine.h"
#include "engine/bfd/transport.h"
#include "engine/bgp/router.h"
#include "engine/config/loader.h"
#include "engine/core/io.h"
#include "tests/harness/harness.h"

namespace vipcast::speaker::testing {

inline core::IpAddr Ip(const std::string& text) { return core::IpAddr::Parse(text).value(); }
inline core::Prefix Pfx(const std::string& text) { return core::Prefix::Parse(text).value(); }

inline constexpr uint32_t kRouterAs = 64501;
inline const core::IpAddr kRouterV4 = Ip("10.0.0.1");
inline const core::IpAddr kRouterV6 = Ip("2001:db8::1");

inline core::IpAddr NodeV4(size_t i) { return Ip("10.0.0." + std::to_string(10 + i)); }
inline core::IpAddr NodeV6(size_t i) { return Ip("2001:db8::" + std::to_string(10 + i)); }
inline std::string NodeName(size_t i) { return "node-" + std::to_string(i); }
inline core::MacAddr NodeMac(size_t i) {
  return core::MacAddr({0x02, 0, 0, 0, 0, static_cast<uint8_t>(0x10 + i)});
}

// How the router peers with every speaker.
struct RouterPeering {
  std::string password;           // RFC 2385 TCP-MD5 key; empty: none
  bool graceful_restart = false;  // RFC 4724: advertise it, be a helper
  // RFC 5082 GTSM as a router configured with `ttl-security hops 1`: its
  // listener drops segments with a TTL below 254.
  bool gtsm = false;
};

// The router role and a BFD engine on one node: BFD control datagrams go to
// BFD, everything else to the router.
class UpstreamRouter final : public core::Engine {
 public:
  UpstreamRouter(core::Asn asn, core::Rng& rng)
      : router_(asn, core::RouterId(kRouterV4.v4().value())), bfd_(rng) {}

  // Passive sessions to every speaker (the speakers connect), with IPv4 and
  // IPv6 unicast, and optionally BFD to each.
  void SetSpeakers(size_t count, core::Asn speaker_as,
                   std::optional<bfd::SessionParameters> with_bfd = std::nullopt,
                   const RouterPeering& peering = {}) {
    core::Outbox scratch;  // before Start: nothing here needs the runtime
    std::vector<bgp::SessionConfig> peers;
    for (size_t i = 0; i < count; ++i) {
      bgp::SessionConfig c;
      c.name = NodeName(i);
      c.peer_as = speaker_as;
      c.remote = {NodeV4(i), 179};
      c.passive = true;
      c.password = peering.password;
      c.local.graceful_restart = peering.graceful_restart;
      peers.push_back(c);
      if (with_bfd) {
        bfd::SessionConfig b{{NodeV4(i), kRouterV4, bfd::HopMode::kSingleHop}, *with_bfd, {}};
        EXPECT_TRUE(bfd_.AddSession(core::TimePoint::Epoch(), b, scratch).ok());
      }
    }
    router_.SetPeers(core::TimePoint::Epoch(), std::move(peers), scratch);
    gtsm_ = peering.gtsm;
  }

  void Handle(core::TimePoint now, const core::Input& input, core::Outbox& out) override {
    if (std::holds_alternative<core::DatagramReceived>(input)) {
      bfd_.Handle(now, input, out);
      return;
    }
    core::Outbox mine;
    router_.Handle(now, input, mine);
    Forward(mine, out);
  }
  void Advance(core::TimePoint now, core::Outbox& out) override {
    if (bfd_.NextDeadline() <= now) bfd_.Advance(now, out);
    core::Outbox mine;
    if (router_.NextDeadline() <= now) router_.Advance(now, mine);
    Forward(mine, out);
  }
  core::TimePoint NextDeadline() const override {
    return std::min(router_.NextDeadline(), bfd_.NextDeadline());
  }

  bgp::Router& router() { return router_; }
  bfd::BfdEngine& bfd() { return bfd_; }
  const std::map<core::Prefix, std::vector<core::IpAddr>>& fib() const { return router_.fib(); }
  // The route a speaker's session delivered for `prefix`, if any.
  const bgp::ReceivedRoute* RouteFrom(size_t speaker, const core::Prefix& prefix) {
    bgp::Session* s = router_.sessions().Find(NodeName(speaker));
    if (s == nullptr) return nullptr;
    auto it = s->rib_in().routes().find(prefix);
    return it == s->rib_in().routes().end() ? nullptr : &it->second;
  }
  bool Established(size_t speaker) {
    bgp::Session* s = router_.sessions().Find(NodeName(speaker));
    return s != nullptr && s->state() == bgp::FsmState::kEstablished;
  }

 private:
  // The router's actions, with GTSM applied to its listeners.
  void Forward(core::Outbox& mine, core::Outbox& out) const {
    for (core::Action& a : mine.Drain()) {
      if (auto* l = std::get_if<core::Listen>(&a); l && gtsm_) l->min_ttl = 254;
      out.Emit(std::move(a));
    }
  }

  bgp::Router router_;
  bfd::BfdEngine bfd_;
  bool gtsm_ = false;
};

// The manifests of one world, as YAML documents joined by the caller.
struct Manifests {
  std::string config;    // pools, peers, advertisements, communities, BFD profiles
  std::string nodes;     // Node objects
  std::string services;  // Services and EndpointSlices
};

inline std::string NodesYaml(size_t count) {
  std::string out;
  for (size_t i = 0; i < count; ++i) {
    out += "---\napiVersion: v1\nkind: Node\nmetadata:\n  name: " + NodeName(i) +
           "\n  labels: {rack: r" + std::to_string(i) + "}\n";
  }
  return out;
}

// A LoadBalancer service with one ingress IP and, for each node named,
// a ready endpoint there.
inline std::string ServiceYaml(const std::string& name, const std::string& ip,
                               const std::vector<size_t>& endpoint_nodes, bool local = false) {
  std::string out = "---\napiVersion: v1\nkind: Service\nmetadata:\n  name: " + name +
                    "\n  namespace: default\nspec:\n  type: LoadBalancer\n";
  if (local) out += "  externalTrafficPolicy: Local\n";
  out += "  ports:\n  - port: 80\nstatus:\n  loadBalancer:\n    ingress:\n    - ip: " + ip + "\n";
  out += "---\napiVersion: discovery.k8s.io/v1\nkind: EndpointSlice\nmetadata:\n  name: " + name +
         "-1\n  namespace: default\n  labels:\n    kubernetes.io/service-name: " + name +
         "\naddressType: IPv4\n";
  out += endpoint_nodes.empty() ? "endpoints: []\n" : "endpoints:\n";
  for (size_t n : endpoint_nodes) {
    out += "- addresses: [10.244.0." + std::to_string(n + 2) + "]\n  nodeName: " + NodeName(n) +
           "\n  conditions: {ready: true}\n";
  }
  return out;
}

inline config::Resources Load(const Manifests& m) {
  config::LoadResult r = config::LoadManifests(
      {{"config.yaml", m.config}, {"nodes.yaml", m.nodes}, {"services.yaml", m.services}});
  for (const auto& d : r.diagnostics) ADD_FAILURE() << d.ToString();
  EXPECT_TRUE(r.ok());
  return r.resources;
}

// Hands the world to a node now.
inline void Tell(harness::Harness& h, harness::NodeId node, const config::Resources& r) {
  h.Inject(node, core::ConfigApplied{std::make_shared<const config::ClusterConfig>(r.config)});
  h.Inject(node, core::NodesChanged{std::make_shared<const config::NodeSet>(r.nodes)});
  h.Inject(node, core::ServicesChanged{std::make_shared<const config::ServiceSet>(r.services)});
}

inline harness::NodeId AddRouterNode(harness::Harness& h) {
  return h.AddNode(
      {"router", {{"eth0", core::MacAddr({0x02, 0, 0, 0, 0, 1}), {kRouterV4, kRouterV6}, "lan"}}});
}
inline harness::NodeId AddSpeakerNode(harness::Harness& h, size_t i) {
  return h.AddNode({NodeName(i), {{"eth0", NodeMac(i), {NodeV4(i), NodeV6(i)}, "lan"}}});
}

}  // namespace vipcast::speaker::testing
