// vipcast-speaker's command line. Parsing never exits or throws: errors come
// back as text for main to print with the usage.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "engine/core/io.h"
#include "engine/core/result.h"

namespace vipcast::speaker_main {

inline constexpr uint16_t kDefaultMetricsPort = 7472;

struct SpeakerFlags {
  std::string node;                     // --node NAME (this Node's name)
  std::vector<std::string> manifests;   // --manifests DIR|FILE (repeatable)
  std::optional<std::string> status;    // --status FILE (controller's assignments)
  std::vector<std::string> interfaces;  // --interface NAME[,NAME] (default: all eligible)
  uint16_t membership_port = 7946;      // --membership-port
  std::vector<core::Endpoint> members;  // --members ADDR:PORT,... (seeds)
  std::optional<core::IpAddr> address;  // --address ADDR (advertised membership address)
  std::string secret_file;              // --secret-file FILE (membership HMAC key)
  std::string profile = "default";      // --profile default|metallb
  core::LogLevel log_level = core::LogLevel::kInfo;  // --log-level
  uint64_t seed = 0;                                 // --seed N (0: from the clock)
  // --metrics-address ADDR:PORT for /metrics, /healthz, /readyz (MetalLB's
  // port 7472 by default; port 0: any free port); `none`: no HTTP server.
  std::optional<core::Endpoint> metrics_address =
      core::Endpoint{core::Ipv4Addr::FromOctets(0, 0, 0, 0), kDefaultMetricsPort};
  bool help = false;
};

extern const char kSpeakerUsage[];

// argv[0] excluded.
core::Result<SpeakerFlags> ParseSpeakerFlags(const std::vector<std::string>& args);

// "10.0.0.1:7946", "[2001:db8::1]:7946"; a bare address takes `default_port`.
// Port 0 is refused unless `allow_port_zero` (a listener asking for any port).
core::Result<core::Endpoint> ParseEndpoint(const std::string& text, uint16_t default_port,
                                           bool allow_port_zero = false);

}  // namespace vipcast::speaker_main
