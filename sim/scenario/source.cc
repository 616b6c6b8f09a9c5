#include "sim/scenario/source.h"

#include <cerrno>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <sstream>

#include "engine/config/scalar.h"

namespace vipcast::sim::detail {

core::Result<std::string> ReadTextFile(const std::string& path) {
  std::error_code ec;
  if (std::filesystem::is_directory(path, ec)) {
    return core::MakeErr("cannot read " + path + ": it is a directory");
  }
  std::ifstream in(path, std::ios::binary);
  if (!in) return core::MakeErr("cannot read " + path + ": " + std::strerror(errno));
  std::string text;
  char buf[65536];
  while (in.read(buf, sizeof buf) || in.gcount() > 0) {
    text.append(buf, static_cast<size_t>(in.gcount()));
    if (text.size() > kMaxFileBytes) {
      return core::MakeErr("cannot read " + path + ": larger than " +
                           std::to_string(kMaxFileBytes / (1024 * 1024)) + " MiB");
    }
  }
  if (in.bad()) return core::MakeErr("cannot read " + path + ": read error");
  return text;
}

std::string JoinPath(const std::string& base_dir, const std::string& path) {
  if (base_dir.empty() || std::filesystem::path(path).is_absolute()) return path;
  return (std::filesystem::path(base_dir) / path).lexically_normal().string();
}

std::optional<config::detail::YamlStream> ParseOneDocument(config::detail::ParseContext& ctx,
                                                           const std::string& text) {
  auto stream = config::detail::ParseYaml(text);
  if (!stream.errors.empty()) {
    for (const auto& e : stream.errors) {
      ctx.FileDiagnostic(config::Severity::kError, e.line, e.message);
    }
    return std::nullopt;
  }
  if (stream.documents.size() != 1) {
    ctx.FileDiagnostic(
        config::Severity::kError, 1,
        "expected one YAML document, found " + std::to_string(stream.documents.size()));
    return std::nullopt;
  }
  const auto root = stream.Root(0);
  if (!root.IsMap()) {
    ctx.FileDiagnostic(
        config::Severity::kError, config::detail::LineOf(root, 1),
        "expected a map at the top level, got " + config::detail::DescribeNode(root));
    return std::nullopt;
  }
  return stream;
}

}  // namespace vipcast::sim::detail
