// Loads Kubernetes manifests (multi-document YAML text, as `kubectl apply`
// takes them) into the typed model, applies MetalLB's defaults and validates
// every object and every cross-object rule. The engine never touches files:
// callers pass the text and a file name used in diagnostics.
#pragma once

#include <string>
#include <vector>

#include "engine/config/diagnostic.h"
#include "engine/config/model.h"

namespace vipcast::config {

struct ManifestText {
  std::string file;     // shown in diagnostics, e.g. "pools.yaml"
  std::string content;  // YAML, one or more documents separated by ---
};

struct LoadResult {
  Resources resources;                  // everything that parsed, sorted
  std::vector<Diagnostic> diagnostics;  // errors and warnings, in file/line order
  bool ok() const { return !HasErrors(diagnostics); }
};

// Parses, defaults and validates. Never throws, whatever the input.
LoadResult LoadManifests(const std::vector<ManifestText>& manifests);

}  // namespace vipcast::config
