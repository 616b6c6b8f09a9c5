// vipcastctl allocate FILE|DIR... [--json] [--lb-class NAME]: the addresses
// the controller would give every LoadBalancer service in the manifests,
// computed by the controller's own allocator (status IPs are kept as on a
// restart), then the per-pool counters it would export as metrics.
// Exit 0 when the manifests load (pending services are a result, not an
// error), 1 when they are invalid, 2 on bad usage or unreadable input.
#include <ostream>
#include <string>
#include <vector>

#include "engine/config/loader.h"
#include "engine/ipam/allocate_all.h"
#include "prod/common/manifest_files.h"
#include "prod/ctl/command.h"
#include "prod/ctl/json_string.h"

namespace vipcast::ctl {
namespace {

constexpr char kUsage[] = "allocate FILE|DIR... [--json] [--lb-class NAME]";

struct AllocateArgs {
  std::vector<std::string> paths;
  ipam::AllocatorOptions options;
  bool json = false;
};

bool ParseAllocateArgs(CommandContext& ctx, AllocateArgs* args) {
  bool only_paths = false;
  for (size_t i = 0; i < ctx.args.size(); ++i) {
    const std::string& arg = ctx.args[i];
    if (only_paths || arg.rfind("--", 0) != 0) {
      args->paths.push_back(arg);
    } else if (arg == "--") {
      only_paths = true;
    } else if (arg == "--json") {
      args->json = true;
    } else if (arg == "--lb-class" || arg.rfind("--lb-class=", 0) == 0) {
      std::string value;
      if (arg == "--lb-class") {
        if (i + 1 == ctx.args.size()) {
          ctx.err << "vipcastctl allocate: --lb-class needs a value\n";
          return false;
        }
        value = ctx.args[++i];
      } else {
        value = arg.substr(std::string("--lb-class=").size());
      }
      if (value.empty()) {
        ctx.err << "vipcastctl allocate: --lb-class needs a non-empty value\n";
        return false;
      }
      args->options.load_balancer_class = value;
    } else {
      ctx.err << "vipcastctl: unknown flag " << arg << "\n";
      return false;
    }
  }
  if (args->paths.empty()) {
    ctx.err << "usage: vipcastctl " << kUsage << "\n";
    return false;
  }
  return true;
}

std::string IpList(const std::vector<core::IpAddr>& ips, const char* separator, bool quoted) {
  std::string out;
  for (const auto& ip : ips) {
    if (!out.empty()) out += separator;
    out += quoted ? JsonString(ip.ToString()) : ip.ToString();
  }
  return out;
}

// "default/web  192.168.1.240  pool=first-pool" or "default/db  pending: <reason>",
// then one line per pool.
void PrintText(std::ostream& out, const ipam::AllocationReport& report) {
  for (const auto& s : report.services) {
    if (s.pending()) {
      out << s.service << "  pending: " << s.pending_reason << "\n";
    } else {
      out << s.service << "  " << IpList(s.ips, ",", false) << "  pool=" << s.pool << "\n";
    }
  }
  if (!report.services.empty() && !report.pools.empty()) out << "\n";
  for (const auto& p : report.pools) {
    out << "pool " << p.pool << ": " << p.addresses_in_use << "/" << p.addresses_total
        << " addresses in use (IPv4 " << p.ipv4_addresses_in_use << "/" << p.ipv4_addresses_total
        << ", IPv6 " << p.ipv6_addresses_in_use << "/" << p.ipv6_addresses_total << "), "
        << p.services << (p.services == 1 ? " service" : " services") << "\n";
  }
}

// One JSON array of {service, ips, pool, pending_reason}; pool is null while
// pending and pending_reason is null once assigned. The pool counters are
// left out so the output stays a single JSON value any parser accepts.
void PrintJson(std::ostream& out, const ipam::AllocationReport& report) {
  out << "[";
  for (size_t i = 0; i < report.services.size(); ++i) {
    const auto& s = report.services[i];
    out << (i == 0 ? "\n  " : ",\n  ") << "{\"service\": " << JsonString(s.service)
        << ", \"ips\": [" << IpList(s.ips, ", ", true)
        << "], \"pool\": " << (s.pending() ? "null" : JsonString(s.pool))
        << ", \"pending_reason\": " << (s.pending() ? JsonString(s.pending_reason) : "null") << "}";
  }
  out << (report.services.empty() ? "]\n" : "\n]\n");
}

int RunAllocate(CommandContext& ctx) {
  AllocateArgs args;
  if (!ParseAllocateArgs(ctx, &args)) return 2;
  auto manifests = prod::ReadManifestPaths(args.paths);
  if (!manifests) {
    ctx.err << "vipcastctl allocate: " << manifests.error() << "\n";
    return 2;
  }
  const config::LoadResult loaded = config::LoadManifests(*manifests);
  for (const auto& d : loaded.diagnostics) ctx.err << d.ToString() << "\n";
  if (!loaded.ok()) {
    ctx.err << "vipcastctl allocate: the manifests are invalid; nothing allocated\n";
    return 1;
  }
  const ipam::AllocationReport report = ipam::AllocateAll(loaded.resources, args.options);
  for (const auto& w : report.warnings) ctx.err << "warning: " << w << "\n";
  if (args.json) {
    PrintJson(ctx.out, report);
  } else {
    PrintText(ctx.out, report);
  }
  return 0;
}

}  // namespace

VIPCAST_CTL_COMMAND(allocate, "allocate", kUsage,
                    "show the IP each LoadBalancer service gets (or why it is pending) and the "
                    "pools' usage, as the controller would allocate them",
                    RunAllocate);

}  // namespace vipcast::ctl
