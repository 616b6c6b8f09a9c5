// Reads the manifests a user points vipcast at: files, or directories whose
// *.yaml, *.yml and *.json files are read recursively in name order (the
// order `kubectl apply -f DIR` uses).
#pragma once

#include <string>
#include <vector>

#include "engine/config/loader.h"
#include "engine/core/result.h"

namespace vipcast::prod {

// Fails, naming the path, when a path does not exist or a file cannot be read.
core::Result<std::vector<config::ManifestText>> ReadManifestPaths(
    const std::vector<std::string>& paths);

}  // namespace vipcast::prod
