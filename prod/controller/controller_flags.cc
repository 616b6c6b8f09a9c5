#include "prod/controller/controller_flags.h"

#include <algorithm>
#include <filesystem>
#include <system_error>

#include "prod/common/json_log.h"
#include "prod/speaker/speaker_flags.h"

namespace vipcast::controller_main {

const char kControllerUsage[] =
    "usage: vipcast-controller --manifests DIR|FILE [--manifests DIR|FILE ...] --status FILE\n"
    "         [--lb-class NAME] [--log-level debug|info|warning|error] [--once]\n"
    "         [--metrics-address ADDR:PORT|none]  (default 0.0.0.0:7472: /metrics, /healthz,\n"
    "         /readyz)\n"
    "  Allocates an address to every LoadBalancer Service in the manifests and writes\n"
    "  the assignments to the status file (read by vipcast-speaker --status).\n"
    "  --once: one pass, then exit (0 written, 1 cannot write, 2 invalid manifests);\n"
    "  no HTTP server.\n";

core::Result<ControllerFlags> ParseControllerFlags(const std::vector<std::string>& args) {
  ControllerFlags f;
  for (size_t i = 0; i < args.size(); ++i) {
    std::string flag = args[i];
    std::optional<std::string> inline_value;
    if (const size_t eq = flag.find('='); flag.rfind("--", 0) == 0 && eq != std::string::npos) {
      inline_value = flag.substr(eq + 1);
      flag = flag.substr(0, eq);
    }
    if (flag == "--help" || flag == "-h" || flag == "--once") {
      if (inline_value) return core::MakeErr(flag + " takes no value");
      (flag == "--once" ? f.once : f.help) = true;
      continue;
    }
    if (flag != "--manifests" && flag != "--status" && flag != "--lb-class" &&
        flag != "--log-level" && flag != "--metrics-address") {
      return core::MakeErr("unknown flag " + flag);
    }
    std::string value;
    if (inline_value) {
      value = *inline_value;
    } else if (i + 1 < args.size()) {
      value = args[++i];
    } else {
      return core::MakeErr(flag + " needs a value");
    }
    if (value.empty()) return core::MakeErr(flag + " needs a non-empty value");
    if (flag == "--manifests") {
      f.manifests.push_back(value);
    } else if (flag == "--status") {
      if (!f.status.empty()) return core::MakeErr(std::string("--status given twice"));
      f.status = value;
    } else if (flag == "--metrics-address") {
      if (value == "none") {
        f.metrics_address.reset();
      } else {
        // The speaker's syntax: "ADDR:PORT", "[V6]:PORT", a bare address.
        auto e = speaker_main::ParseEndpoint(value, kDefaultMetricsPort, /*allow_port_zero=*/true);
        if (!e) return core::MakeErr("--metrics-address: " + e.error());
        f.metrics_address = *e;
      }
    } else if (flag == "--lb-class") {
      f.lb_class = value;
    } else {
      auto level = prod::ParseLogLevel(value);
      if (!level) return core::MakeErr("--log-level: " + level.error());
      f.log_level = *level;
    }
  }
  if (f.help) return f;
  if (f.manifests.empty()) return core::MakeErr(std::string("--manifests is required"));
  if (f.status.empty()) return core::MakeErr(std::string("--status is required"));
  return f;
}

core::Status<> CheckStatusOutsideManifests(const ControllerFlags& flags) {
  namespace fs = std::filesystem;
  std::error_code ec;
  const fs::path status = fs::weakly_canonical(flags.status, ec);
  if (ec) return core::Unit{};  // an unusable path fails later, with the write's own error
  for (const std::string& manifest : flags.manifests) {
    const fs::path path = fs::weakly_canonical(manifest, ec);
    if (ec) continue;
    if (path == status) {
      return core::MakeErr("--status " + flags.status + " is also given as --manifests");
    }
    // Inside a manifest directory: `path` is a prefix of `status`.
    auto [p, s] = std::mismatch(path.begin(), path.end(), status.begin(), status.end());
    if (p == path.end() && fs::is_directory(path, ec)) {
      return core::MakeErr("--status " + flags.status + " is inside the manifest directory " +
                           manifest + "; it would be read back as a manifest");
    }
  }
  return core::Unit{};
}

}  // namespace vipcast::controller_main
