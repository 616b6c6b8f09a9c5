#include "prod/controller/allocator_metrics.h"

namespace vipcast::controller_main {

std::vector<core::MetricChanged> AllocatorMetrics(const std::vector<ipam::PoolCounters>& pools) {
  std::vector<core::MetricChanged> out;
  out.reserve(pools.size() * 7);
  for (const ipam::PoolCounters& p : pools) {
    const core::Labels labels{{"pool", p.pool}};
    auto add = [&](const char* name, uint64_t value) {
      // Counts saturate at 2^63-1 (ipam/capacity.h); a double carries that
      // magnitude, which is all a gauge needs for a huge IPv6 pool.
      out.push_back(core::MetricChanged{name, labels, static_cast<double>(value)});
    };
    add("metallb_allocator_addresses_total", p.addresses_total);
    add("metallb_allocator_ipv4_addresses_total", p.ipv4_addresses_total);
    add("metallb_allocator_ipv6_addresses_total", p.ipv6_addresses_total);
    add("metallb_allocator_addresses_in_use_total", p.addresses_in_use);
    add("metallb_allocator_ipv4_addresses_in_use_total", p.ipv4_addresses_in_use);
    add("metallb_allocator_ipv6_addresses_in_use_total", p.ipv6_addresses_in_use);
    add("metallb_allocator_services_allocated_total", p.services);
  }
  return out;
}

std::vector<core::MetricChanged> ConfigStateMetrics(bool loaded, bool stale) {
  return {core::MetricChanged{"metallb_k8s_client_config_loaded_bool", {}, loaded ? 1.0 : 0.0},
          core::MetricChanged{"metallb_k8s_client_config_stale_bool", {}, stale ? 1.0 : 0.0}};
}

}  // namespace vipcast::controller_main
