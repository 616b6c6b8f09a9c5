// LoadManifests: YAML text -> parsed objects -> cross-object validation ->
// sorted snapshot. yaml-cpp reports syntax errors by throwing; yaml_tree.cc
// catches those, and the guard here turns anything else into a diagnostic.
#include "engine/config/loader.h"

#include <algorithm>
#include <map>
#include <new>
#include <tuple>

#include "engine/config/parsers.h"
#include "engine/config/validate.h"
#include "engine/config/yaml_node.h"
#include "engine/config/yaml_tree.h"

namespace vipcast::config {
namespace {

// Map entries and list items one document may cost, aliases expanded. Large
// enough for a List of several thousand objects; small enough that an alias
// bomb costs well under a second.
constexpr int64_t kDocumentBudget = 2'000'000;

template <typename T>
void SortByKey(std::vector<T>& list) {
  std::stable_sort(list.begin(), list.end(), [](const T& a, const T& b) {
    return std::tie(a.meta.namespace_, a.meta.name) < std::tie(b.meta.namespace_, b.meta.name);
  });
}

void SortResources(Resources& r) {
  SortByKey(r.config.pools);
  SortByKey(r.config.l2_advertisements);
  SortByKey(r.config.bgp_advertisements);
  SortByKey(r.config.bgp_peers);
  SortByKey(r.config.communities);
  SortByKey(r.config.bfd_profiles);
  SortByKey(r.config.secrets);
  SortByKey(r.config.namespaces);
  SortByKey(r.services.services);
  SortByKey(r.services.endpoint_slices);
  SortByKey(r.nodes.nodes);
}

void LoadOne(const ManifestText& manifest, Resources& out, std::vector<Diagnostic>& diagnostics) {
  detail::YamlStream yaml = detail::ParseYaml(manifest.content);
  for (auto& error : yaml.errors) {
    diagnostics.push_back(Diagnostic{Severity::kError, manifest.file, error.line, "", "", "", "",
                                     std::move(error.message)});
  }
  for (size_t i = 0; i < yaml.documents.size(); ++i) {
    detail::ParseContext ctx(diagnostics, manifest.file, kDocumentBudget);
    detail::ReadDocument(ctx, yaml.Root(i), out);
  }
}

LoadResult LoadUnguarded(const std::vector<ManifestText>& manifests) {
  LoadResult result;
  for (const auto& manifest : manifests) LoadOne(manifest, result.resources, result.diagnostics);

  // Cross-object passes run on input order (so "later" means later in the
  // input), then the snapshot is sorted.
  detail::Reporter report(result.diagnostics);
  detail::RemoveDuplicates(result.resources, report);
  detail::ValidatePoolOverlaps(result.resources.config.pools, report);
  detail::ValidateCommunities(result.resources.config, report);
  detail::ValidateAdvertisements(result.resources.config, report);
  detail::ValidateLocalPref(result.resources, report);
  detail::ValidatePeers(result.resources.config, report);
  detail::ValidateServices(result.resources, report);
  SortResources(result.resources);

  // File order is the order the caller gave; within a file, by line.
  std::map<std::string, size_t> file_rank;
  for (const auto& m : manifests) file_rank.emplace(m.file, file_rank.size());
  std::stable_sort(result.diagnostics.begin(), result.diagnostics.end(),
                   [&](const Diagnostic& a, const Diagnostic& b) {
                     auto rank = [&](const std::string& f) {
                       auto it = file_rank.find(f);
                       return it == file_rank.end() ? file_rank.size() : it->second;
                     };
                     return std::tuple(rank(a.file), a.line) < std::tuple(rank(b.file), b.line);
                   });
  return result;
}

}  // namespace

LoadResult LoadManifests(const std::vector<ManifestText>& manifests) {
  // Parsing and validation report problems as diagnostics and do not throw;
  // this guard only turns an allocation failure on absurd input into one.
  try {
    return LoadUnguarded(manifests);
  } catch (const std::exception& e) {
    LoadResult failed;
    failed.diagnostics.push_back(Diagnostic{Severity::kError, "", 0, "", "", "", "",
                                            std::string("cannot load manifests: ") + e.what()});
    return failed;
  }
}

}  // namespace vipcast::config
