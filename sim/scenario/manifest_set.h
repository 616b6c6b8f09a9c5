// The manifests a scenario has applied so far, one entry per document, so
// that `apply:` faults can replace objects (as `kubectl apply` does) and
// `delete:` faults remove them before the whole set is loaded again.
#pragma once

#include <set>
#include <string>
#include <vector>

#include "engine/config/loader.h"

namespace vipcast::sim::detail {

// An object's identity: kind, namespace ("" for Nodes and Namespaces; a
// namespaced object without one is in "default") and name.
struct ObjectId {
  std::string kind, namespace_, name;
  auto operator<=>(const ObjectId&) const = default;
  std::string ToString() const;  // "Service default/web", "Node node-0"
};

// Kubernetes kinds that vipcast reads, and whether they are namespaced.
const std::vector<std::string>& KnownKinds();
bool IsClusterScoped(const std::string& kind);

class ManifestSet {
 public:
  // Splits `texts` into documents. A text that is not valid YAML stays one
  // opaque entry (LoadManifests reports its errors) that no apply replaces.
  static ManifestSet FromTexts(const std::vector<config::ManifestText>& texts);

  // Adds `other`'s documents; each replaces an existing one with its identity.
  void Apply(const ManifestSet& other);
  bool Contains(const ObjectId& id) const;
  void Remove(const ObjectId& id);
  // The documents as texts for config::LoadManifests; each keeps its
  // source's file name and line numbers.
  std::vector<config::ManifestText> Texts() const;
  // "namespace/name" of every Service.
  std::set<std::string> Services() const;
  std::vector<ObjectId> Objects() const;

 private:
  struct Doc {
    config::ManifestText text;
    std::optional<ObjectId> id;  // unset when the document has no clear identity
  };
  std::vector<Doc> docs_;
};

}  // namespace vipcast::sim::detail
