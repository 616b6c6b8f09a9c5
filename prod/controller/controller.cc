#include "prod/controller/controller.h"

#include <filesystem>
#include <system_error>
#include <utility>

#include "engine/config/loader.h"
#include "prod/common/cluster_source.h"
#include "prod/common/manifest_files.h"
#include "prod/controller/allocator_metrics.h"
#include "prod/controller/atomic_file.h"
#include "prod/controller/status_yaml.h"

namespace vipcast::controller_main {

Controller::Controller(ControllerOptions options)
    : options_(std::move(options)), allocator_(options_.allocator) {}

PassOutcome Controller::Pass(bool force) {
  PassOutcome out;
  auto texts = prod::ReadManifestPaths(options_.manifests);
  if (!texts) {
    out.invalid_input = true;
    out.errors.push_back(texts.error());
  } else {
    std::string all;
    for (const auto& t : *texts) all += t.file + '\0' + t.content + '\0';
    if (force || !have_text_ || all != last_text_) {
      last_text_ = std::move(all);
      have_text_ = true;
      out.read = true;
      Apply(*texts, out);
    }
  }
  if (rendered_) {
    auto written = WriteFileIfChanged(options_.status_file, *rendered_);
    if (written) {
      out.status_written = *written;
    } else {
      out.status_error = true;
      out.errors.push_back(written.error());
    }
  }
  return out;
}

void Controller::Apply(const std::vector<config::ManifestText>& texts, PassOutcome& out) {
  config::LoadResult loaded = config::LoadManifests(texts);
  for (const auto& d : loaded.diagnostics) {
    (d.severity == config::Severity::kError ? out.errors : out.warnings).push_back(d.ToString());
  }
  if (!store_.Apply(std::move(loaded))) {
    out.invalid_input = true;
    return;
  }
  const config::Resources& resources = *store_.current();
  std::vector<config::Service> services = resources.services.services;
  std::map<std::string, std::vector<core::IpAddr>> previous;
  if (!reclaimed_) {
    previous = PreviousStatus(out);
    // The controller's last decision wins over an ingress written in the
    // manifests, as in the speaker's ClusterSource.
    for (config::Service& service : services) {
      if (auto it = previous.find(service.meta.Key()); it != previous.end()) {
        service.ingress_ips = it->second;
      }
    }
    reclaimed_ = true;
  }
  auto append = [&out, &previous](std::vector<ipam::Change> changes) {
    for (auto& c : changes) {
      // Getting back the address the status file already published is no
      // change to anyone reading it.
      auto it = previous.find(c.service);
      if (c.kind == ipam::ChangeKind::kAssigned && c.old_ips.empty() && it != previous.end() &&
          it->second == c.ips) {
        ++out.reclaimed;
        continue;
      }
      out.changes.push_back(std::move(c));
    }
  };
  // Pools first, then services: a config change re-checks every holding
  // against the new pools (moving what is no longer allowed), then the
  // resync adds, changes and removes services.
  if (!allocated_config_ || !(*allocated_config_ == resources.config)) {
    append(allocator_.SetConfig(resources.config));
    allocated_config_ = resources.config;
    for (const auto& w : allocator_.config_warnings()) out.warnings.push_back(w);
  }
  append(allocator_.ReplaceServices(services));
  out.accepted = true;
  rendered_ = RenderStatusYaml(allocator_.Results());
}

std::map<std::string, std::vector<core::IpAddr>> Controller::PreviousStatus(
    PassOutcome& out) const {
  std::error_code ec;
  if (!std::filesystem::exists(options_.status_file, ec)) return {};  // first start
  std::string text;
  auto previous = prod::ReadStatusFile(options_.status_file, &text);
  if (!previous) {
    // Rewritten from a fresh allocation; the allocator is deterministic,
    // so most services get the same addresses anyway.
    out.warnings.push_back("ignoring the previous status file: " + previous.error());
    return {};
  }
  out.previous_status_used = true;
  return std::move(previous).value();
}

std::vector<core::MetricChanged> Controller::Metrics() const {
  std::vector<core::MetricChanged> out = AllocatorMetrics(allocator_.PoolStats());
  for (auto& m : ConfigStateMetrics(store_.loaded(), store_.stale())) out.push_back(std::move(m));
  return out;
}

}  // namespace vipcast::controller_main
