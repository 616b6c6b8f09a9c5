// The controller's Prometheus gauges, under MetalLB's names so existing
// dashboards and alerts keep working (MetalLB internal/allocator/stats.go):
//   metallb_allocator_addresses_total{pool}           usable addresses
//   metallb_allocator_ipv4_addresses_total{pool}
//   metallb_allocator_ipv6_addresses_total{pool}
//   metallb_allocator_addresses_in_use_total{pool}    addresses held by services
//   metallb_allocator_ipv4_addresses_in_use_total{pool}
//   metallb_allocator_ipv6_addresses_in_use_total{pool}
//   metallb_allocator_services_allocated_total{pool}  services holding addresses
// plus the configuration state gauges of MetalLB's k8s client:
//   metallb_k8s_client_config_loaded_bool, metallb_k8s_client_config_stale_bool.
// The values are returned, not served: vipcast-controller sets them in its
// MetricsRegistry (controller_metrics.h) and serves them on /metrics.
#pragma once

#include <vector>

#include "engine/core/io.h"
#include "engine/ipam/results.h"

namespace vipcast::controller_main {

// Seven gauges per pool, pools in the given order (sorted by name).
std::vector<core::MetricChanged> AllocatorMetrics(const std::vector<ipam::PoolCounters>& pools);

std::vector<core::MetricChanged> ConfigStateMetrics(bool loaded, bool stale);

}  // namespace vipcast::controller_main
