// vipcastctl elect: which node announces each LoadBalancer service's IPs in
// layer 2 mode, the order the others would take over in, and why every other
// node can't. Runs the speaker's own election engine over manifests.
#include <iostream>
#include <map>
#include <set>
#include <sstream>

#include "engine/config/loader.h"
#include "engine/election/election.h"
#include "engine/election/service_scope.h"
#include "engine/ipam/allocate_all.h"
#include "prod/common/manifest_files.h"
#include "prod/ctl/command.h"
#include "prod/ctl/elect_report.h"

namespace vipcast::ctl {
namespace {

struct ElectArgs {
  std::vector<std::string> paths;
  std::optional<std::vector<std::string>> members;  // unset: every Node
  bool json = false;
};

std::vector<std::string> SplitCommas(const std::string& text) {
  std::vector<std::string> out;
  std::stringstream in(text);
  for (std::string item; std::getline(in, item, ',');) {
    if (!item.empty()) out.push_back(item);
  }
  return out;
}

// Accepts "--members a,b", "--members=a,b" and "--json"; anything else that
// starts with "--" is refused, the rest are paths.
bool ParseElectArgs(CommandContext& ctx, ElectArgs* args) {
  for (size_t i = 0; i < ctx.args.size(); ++i) {
    const std::string& arg = ctx.args[i];
    if (arg == "--json") {
      args->json = true;
    } else if (arg == "--members") {
      if (i + 1 == ctx.args.size()) {
        ctx.err << "vipcastctl elect: --members needs a value (NODE,...)\n";
        return false;
      }
      args->members = SplitCommas(ctx.args[++i]);
    } else if (arg.rfind("--members=", 0) == 0) {
      args->members = SplitCommas(arg.substr(10));
    } else if (arg.rfind("--", 0) == 0) {
      ctx.err << "vipcastctl: unknown flag " << arg << "\n";
      return false;
    } else {
      args->paths.push_back(arg);
    }
  }
  if (args->paths.empty()) {
    ctx.err << "usage: vipcastctl elect FILE|DIR... [--members NODE,...] [--json]\n";
    return false;
  }
  return true;
}

// Services as the speaker would see them: status IPs when the manifests carry
// them, otherwise the IPs `vipcastctl allocate` computes. Fills the sources
// and the services left without an address.
config::ServiceSet WithAssignments(const config::Resources& resources,
                                   std::map<std::string, std::string>* sources,
                                   std::vector<UnassignedService>* unassigned) {
  const ipam::AllocationReport allocation = ipam::AllocateAll(resources, {});
  std::map<std::string, const ipam::ServiceResult*> allocated;
  for (const auto& r : allocation.services) allocated.emplace(r.service, &r);

  config::ServiceSet services = resources.services;
  for (auto& service : services.services) {
    const std::string key = service.meta.Key();
    if (!service.ingress_ips.empty()) {
      sources->emplace(key, "status");
      continue;
    }
    auto it = allocated.find(key);
    if (it == allocated.end()) continue;  // not a service we handle
    if (it->second->pending()) {
      unassigned->push_back({key, it->second->pending_reason});
    } else {
      service.ingress_ips = it->second->ips;
      sources->emplace(key, "allocated");
    }
  }
  return services;
}

int RunElect(CommandContext& ctx) {
  ElectArgs args;
  if (!ParseElectArgs(ctx, &args)) return 2;

  std::set<core::NodeName> members;
  if (args.members) {
    for (const auto& name : *args.members) {
      auto parsed = core::NodeName::Parse(name);
      if (!parsed) {
        ctx.err << "vipcastctl elect: --members: " << parsed.error() << "\n";
        return 2;
      }
      members.insert(*parsed);
    }
  }

  auto texts = prod::ReadManifestPaths(args.paths);
  if (!texts) {
    ctx.err << "vipcastctl elect: " << texts.error() << "\n";
    return 2;
  }
  const config::LoadResult loaded = config::LoadManifests(*texts);
  for (const auto& d : loaded.diagnostics) ctx.err << d.ToString() << "\n";
  if (!loaded.ok()) {
    ctx.err << "vipcastctl elect: the manifests are invalid; fix the errors above\n";
    return 1;
  }
  const config::Resources& resources = loaded.resources;
  if (!args.members) {
    for (const auto& node : resources.nodes.nodes) {
      if (auto parsed = core::NodeName::Parse(node.meta.name)) members.insert(*parsed);
    }
  }

  ElectReport report;
  std::map<std::string, std::string> sources;
  const config::ServiceSet services = WithAssignments(resources, &sources, &report.unassigned);
  election::Election election;
  election.SetConfig(resources.config);
  election.SetNodes(resources.nodes);
  election.SetServices(services);
  election.SetMembers(members);
  for (const auto& m : members) report.members.push_back(m.str());
  for (auto& result : election.ExplainAll()) {
    const std::string source = sources.count(result.service) ? sources.at(result.service) : "";
    report.services.push_back({std::move(result), source});
  }

  if (args.json) {
    PrintElectJson(report, ctx.out);
  } else {
    PrintElectText(report, ctx.out);
  }
  return 0;
}

}  // namespace

VIPCAST_CTL_COMMAND(elect, "elect", "elect FILE|DIR... [--members NODE,...] [--json]",
                    "show which node announces each service's IPs in layer 2 mode, and why",
                    RunElect);

}  // namespace vipcast::ctl
