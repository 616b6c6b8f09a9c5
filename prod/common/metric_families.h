// The catalogue of metric families (name, HELP, TYPE) the production
// binaries expose. MetalLB's names, types and labels are kept exactly so
// that dashboards and alerts written for MetalLB keep working; the HELP
// texts are our own. vipcast's own series are prefixed vipcast_.
//
// Where MetalLB's name breaks a Prometheus naming convention (counters
// without _total such as metallb_layer2_requests_received, gauges ending in
// _total such as metallb_bgp_announced_prefixes_total), compatibility wins;
// `promtool check metrics` reports those and tests/prod/metrics_registry_test
// lists them as accepted.
#pragma once

#include <string_view>

#include "prod/common/metrics_registry.h"

namespace vipcast::prod {

// vipcast-speaker's own series (not emitted by the engine).
inline constexpr std::string_view kMetricSpeakerAnnounced = "metallb_speaker_announced";
inline constexpr std::string_view kMetricConfigLoaded = "metallb_k8s_client_config_loaded_bool";
inline constexpr std::string_view kMetricConfigStale = "metallb_k8s_client_config_stale_bool";
inline constexpr std::string_view kMetricClientUpdates = "metallb_k8s_client_updates_total";
inline constexpr std::string_view kMetricClientUpdateErrors =
    "metallb_k8s_client_update_errors_total";
// vipcast-controller's (label pool), MetalLB's allocator gauges
// (MetalLB internal/allocator/stats.go): gauges although named _total.
inline constexpr std::string_view kMetricPoolAddresses = "metallb_allocator_addresses_total";
inline constexpr std::string_view kMetricPoolIpv4Addresses =
    "metallb_allocator_ipv4_addresses_total";
inline constexpr std::string_view kMetricPoolIpv6Addresses =
    "metallb_allocator_ipv6_addresses_total";
inline constexpr std::string_view kMetricPoolAddressesInUse =
    "metallb_allocator_addresses_in_use_total";
inline constexpr std::string_view kMetricPoolIpv4AddressesInUse =
    "metallb_allocator_ipv4_addresses_in_use_total";
inline constexpr std::string_view kMetricPoolIpv6AddressesInUse =
    "metallb_allocator_ipv6_addresses_in_use_total";
inline constexpr std::string_view kMetricPoolServicesAllocated =
    "metallb_allocator_services_allocated_total";

// Every name the engine reports in MetricChanged facts (engine/l2/counters.h,
// engine/bfd/metrics.h, engine/bgp/metrics.h, engine/membership/metrics.h,
// engine/speaker/l2_speaker.cc).
void RegisterEngineFamilies(MetricsRegistry& registry);
// metallb_speaker_announced and the metallb_k8s_client_* families.
void RegisterSpeakerFamilies(MetricsRegistry& registry);
// vipcast-controller's: the seven metallb_allocator_* gauges (label pool)
// and the metallb_k8s_client_* families.
void RegisterControllerFamilies(MetricsRegistry& registry);

}  // namespace vipcast::prod
