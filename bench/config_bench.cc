// Configuration loading at scale. Target: 1,000 IPAddressPools and 1,000
// BGPPeers (plus advertisements, BFD profiles, communities and a Secret)
// load and validate in under 100 ms on one core. Validation alone is
// measured separately, and the overlap check is shown to grow as n log n.
#include <benchmark/benchmark.h>

#include <string>
#include <vector>

#include "engine/config/loader.h"
#include "engine/config/validate.h"

namespace vipcast::config {
namespace {

// Pool i owns 10.(i/256).(i%256).0/24 plus an IPv6 /120, peer i is an eBGP
// session to 172.(16+i/65536).(i/256%256).(i%256) with timers and a node
// selector; ten BGPAdvertisements select pools by label, two by name.
std::string GeneratedManifests(int pools, int peers) {
  std::string out;
  out.reserve(static_cast<size_t>(pools + peers) * 400);
  for (int i = 0; i < pools; ++i) {
    out += "---\napiVersion: metallb.io/v1beta1\nkind: IPAddressPool\nmetadata:\n  name: pool-" +
           std::to_string(i) + "\n  namespace: metallb-system\n  labels:\n    group: g" +
           std::to_string(i % 10) + "\nspec:\n  addresses:\n  - 10." + std::to_string(i / 256) +
           "." + std::to_string(i % 256) + ".0/24\n  - fd00:" + std::to_string(i) +
           "::/120\n  autoAssign: " + (i % 3 == 0 ? "false" : "true") + "\n";
  }
  for (int i = 0; i < peers; ++i) {
    out += "---\napiVersion: metallb.io/v1beta2\nkind: BGPPeer\nmetadata:\n  name: peer-" +
           std::to_string(i) + "\n  namespace: metallb-system\nspec:\n  myASN: 64512\n  peerASN: " +
           std::to_string(64513 + i % 1000) + "\n  peerAddress: 172." +
           std::to_string(16 + i / 65536) + "." + std::to_string(i / 256 % 256) + "." +
           std::to_string(i % 256) + "\n  holdTime: 90s\n  keepaliveTime: 30s\n" +
           "  bfdProfile: bfd-" + std::to_string(i % 4) + "\n  passwordSecret: {name: bgp-auth}\n" +
           "  nodeSelectors:\n  - matchLabels:\n      rack: r" + std::to_string(i % 40) + "\n";
  }
  for (int i = 0; i < 4; ++i) {
    out += "---\napiVersion: metallb.io/v1beta1\nkind: BFDProfile\nmetadata:\n  name: bfd-" +
           std::to_string(i) + "\n  namespace: metallb-system\nspec:\n  receiveInterval: 300\n";
  }
  out +=
      "---\napiVersion: metallb.io/v1beta1\nkind: Community\nmetadata:\n  name: c\n"
      "  namespace: metallb-system\nspec:\n  communities:\n  - name: no-export\n"
      "    value: 65535:65281\n";
  out +=
      "---\napiVersion: v1\nkind: Secret\nmetadata:\n  name: bgp-auth\n"
      "  namespace: metallb-system\ntype: kubernetes.io/basic-auth\nstringData:\n"
      "  password: s3cret\n";
  for (int i = 0; i < 10; ++i) {
    out += "---\napiVersion: metallb.io/v1beta1\nkind: BGPAdvertisement\nmetadata:\n  name: adv-" +
           std::to_string(i) +
           "\n  namespace: metallb-system\nspec:\n  aggregationLength: 32\n"
           "  communities: [no-export, 64512:" +
           std::to_string(i) +
           "]\n"
           "  ipAddressPoolSelectors:\n  - matchLabels: {group: g" +
           std::to_string(i) + "}\n";
  }
  out +=
      "---\napiVersion: metallb.io/v1beta1\nkind: BGPAdvertisement\nmetadata:\n  name: named\n"
      "  namespace: metallb-system\nspec:\n  ipAddressPools: [pool-1, pool-2]\n  peers: [peer-1]\n";
  out +=
      "---\napiVersion: metallb.io/v1beta1\nkind: L2Advertisement\nmetadata:\n  name: all\n"
      "  namespace: metallb-system\n";
  return out;
}

void BM_LoadManifests(benchmark::State& state) {
  const int n = static_cast<int>(state.range(0));
  const std::vector<ManifestText> manifests = {{"generated.yaml", GeneratedManifests(n, n)}};
  for (auto _ : state) {
    LoadResult result = LoadManifests(manifests);
    if (!result.ok()) state.SkipWithError("generated configuration is invalid");
    benchmark::DoNotOptimize(result);
  }
  state.SetItemsProcessed(state.iterations() * 2 * n);
  state.counters["bytes"] = static_cast<double>(manifests[0].content.size());
}
BENCHMARK(BM_LoadManifests)->Arg(100)->Arg(1000)->Unit(benchmark::kMillisecond);

// The cross-object passes only, on an already parsed snapshot.
void BM_Validate(benchmark::State& state) {
  const int n = static_cast<int>(state.range(0));
  const LoadResult loaded = LoadManifests({{"generated.yaml", GeneratedManifests(n, n)}});
  for (auto _ : state) {
    Resources resources = loaded.resources;
    std::vector<Diagnostic> diagnostics;
    detail::Reporter report(diagnostics);
    detail::RemoveDuplicates(resources, report);
    detail::ValidatePoolOverlaps(resources.config.pools, report);
    detail::ValidateCommunities(resources.config, report);
    detail::ValidateAdvertisements(resources.config, report);
    detail::ValidateLocalPref(resources, report);
    detail::ValidatePeers(resources.config, report);
    detail::ValidateServices(resources, report);
    if (!diagnostics.empty()) state.SkipWithError("unexpected diagnostics");
    benchmark::DoNotOptimize(resources);
  }
  state.SetItemsProcessed(state.iterations() * 2 * n);
}
BENCHMARK(BM_Validate)->Arg(100)->Arg(1000)->Unit(benchmark::kMillisecond);

// Overlap detection alone: n pools of two entries each, none overlapping.
void BM_PoolOverlaps(benchmark::State& state) {
  const int n = static_cast<int>(state.range(0));
  std::vector<IPAddressPool> pools(static_cast<size_t>(n));
  for (int i = 0; i < n; ++i) {
    auto& pool = pools[static_cast<size_t>(i)];
    pool.meta.name = "pool-" + std::to_string(i);
    pool.meta.namespace_ = "metallb-system";
    // Interleaved so that input order is not address order.
    const int j = (i * 7919) % n;
    pool.addresses = {
        "10." + std::to_string(j / 256 % 256) + "." + std::to_string(j % 256) + ".0/25",
        "fd00:" + std::to_string(j % 65536) + ":" + std::to_string(j / 65536) + "::/64"};
  }
  for (auto _ : state) {
    std::vector<Diagnostic> diagnostics;
    detail::Reporter report(diagnostics);
    detail::ValidatePoolOverlaps(pools, report);
    if (!diagnostics.empty()) state.SkipWithError("unexpected overlap");
    benchmark::DoNotOptimize(diagnostics);
  }
  state.SetComplexityN(n);
}
BENCHMARK(BM_PoolOverlaps)
    ->RangeMultiplier(4)
    ->Range(1 << 10, 1 << 16)
    ->Unit(benchmark::kMillisecond)
    ->Complexity(benchmark::oNLogN);

}  // namespace
}  // namespace vipcast::config

BENCHMARK_MAIN();
