// The cluster as a speaker sees it in file mode: a directory (or files) of
// manifests (metallb.io resources, Services, EndpointSlices, Nodes, as
// `vipcastctl` reads them) and, optionally, a status file written by the
// controller (Services carrying status.loadBalancer.ingress).
//
// Where a service's VIPs come from, first match wins:
//  1. the status file's entry for the service (the controller's decision);
//  2. the service's own status.loadBalancer.ingress in the manifests;
//  3. ipam::AllocateAll over the manifests, run identically on every
//     speaker: it is deterministic (same resources, same result byte for
//     byte), so every node derives the same VIPs without talking to a
//     controller. The status file's addresses are fed to it as the
//     services' status (as a controller restart reclaims them), so a
//     service the controller has not handled yet never gets an address the
//     status file gives to another.
//
// Keep-last-good (MetalLB's rule, config::ConfigStore): manifests with
// errors are rejected as a whole and the previous snapshot stays in force.
// A status file that cannot be read or parsed is treated the same way.
#pragma once

#include <map>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "engine/config/model.h"
#include "engine/config/store.h"
#include "engine/core/result.h"

namespace vipcast::prod {

struct ClusterSnapshot {
  std::shared_ptr<const config::ClusterConfig> config;
  std::shared_ptr<const config::ServiceSet> services;  // ingress_ips filled as above
  std::shared_ptr<const config::NodeSet> nodes;
  // Per handled service key: "status-file", "status", "allocated", or
  // "pending: <reason>".
  std::map<std::string, std::string> sources;
};

struct ReloadOutcome {
  bool read = false;      // the inputs were read (false: unchanged since last time)
  bool accepted = false;  // a new snapshot is in force
  bool config_changed = false;
  bool services_changed = false;
  bool nodes_changed = false;
  std::vector<std::string> errors;    // why rejected (file:line: ...)
  std::vector<std::string> warnings;  // accepted with warnings
};

// The status file's Services that carry addresses: key -> ingress IPs (the
// format vipcast-controller writes). `text` receives the file's bytes. An
// unreadable or invalid file is an error naming the file.
core::Result<std::map<std::string, std::vector<core::IpAddr>>> ReadStatusFile(
    const std::string& path, std::string* text);

class ClusterSource {
 public:
  ClusterSource(std::vector<std::string> manifest_paths, std::optional<std::string> status_file);

  // Reads the files; when their text differs from the last read (or `force`),
  // loads, validates and, if valid, replaces the snapshot.
  ReloadOutcome Reload(bool force = false);

  // Empty pointers before the first accepted load.
  const ClusterSnapshot& current() const { return current_; }
  bool loaded() const { return store_.loaded(); }
  bool stale() const { return stale_; }

 private:
  std::vector<std::string> manifest_paths_;
  std::optional<std::string> status_file_;
  std::string last_text_;  // manifests + status text, to skip unchanged reloads
  bool have_text_ = false;
  config::ConfigStore store_;
  ClusterSnapshot current_;
  bool stale_ = false;
};

}  // namespace vipcast::prod
