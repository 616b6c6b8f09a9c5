// Kubernetes identifies an object by kind, namespace and name; two manifests
// with the same identity would overwrite each other at `kubectl apply` time
// (the later wins silently). vipcast reports every later copy and keeps the
// first, so nothing depends on which file happened to be read last.
#include <map>
#include <utility>

#include "engine/config/validate.h"

namespace vipcast::config::detail {
namespace {

template <typename T>
void Dedupe(std::string_view kind, std::vector<T>& list, Reporter& report) {
  std::map<std::pair<std::string, std::string>, const T*> first;
  std::vector<T> kept;
  kept.reserve(list.size());
  std::vector<bool> keep(list.size(), true);
  for (size_t i = 0; i < list.size(); ++i) {
    const auto& meta = list[i].meta;
    auto [it, inserted] = first.emplace(std::pair(meta.namespace_, meta.name), &list[i]);
    if (!inserted) {
      const auto& earlier = it->second->meta.source;
      report.Error(kind, meta, "metadata.name",
                   "duplicate " + std::string(kind) + "; first defined at " + earlier.file + ":" +
                       std::to_string(earlier.line));
      keep[i] = false;
    }
  }
  for (size_t i = 0; i < list.size(); ++i) {
    if (keep[i]) kept.push_back(std::move(list[i]));
  }
  list = std::move(kept);
}

}  // namespace

void RemoveDuplicates(Resources& r, Reporter& report) {
  Dedupe("IPAddressPool", r.config.pools, report);
  Dedupe("L2Advertisement", r.config.l2_advertisements, report);
  Dedupe("BGPAdvertisement", r.config.bgp_advertisements, report);
  Dedupe("BGPPeer", r.config.bgp_peers, report);
  Dedupe("Community", r.config.communities, report);
  Dedupe("BFDProfile", r.config.bfd_profiles, report);
  Dedupe("Secret", r.config.secrets, report);
  Dedupe("Namespace", r.config.namespaces, report);
  Dedupe("Service", r.services.services, report);
  Dedupe("EndpointSlice", r.services.endpoint_slices, report);
  Dedupe("Node", r.nodes.nodes, report);
}

}  // namespace vipcast::config::detail
