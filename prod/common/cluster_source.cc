#include "prod/common/cluster_source.h"

#include <fstream>
#include <sstream>
#include <utility>

#include "engine/config/loader.h"
#include "engine/ipam/allocate_all.h"
#include "prod/common/manifest_files.h"

namespace vipcast::prod {

core::Result<std::map<std::string, std::vector<core::IpAddr>>> ReadStatusFile(
    const std::string& path, std::string* text) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return core::MakeErr(path + ": cannot read the status file");
  std::stringstream buffer;
  buffer << in.rdbuf();
  *text = buffer.str();
  const config::LoadResult loaded = config::LoadManifests({{path, *text}});
  if (!loaded.ok()) {
    std::string errors;
    for (const auto& d : loaded.diagnostics) {
      if (d.severity == config::Severity::kError)
        errors += (errors.empty() ? "" : "; ") + d.ToString();
    }
    return core::MakeErr(errors);
  }
  std::map<std::string, std::vector<core::IpAddr>> status;
  for (const auto& s : loaded.resources.services.services) {
    if (!s.ingress_ips.empty()) status[s.meta.Key()] = s.ingress_ips;
  }
  return status;
}

ClusterSource::ClusterSource(std::vector<std::string> manifest_paths,
                             std::optional<std::string> status_file)
    : manifest_paths_(std::move(manifest_paths)), status_file_(std::move(status_file)) {}

ReloadOutcome ClusterSource::Reload(bool force) {
  ReloadOutcome outcome;
  auto texts = ReadManifestPaths(manifest_paths_);
  if (!texts) {
    stale_ = true;
    outcome.read = true;
    outcome.errors.push_back(texts.error());
    return outcome;
  }
  std::string all;
  for (const auto& t : *texts) all += t.file + '\0' + t.content + '\0';
  std::map<std::string, std::vector<core::IpAddr>> status;
  bool status_ok = true;
  if (status_file_) {
    std::string status_text;
    auto read = ReadStatusFile(*status_file_, &status_text);
    all += std::string("status\0", 7) + status_text;
    if (read) {
      status = std::move(read).value();
    } else {
      status_ok = false;
      outcome.errors.push_back(read.error());
    }
  }
  if (!force && have_text_ && all == last_text_) return outcome;
  last_text_ = std::move(all);
  have_text_ = true;
  outcome.read = true;

  config::LoadResult loaded = config::LoadManifests(*texts);
  for (const auto& d : loaded.diagnostics) {
    (d.severity == config::Severity::kError ? outcome.errors : outcome.warnings)
        .push_back(d.ToString());
  }
  if (!status_ok || !store_.Apply(std::move(loaded))) {
    stale_ = true;
    return outcome;
  }
  stale_ = false;
  const config::Resources& resources = *store_.current();

  ClusterSnapshot next;
  config::ServiceSet services = resources.services;
  // The allocator sees the status file's addresses as the services' status,
  // so what it gives the others never collides with them.
  config::Resources with_status = resources;
  for (config::Service& service : with_status.services.services) {
    if (auto it = status.find(service.meta.Key()); it != status.end()) {
      service.ingress_ips = it->second;
    }
  }
  const ipam::AllocationReport allocation = ipam::AllocateAll(with_status, {});
  std::map<std::string, const ipam::ServiceResult*> allocated;
  for (const auto& r : allocation.services) allocated.emplace(r.service, &r);
  for (config::Service& service : services.services) {
    const std::string key = service.meta.Key();
    if (auto it = status.find(key); it != status.end()) {
      service.ingress_ips = it->second;
      next.sources[key] = "status-file";
      continue;
    }
    if (!service.ingress_ips.empty()) {
      next.sources[key] = "status";
      continue;
    }
    auto it = allocated.find(key);
    if (it == allocated.end()) continue;  // not a service vipcast handles
    if (it->second->pending()) {
      next.sources[key] = "pending: " + it->second->pending_reason;
    } else {
      service.ingress_ips = it->second->ips;
      next.sources[key] = "allocated";
    }
  }
  next.config = std::make_shared<const config::ClusterConfig>(resources.config);
  next.services = std::make_shared<const config::ServiceSet>(std::move(services));
  next.nodes = std::make_shared<const config::NodeSet>(resources.nodes);

  outcome.accepted = true;
  outcome.config_changed = !current_.config || !(*current_.config == *next.config);
  outcome.services_changed = !current_.services || !(*current_.services == *next.services);
  outcome.nodes_changed = !current_.nodes || !(*current_.nodes == *next.nodes);
  current_ = std::move(next);
  return outcome;
}

}  // namespace vipcast::prod
