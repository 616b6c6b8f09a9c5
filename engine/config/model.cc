#include "engine/config/model.h"

namespace vipcast::config {

int SourceInfo::LineOf(const std::string& field_path) const {
  // The most specific recorded ancestor: "spec.addresses[1]" falls back to
  // "spec.addresses", then "spec", then the object's own line.
  std::string path = field_path;
  while (!path.empty()) {
    if (auto it = field_lines.find(path); it != field_lines.end()) return it->second;
    size_t cut = path.find_last_of(".[");
    if (cut == std::string::npos) break;
    path.resize(cut);
  }
  return line;
}

std::string CommunityValue::ToString() const {
  if (kind == Kind::kLarge) {
    return "large:" + std::to_string(global) + ":" + std::to_string(local1) + ":" +
           std::to_string(local2);
  }
  return std::to_string(global) + ":" + std::to_string(local1);
}

bool Node::HasCondition(const std::string& type) const {
  for (const auto& c : conditions) {
    if (c.type == type && c.status == "True") return true;
  }
  return false;
}

std::optional<std::string> Service::Annotation(const std::string& suffix) const {
  if (auto it = meta.annotations.find("metallb.io/" + suffix); it != meta.annotations.end()) {
    return it->second;
  }
  if (auto it = meta.annotations.find(kDeprecatedAnnotationPrefix + suffix);
      it != meta.annotations.end()) {
    return it->second;
  }
  return std::nullopt;
}

std::string EndpointSlice::ServiceName() const {
  auto it = meta.labels.find(kLabelServiceName);
  return it == meta.labels.end() ? std::string() : it->second;
}

}  // namespace vipcast::config
