#include "prod/common/manifest_files.h"

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <sstream>

namespace vipcast::prod {
namespace {

namespace fs = std::filesystem;

bool IsManifestFile(const fs::path& path) {
  const std::string ext = path.extension().string();
  return ext == ".yaml" || ext == ".yml" || ext == ".json";
}

core::Result<config::ManifestText> ReadOne(const fs::path& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) {
    return core::MakeErr(path.string() + ": cannot read: " + std::strerror(errno));
  }
  std::ostringstream content;
  content << in.rdbuf();
  return config::ManifestText{path.string(), content.str()};
}

}  // namespace

core::Result<std::vector<config::ManifestText>> ReadManifestPaths(
    const std::vector<std::string>& paths) {
  std::vector<config::ManifestText> out;
  for (const auto& arg : paths) {
    const fs::path path(arg);
    std::error_code ec;
    const auto status = fs::status(path, ec);
    if (ec || !fs::exists(status)) return core::MakeErr(arg + ": no such file or directory");
    if (fs::is_directory(status)) {
      std::vector<fs::path> files;
      for (fs::recursive_directory_iterator it(path, ec), end; !ec && it != end; it.increment(ec)) {
        if (it->is_regular_file() && IsManifestFile(it->path())) files.push_back(it->path());
      }
      if (ec) return core::MakeErr(arg + ": cannot list directory: " + ec.message());
      std::sort(files.begin(), files.end());
      for (const auto& file : files) {
        auto text = ReadOne(file);
        if (!text) return core::MakeErr(text.error());
        out.push_back(std::move(*text));
      }
    } else {
      auto text = ReadOne(path);
      if (!text) return core::MakeErr(text.error());
      out.push_back(std::move(*text));
    }
  }
  return out;
}

}  // namespace vipcast::prod
