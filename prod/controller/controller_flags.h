// vipcast-controller's command line. Parsing never exits or throws: errors
// come back as text for main to print with the usage.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "engine/core/io.h"
#include "engine/core/result.h"

namespace vipcast::controller_main {

// MetalLB's controller serves its metrics on 7472 too.
inline constexpr uint16_t kDefaultMetricsPort = 7472;

struct ControllerFlags {
  std::vector<std::string> manifests;                // --manifests DIR|FILE (repeatable)
  std::string status;                                // --status FILE (written by rename)
  std::optional<std::string> lb_class;               // --lb-class NAME (MetalLB's --lb-class)
  core::LogLevel log_level = core::LogLevel::kInfo;  // --log-level
  bool once = false;                                 // --once: one pass, then exit
  // --metrics-address ADDR:PORT for /metrics, /healthz, /readyz (port 0: any
  // free port); `none`: no HTTP server. Not used with --once.
  std::optional<core::Endpoint> metrics_address =
      core::Endpoint{core::Ipv4Addr::FromOctets(0, 0, 0, 0), kDefaultMetricsPort};
  bool help = false;
};

extern const char kControllerUsage[];

// argv[0] excluded.
core::Result<ControllerFlags> ParseControllerFlags(const std::vector<std::string>& args);

// The status file must not be one of the manifests: it would be read back
// as input (a manifest directory's *.yaml) and every service would appear
// twice. Fails naming the two paths.
core::Status<> CheckStatusOutsideManifests(const ControllerFlags& flags);

}  // namespace vipcast::controller_main
