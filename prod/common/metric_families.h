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
// vipcast-controller's (label pool), MetalLB's allocator gauges.
inline constexpr std::string_view kMetricPoolAddresses = "metallb_allocator_addresses_total";
inline constexpr std::string_view kMetricPoolAddressesInUse =
    "metallb_allocator_addresses_in_use_total";

// Every name the engine reports in MetricChanged facts (engine/l2/counters.h,
// engine/bfd/metrics.h, engine/bgp/metrics.h, engine/membership/metrics.h,
// engine/speaker/l2_speaker.cc).
void RegisterEngineFamilies(MetricsRegistry& registry);
// metallb_speaker_announced and the metallb_k8s_client_* families.
void RegisterSpeakerFamilies(MetricsRegistry& registry);
// vipcast-controller's: metallb_allocator_addresses_total and
// metallb_allocator_addresses_in_use_total (label pool) and the
// metallb_k8s_client_* families.
void RegisterControllerFamilies(MetricsRegistry& registry);

}  // namespace vipcast::prod
