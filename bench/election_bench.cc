// Layer 2 election after one membership change, at 1000 nodes and 10,000
// VIPs: the incremental Election against recomputing every VIP from scratch
// as MetalLB's speakers do on each change.
//
// Every node is eligible for every VIP (one L2Advertisement for all pools,
// Cluster traffic policy, a ready endpoint per service), the worst case for
// the incremental index: each node appears in all 10,000 VIP orders.
//
// Counters (CPU time): incremental_us is one membership change with the
// incremental Election; baseline_ms is one from-scratch election of every VIP
// (each candidate hashed once and sorted, already cheaper than MetalLB's
// hashing inside the comparator); ratio is baseline / incremental; setup_s is
// building the incremental state once (every node hashed with every VIP).
#include <benchmark/benchmark.h>
#include <time.h>

#include <algorithm>
#include <cstdio>
#include <set>
#include <string>

#include "engine/election/election.h"
#include "engine/election/from_scratch.h"

namespace vipcast::election {
namespace {

constexpr int kNodes = 1000;
constexpr int kVips = 10000;

std::string NodeNameAt(int i) {
  char buf[32];
  std::snprintf(buf, sizeof buf, "node-%04d", i);
  return buf;
}

struct World {
  config::ClusterConfig config;
  config::NodeSet nodes;
  config::ServiceSet services;
  std::set<std::string> members;
};

World MakeWorld() {
  World w;
  config::IPAddressPool pool;
  pool.meta.name = "big";
  pool.addresses = {"10.0.0.0/16"};
  pool.ranges = {core::IpRange::Parse("10.0.0.0/16").value()};
  w.config.pools.push_back(pool);
  config::L2Advertisement ad;
  ad.meta.name = "all";
  w.config.l2_advertisements.push_back(ad);
  for (int i = 0; i < kNodes; ++i) {
    config::Node node;
    node.meta.name = NodeNameAt(i);
    node.meta.labels["kubernetes.io/hostname"] = node.meta.name;
    w.nodes.nodes.push_back(node);
    w.members.insert(node.meta.name);
  }
  for (int i = 0; i < kVips; ++i) {
    config::Service s;
    s.meta.namespace_ = "bench";
    s.meta.name = "svc-" + std::to_string(i);
    s.type = config::ServiceType::kLoadBalancer;
    s.ingress_ips = {core::IpAddr(core::Ipv4Addr((10u << 24) + static_cast<uint32_t>(i) + 1))};
    config::EndpointSlice slice;
    slice.meta.namespace_ = "bench";
    slice.meta.name = s.meta.name + "-x";
    slice.meta.labels[config::kLabelServiceName] = s.meta.name;
    config::Endpoint ep;
    ep.node_name = NodeNameAt(i % kNodes);
    slice.endpoints.push_back(ep);
    w.services.services.push_back(std::move(s));
    w.services.endpoint_slices.push_back(std::move(slice));
  }
  return w;
}

// Process CPU time rather than wall time: benchmark hosts are often shared,
// and the election is single-threaded, so CPU time is what it costs.
double CpuSeconds() {
  timespec ts{};
  clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &ts);
  return static_cast<double>(ts.tv_sec) + static_cast<double>(ts.tv_nsec) * 1e-9;
}

void BM_MembershipChange(benchmark::State& state) {
  static const World world = MakeWorld();

  // The baseline, timed once: what every change costs when nothing is kept.
  static const double baseline_s = [] {
    const double start = CpuSeconds();
    auto winners =
        ElectWinnersFromScratch({world.config, world.nodes, world.services, world.members, {}});
    benchmark::DoNotOptimize(winners);
    return CpuSeconds() - start;
  }();

  // Built once per process: 10 million order entries take seconds to hash.
  static double setup_s = 0;
  static Election* election = [] {
    static Election e;
    const double start = CpuSeconds();
    e.SetConfig(world.config);
    e.SetNodes(world.nodes);
    e.SetServices(world.services);
    std::set<core::NodeName> members;
    for (const auto& m : world.members) members.insert(core::NodeName::Parse(m).value());
    e.SetMembers(members);
    setup_s = CpuSeconds() - start;
    return &e;
  }();

  // One membership change per iteration: nodes go down and come back in
  // turn, so every iteration is a real change with winners moving.
  int64_t i = 0;
  size_t winner_changes = 0;
  const double start = CpuSeconds();
  for (auto _ : state) {
    const auto node = core::NodeName::Parse(NodeNameAt(static_cast<int>((i / 2) % kNodes))).value();
    auto changes = election->MemberChanged(node, i % 2 == 1);
    winner_changes += changes.size();
    benchmark::DoNotOptimize(changes);
    ++i;
  }
  const double incremental_s =
      (CpuSeconds() - start) / static_cast<double>(std::max<int64_t>(i, 1));
  // Leave every node up for the next run of this function.
  if (i % 2 == 1) {
    const int last = static_cast<int>((i / 2) % kNodes);
    election->MemberChanged(core::NodeName::Parse(NodeNameAt(last)).value(), true);
  }
  state.counters["nodes"] = kNodes;
  state.counters["vips"] = kVips;
  state.counters["winner_changes_per_op"] =
      static_cast<double>(winner_changes) / static_cast<double>(std::max<int64_t>(i, 1));
  state.counters["incremental_us"] = incremental_s * 1e6;
  state.counters["baseline_ms"] = baseline_s * 1e3;
  state.counters["ratio"] = baseline_s / incremental_s;
  state.counters["setup_s"] = setup_s;
}
BENCHMARK(BM_MembershipChange)->Unit(benchmark::kMicrosecond)->MeasureProcessCPUTime();

}  // namespace
}  // namespace vipcast::election

BENCHMARK_MAIN();
