#include "sim/scenario/manifest_set.h"

#include <algorithm>

#include "engine/config/yaml_tree.h"
#include "sim/scenario/yaml_text.h"

namespace vipcast::sim::detail {
namespace {

using config::detail::YamlNode;

YamlNode Field(const YamlNode& map, std::string_view key) {
  if (!map.IsMap()) return YamlNode();
  for (size_t i = 0; i < map.Size(); ++i) {
    const YamlNode k = map.KeyAt(i);
    if (k.IsScalar() && k.Scalar() == key) return map.ValueAt(i);
  }
  return YamlNode();
}

std::optional<ObjectId> IdentityOf(const YamlNode& root) {
  const YamlNode kind = Field(root, "kind");
  const YamlNode meta = Field(root, "metadata");
  const YamlNode name = Field(meta, "name");
  if (!kind.IsScalar() || !name.IsScalar()) return std::nullopt;
  ObjectId id{kind.Scalar(), "", name.Scalar()};
  if (!IsClusterScoped(id.kind)) {
    const YamlNode ns = Field(meta, "namespace");
    id.namespace_ = ns.IsScalar() && !ns.Scalar().empty() ? ns.Scalar() : "default";
  }
  return id;
}

}  // namespace

std::string ObjectId::ToString() const {
  return kind + " " + (namespace_.empty() ? name : namespace_ + "/" + name);
}

const std::vector<std::string>& KnownKinds() {
  static const std::vector<std::string> kKinds = {
      "IPAddressPool", "L2Advertisement", "BGPAdvertisement", "BGPPeer", "Community",
      "BFDProfile",    "Secret",          "Namespace",        "Service", "EndpointSlice",
      "Node"};
  return kKinds;
}

bool IsClusterScoped(const std::string& kind) { return kind == "Node" || kind == "Namespace"; }

ManifestSet ManifestSet::FromTexts(const std::vector<config::ManifestText>& texts) {
  ManifestSet set;
  for (const auto& text : texts) {
    const auto stream = config::detail::ParseYaml(text.content);
    if (!stream.errors.empty()) {
      set.docs_.push_back(Doc{text, std::nullopt});
      continue;
    }
    for (size_t i = 0; i < stream.documents.size(); ++i) {
      const YamlNode root = stream.Root(i);
      if (root.IsNull()) continue;  // an empty document between two `---`
      set.docs_.push_back(
          Doc{config::ManifestText{text.file, EmitKeepingLines(root)}, IdentityOf(root)});
    }
  }
  return set;
}

void ManifestSet::Apply(const ManifestSet& other) {
  for (const auto& doc : other.docs_) {
    if (doc.id) Remove(*doc.id);
    docs_.push_back(doc);
  }
}

bool ManifestSet::Contains(const ObjectId& id) const {
  return std::any_of(docs_.begin(), docs_.end(), [&](const Doc& d) { return d.id == id; });
}

void ManifestSet::Remove(const ObjectId& id) {
  docs_.erase(std::remove_if(docs_.begin(), docs_.end(), [&](const Doc& d) { return d.id == id; }),
              docs_.end());
}

std::vector<config::ManifestText> ManifestSet::Texts() const {
  std::vector<config::ManifestText> out;
  for (const auto& d : docs_) out.push_back(d.text);
  return out;
}

std::set<std::string> ManifestSet::Services() const {
  std::set<std::string> out;
  for (const auto& d : docs_) {
    if (d.id && d.id->kind == "Service") out.insert(d.id->namespace_ + "/" + d.id->name);
  }
  return out;
}

std::vector<ObjectId> ManifestSet::Objects() const {
  std::vector<ObjectId> out;
  for (const auto& d : docs_) {
    if (d.id) out.push_back(*d.id);
  }
  return out;
}

}  // namespace vipcast::sim::detail
