#include "prod/controller/allocator_metrics.h"

#include <string>

#include "prod/common/metric_families.h"

namespace vipcast::controller_main {

std::vector<core::MetricChanged> AllocatorMetrics(const std::vector<ipam::PoolCounters>& pools) {
  std::vector<core::MetricChanged> out;
  out.reserve(pools.size() * 7);
  for (const ipam::PoolCounters& p : pools) {
    const core::Labels labels{{"pool", p.pool}};
    auto add = [&](std::string_view name, uint64_t value) {
      // Counts saturate at 2^63-1 (ipam/capacity.h); a double carries that
      // magnitude, which is all a gauge needs for a huge IPv6 pool.
      out.push_back(core::MetricChanged{std::string(name), labels, static_cast<double>(value)});
    };
    add(prod::kMetricPoolAddresses, p.addresses_total);
    add(prod::kMetricPoolIpv4Addresses, p.ipv4_addresses_total);
    add(prod::kMetricPoolIpv6Addresses, p.ipv6_addresses_total);
    add(prod::kMetricPoolAddressesInUse, p.addresses_in_use);
    add(prod::kMetricPoolIpv4AddressesInUse, p.ipv4_addresses_in_use);
    add(prod::kMetricPoolIpv6AddressesInUse, p.ipv6_addresses_in_use);
    add(prod::kMetricPoolServicesAllocated, p.services);
  }
  return out;
}

std::vector<core::MetricChanged> ConfigStateMetrics(bool loaded, bool stale) {
  return {core::MetricChanged{std::string(prod::kMetricConfigLoaded), {}, loaded ? 1.0 : 0.0},
          core::MetricChanged{std::string(prod::kMetricConfigStale), {}, stale ? 1.0 : 0.0}};
}

}  // namespace vipcast::controller_main
