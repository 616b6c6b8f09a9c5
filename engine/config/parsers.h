// The per-kind readers behind LoadManifests. Each fills one model object from
// the top-level mapping of its document; metadata is read first by
// ReadObjectMeta so that every later diagnostic names the object.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "engine/config/model.h"
#include "engine/config/names.h"
#include "engine/config/yaml_node.h"

namespace vipcast::config::detail {

// The namespace MetalLB reads its custom resources from (its webhooks reject
// them anywhere else: "resource must be created in metallb-system namespace").
inline constexpr char kMetalLBNamespace[] = "metallb-system";

struct KindTraits {
  std::string_view kind;
  NameRule name_rule;
  bool namespaced;
  bool metallb;  // a metallb.io custom resource
};

// Reads `metadata` (name first, so later diagnostics carry it). Returns false
// when the object has no usable name and must be dropped.
bool ReadObjectMeta(ParseContext& ctx, MapReader& top, const KindTraits& traits, ObjectMeta& meta);

// A LabelSelector (matchLabels + matchExpressions), as metav1.LabelSelector.
std::optional<LabelSelector> ReadLabelSelector(ParseContext& ctx, const Value& v);
// A list of selectors; duplicate selectors are errors (MetalLB:
// "duplicate definition of <field> ...").
std::vector<LabelSelector> ReadSelectorList(MapReader& map, std::string_view key);
// A list of names; empty and duplicate entries are errors.
std::vector<std::string> ReadNameList(MapReader& map, std::string_view key);

// Per-kind readers: `top` is the whole object, metadata already read.
void ReadIPAddressPool(ParseContext& ctx, MapReader& top, IPAddressPool& pool);
void ReadL2Advertisement(ParseContext& ctx, MapReader& top, L2Advertisement& adv);
void ReadBGPAdvertisement(ParseContext& ctx, MapReader& top, BGPAdvertisement& adv);
void ReadCommunity(ParseContext& ctx, MapReader& top, Community& community);
void ReadBFDProfile(ParseContext& ctx, MapReader& top, BFDProfile& profile);
void ReadBGPPeer(ParseContext& ctx, MapReader& top, BGPPeer& peer);  // peer.api_version set
void ReadService(ParseContext& ctx, MapReader& top, Service& service);
void ReadNode(ParseContext& ctx, MapReader& top, Node& node);
void ReadSecret(ParseContext& ctx, MapReader& top, Secret& secret);
void ReadNamespace(ParseContext& ctx, MapReader& top, Namespace& ns);
void ReadEndpointSlice(ParseContext& ctx, MapReader& top, EndpointSlice& slice);

// Reads every Kubernetes object of one YAML document (a `kind: List` holds
// several) into `out`.
void ReadDocument(ParseContext& ctx, const YamlNode& document, Resources& out);

}  // namespace vipcast::config::detail
