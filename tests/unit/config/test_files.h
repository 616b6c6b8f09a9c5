// Helpers shared by the config tests: reading test data (tests run with the
// repository root as working directory) and formatting diagnostics.
#pragma once

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>
#include <vector>

#include "engine/config/loader.h"

namespace vipcast::config::testing {

inline std::string ReadFile(const std::filesystem::path& path) {
  std::ifstream in(path, std::ios::binary);
  std::ostringstream out;
  out << in.rdbuf();
  return out.str();
}

// The *.yaml files directly in `dir`, sorted by name.
inline std::vector<std::filesystem::path> YamlFiles(const std::filesystem::path& dir) {
  std::vector<std::filesystem::path> out;
  for (const auto& entry : std::filesystem::directory_iterator(dir)) {
    if (entry.is_regular_file() && entry.path().extension() == ".yaml") out.push_back(entry.path());
  }
  std::sort(out.begin(), out.end());
  return out;
}

inline std::string Format(const std::vector<Diagnostic>& diagnostics) {
  std::string out;
  for (const auto& d : diagnostics) out += d.ToString() + "\n";
  return out;
}

inline LoadResult LoadText(const std::string& text, const std::string& file = "test.yaml") {
  return LoadManifests({ManifestText{file, text}});
}

}  // namespace vipcast::config::testing
