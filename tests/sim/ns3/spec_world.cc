#include "tests/sim/ns3/spec_world.h"

#include <gtest/gtest.h>

#include <algorithm>

#include "engine/config/loader.h"

namespace vipcast::sim::testing {

namespace {

constexpr char kPool[] = R"(apiVersion: metallb.io/v1beta1
kind: IPAddressPool
metadata: {name: first-pool, namespace: metallb-system}
spec:
  addresses: [192.168.1.240-192.168.1.250]
---
apiVersion: metallb.io/v1beta1
kind: L2Advertisement
metadata: {name: l2, namespace: metallb-system}
)";

constexpr char kService[] = R"(apiVersion: v1
kind: Service
metadata: {name: web, namespace: default}
spec:
  type: LoadBalancer
  externalTrafficPolicy: Cluster
  ports: [{port: 80, protocol: TCP}]
)";

}  // namespace

config::Resources SpecResources() {
  const config::LoadResult loaded =
      config::LoadManifests({{"l2-basic.yaml", kPool}, {"web.yaml", kService}});
  EXPECT_TRUE(loaded.ok());
  return loaded.resources;
}

WorldOptions SpecOptions() {
  WorldOptions options;
  options.topology.kind = "l2-switch";
  options.topology.nodes = 3;
  options.topology.clients = 1;
  return options;
}

std::unique_ptr<World> MakeSpecWorld(const WorldOptions& options) {
  auto built = World::Build(options);
  EXPECT_TRUE(built.ok()) << (built.ok() ? "" : built.error());
  if (!built.ok()) return nullptr;
  std::unique_ptr<World> world = std::move(built).value();
  world->ApplyResources(SpecResources());
  std::vector<std::string> nodes;
  for (size_t i = 0; i < options.topology.nodes; ++i) nodes.push_back("node-" + std::to_string(i));
  world->SetEndpoints({{kWeb, nodes}});
  Probe probe;
  probe.name = "probe";
  probe.from = "client-0";
  probe.service = kWeb;
  probe.port = 80;
  probe.every = core::Duration::Milliseconds(10);
  const auto added = world->AddProbe(probe);
  EXPECT_TRUE(added.ok()) << (added.ok() ? "" : added.error());
  return world;
}

core::Duration LongestSilence(const std::vector<TimelineEvent>& timeline, core::TimePoint from,
                              core::TimePoint to) {
  core::Duration longest;
  core::TimePoint last = from;
  for (const TimelineEvent& e : timeline) {
    if (e.kind != TimelineEvent::Kind::kProbeAnswered || e.at < from || e.at > to) continue;
    longest = std::max(longest, e.at - last);
    last = e.at;
  }
  return std::max(longest, to - last);
}

std::string LastAnswerer(const std::vector<TimelineEvent>& timeline, core::TimePoint to) {
  std::string host;
  for (const TimelineEvent& e : timeline) {
    if (e.kind == TimelineEvent::Kind::kProbeAnswered && e.at <= to) host = e.host;
  }
  return host;
}

size_t Count(const std::vector<TimelineEvent>& timeline, TimelineEvent::Kind kind,
             core::TimePoint from, core::TimePoint to) {
  return static_cast<size_t>(std::count_if(timeline.begin(), timeline.end(), [&](const auto& e) {
    return e.kind == kind && e.at >= from && e.at < to;
  }));
}

}  // namespace vipcast::sim::testing
