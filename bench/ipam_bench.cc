// Allocator throughput. Target: 100,000 services over 20 pools in under one
// second on one core (the controller's full resync after a restart), and
// steady delete+create churn at that scale.
#include <benchmark/benchmark.h>

#include <string>
#include <vector>

#include "engine/config/model.h"
#include "engine/ipam/allocator.h"

namespace vipcast::ipam {
namespace {

constexpr int kPools = 20;
constexpr int kServices = 100000;

// 20 pools of one /19 each (8,192 addresses; 163,840 in all), the first
// five pinned to namespaces with priorities and two with avoidBuggyIPs, so
// the benchmark goes through the same paths as a real config.
config::ClusterConfig TwentyPools() {
  config::ClusterConfig config;
  for (int i = 0; i < kPools; ++i) {
    config::IPAddressPool pool;
    pool.meta.name = "pool-" + std::string(i < 10 ? "0" : "") + std::to_string(i);
    const auto first = core::IpAddr::FromUint128(
        core::IpFamily::kV4, (core::Uint128{10} << 24) | (core::Uint128(i) << 13));
    auto prefix = core::Prefix::Make(first, 19).value();
    pool.addresses.push_back(prefix.ToString());
    pool.ranges.push_back(core::IpRange::FromPrefix(prefix));
    pool.avoid_buggy_ips = i % 10 == 3;
    if (i < 5) {
      config::ServiceAllocation allocation;
      allocation.namespaces = {"team-" + std::to_string(i)};
      allocation.priority = i + 1;
      pool.service_allocation = allocation;
    }
    config.pools.push_back(pool);
  }
  return config;
}

config::Service MakeService(int i) {
  config::Service s;
  s.meta.namespace_ = "team-" + std::to_string(i % 8);
  s.meta.name = "svc-" + std::to_string(i);
  s.type = config::ServiceType::kLoadBalancer;
  s.ports.push_back(config::ServicePort{"http", "TCP", 80, "8080"});
  // Every tenth pair shares an address (TCP/80 and TCP/443 under one key).
  if (i % 20 < 2) {
    s.meta.annotations[config::kAnnotationAllowSharedIp] = "share-" + std::to_string(i / 20);
    s.ports[0].port = i % 2 == 0 ? 80 : 443;
  }
  return s;
}

std::vector<config::Service> ManyServices() {
  std::vector<config::Service> services;
  services.reserve(kServices);
  for (int i = 0; i < kServices; ++i) services.push_back(MakeService(i));
  return services;
}

// The whole batch at once: config, then every service (a restart).
void BM_AllocateAll100kOver20Pools(benchmark::State& state) {
  const auto config = TwentyPools();
  const auto services = ManyServices();
  for (auto _ : state) {
    Allocator allocator;
    allocator.SetConfig(config);
    auto changes = allocator.ReplaceServices(services);
    benchmark::DoNotOptimize(changes);
    if (!allocator.Pending().empty()) state.SkipWithError("services left pending");
  }
  state.SetItemsProcessed(state.iterations() * kServices);
}
// The warm-up and the several iterations keep the first touch of ~175 MB of
// fresh heap pages out of the figure (on a loaded VM those page faults alone
// can cost a second); a long-running controller allocates from a warm heap.
BENCHMARK(BM_AllocateAll100kOver20Pools)
    ->Unit(benchmark::kMillisecond)
    ->MinWarmUpTime(1.0)
    ->MinTime(3.0);

// One event at a time, as the controller sees creations.
void BM_Upsert100kOneByOne(benchmark::State& state) {
  const auto config = TwentyPools();
  const auto services = ManyServices();
  for (auto _ : state) {
    Allocator allocator;
    allocator.SetConfig(config);
    for (const auto& s : services) benchmark::DoNotOptimize(allocator.Upsert(s));
  }
  state.SetItemsProcessed(state.iterations() * kServices);
}
BENCHMARK(BM_Upsert100kOneByOne)->Unit(benchmark::kMillisecond)->MinWarmUpTime(1.0)->MinTime(3.0);

// Churn on a full cluster: delete a service, create a new one; the freed
// address is the lowest free one and is reused at once.
void BM_ChurnDeleteAndCreate(benchmark::State& state) {
  Allocator allocator;
  allocator.SetConfig(TwentyPools());
  allocator.ReplaceServices(ManyServices());
  int next = kServices;
  uint64_t victim = 1;
  for (auto _ : state) {
    victim = (victim * 48271) % 2147483647;  // deterministic spread over the services
    const auto old = MakeService(static_cast<int>(victim % kServices));
    benchmark::DoNotOptimize(allocator.Delete(old.meta.Key()));
    auto fresh = MakeService(next++);
    fresh.meta.name = "churn-" + std::to_string(next);
    benchmark::DoNotOptimize(allocator.Upsert(fresh));
  }
  state.SetItemsProcessed(state.iterations() * 2);
}
BENCHMARK(BM_ChurnDeleteAndCreate);

// A config change that keeps every address: every service re-validates.
void BM_ConfigChangeRevalidates100k(benchmark::State& state) {
  Allocator allocator;
  auto config = TwentyPools();
  allocator.SetConfig(config);
  allocator.ReplaceServices(ManyServices());
  int round = 0;
  for (auto _ : state) {
    config.pools.back().auto_assign = (++round % 2) == 0;
    benchmark::DoNotOptimize(allocator.SetConfig(config));
  }
  state.SetItemsProcessed(state.iterations() * kServices);
}
BENCHMARK(BM_ConfigChangeRevalidates100k)->Unit(benchmark::kMillisecond);

}  // namespace
}  // namespace vipcast::ipam

BENCHMARK_MAIN();
