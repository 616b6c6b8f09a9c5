// vipcastctl validate FILE|DIR...: loads manifests exactly as the controller
// and speakers would and reports every problem, one per line on stderr, with
// a one-line verdict on stdout. Exit 0 valid, 1 invalid, 2 unreadable input
// or bad usage.
#include <map>
#include <ostream>
#include <string>
#include <vector>

#include "engine/config/loader.h"
#include "prod/common/manifest_files.h"
#include "prod/ctl/command.h"

namespace vipcast::ctl {
namespace {

std::string Plural(size_t n, const char* word) {
  return std::to_string(n) + " " + word + (n == 1 ? "" : "s");
}

// "12 resources (3 IPAddressPool, 1 BGPPeer, ...)", kinds in model order.
std::string Summary(const config::Resources& r) {
  const std::vector<std::pair<const char*, size_t>> counts = {
      {"IPAddressPool", r.config.pools.size()},
      {"L2Advertisement", r.config.l2_advertisements.size()},
      {"BGPAdvertisement", r.config.bgp_advertisements.size()},
      {"BGPPeer", r.config.bgp_peers.size()},
      {"Community", r.config.communities.size()},
      {"BFDProfile", r.config.bfd_profiles.size()},
      {"Secret", r.config.secrets.size()},
      {"Namespace", r.config.namespaces.size()},
      {"Service", r.services.services.size()},
      {"EndpointSlice", r.services.endpoint_slices.size()},
      {"Node", r.nodes.nodes.size()},
  };
  size_t total = 0;
  std::string detail;
  for (const auto& [kind, n] : counts) {
    if (n == 0) continue;
    total += n;
    detail += (detail.empty() ? "" : ", ") + std::to_string(n) + " " + kind;
  }
  std::string out = Plural(total, "resource");
  if (!detail.empty()) out += " (" + detail + ")";
  return out;
}

int RunValidate(CommandContext& ctx) {
  std::vector<std::string> flags, paths;
  if (!ParseFlags(ctx, {}, &flags, &paths)) return 2;
  if (paths.empty()) {
    ctx.err << "usage: vipcastctl validate FILE|DIR...\n";
    return 2;
  }
  auto manifests = prod::ReadManifestPaths(paths);
  if (!manifests) {
    ctx.err << "vipcastctl validate: " << manifests.error() << "\n";
    return 2;
  }
  const config::LoadResult result = config::LoadManifests(*manifests);
  size_t errors = 0, warnings = 0;
  for (const auto& d : result.diagnostics) {
    ctx.err << d.ToString() << "\n";
    (d.severity == config::Severity::kError ? errors : warnings)++;
  }
  const std::string warning_note = warnings == 0 ? "" : ", " + Plural(warnings, "warning");
  if (errors > 0) {
    ctx.out << "invalid: " << Plural(errors, "error") << warning_note << "\n";
    return 1;
  }
  ctx.out << "valid: " << Summary(result.resources) << warning_note << "\n";
  return 0;
}

}  // namespace

VIPCAST_CTL_COMMAND(validate, "validate", "validate FILE|DIR...",
                    "check manifests (files, or directories of *.yaml/*.yml/*.json) as vipcast "
                    "would load them",
                    RunValidate);

}  // namespace vipcast::ctl
