// One YAML document -> Kubernetes objects: dispatch on apiVersion and kind,
// unwrap `kind: List` (and typed lists such as IPAddressPoolList, as
// `kubectl get -o yaml` prints them), and warn about kinds vipcast does not
// read instead of failing on them (a manifest directory usually holds the
// Deployments and FRRConfigurations too).
#include <algorithm>
#include <array>
#include <type_traits>

#include "engine/config/parsers.h"
#include "engine/config/scalar.h"

namespace vipcast::config::detail {
namespace {

using ReadFn = void (*)(ParseContext&, MapReader&, const KindTraits&, int, Resources&);

struct KindEntry {
  KindTraits traits;
  std::array<std::string_view, 2> api_versions;  // unused slots are empty
  ReadFn read;
};

// Reads one object of type T and appends it to `list`. The object is built
// locally and moved in at the end, so SourceInfo pointers stay valid while
// its fields record their lines.
template <typename T, void (*Read)(ParseContext&, MapReader&, T&)>
void ReadInto(ParseContext& ctx, MapReader& top, const KindTraits& traits, int line,
              std::vector<T>& list, std::string_view api_version = {}) {
  T object;
  object.meta.source.file = ctx.file();
  object.meta.source.line = line;
  ctx.SetSource(&object.meta.source);
  const bool named = ReadObjectMeta(ctx, top, traits, object.meta);
  if constexpr (std::is_same_v<T, BGPPeer>) object.api_version = std::string(api_version);
  Read(ctx, top, object);
  top.Ignore({"apiVersion", "kind"});
  top.Finish();
  ctx.SetSource(nullptr);
  if (named && !ctx.exhausted()) list.push_back(std::move(object));
}

void DispatchPeer(ParseContext& ctx, MapReader& top, const KindTraits& traits, int line,
                  Resources& out) {
  // The apiVersion was validated by the caller; re-read it for the model.
  std::string api_version = kMetalLBGroupV1beta2;
  if (auto v = top.Get("apiVersion")) {
    if (v->node.IsScalar() && v->node.Scalar() == kMetalLBGroupV1beta1)
      api_version = kMetalLBGroupV1beta1;
  }
  ReadInto<BGPPeer, ReadBGPPeer>(ctx, top, traits, line, out.config.bgp_peers, api_version);
}

// Resources' members are nested (config.pools, services.services, ...), so the
// dispatchers are spelled out with small lambdas-as-functions.
#define VIPCAST_DISPATCH(Type, Reader, path)                                                  \
  [](ParseContext& ctx, MapReader& top, const KindTraits& traits, int line, Resources& out) { \
    ReadInto<Type, Reader>(ctx, top, traits, line, out.path);                                 \
  }

const std::vector<KindEntry>& Kinds() {
  using R = NameRule;
  static const std::vector<KindEntry> kinds = {
      {{"IPAddressPool", R::kPathSegment, true, true},
       {kMetalLBGroupV1beta1, {}},
       VIPCAST_DISPATCH(IPAddressPool, ReadIPAddressPool, config.pools)},
      {{"L2Advertisement", R::kPathSegment, true, true},
       {kMetalLBGroupV1beta1, {}},
       VIPCAST_DISPATCH(L2Advertisement, ReadL2Advertisement, config.l2_advertisements)},
      {{"BGPAdvertisement", R::kPathSegment, true, true},
       {kMetalLBGroupV1beta1, {}},
       VIPCAST_DISPATCH(BGPAdvertisement, ReadBGPAdvertisement, config.bgp_advertisements)},
      {{"Community", R::kPathSegment, true, true},
       {kMetalLBGroupV1beta1, {}},
       VIPCAST_DISPATCH(Community, ReadCommunity, config.communities)},
      {{"BFDProfile", R::kPathSegment, true, true},
       {kMetalLBGroupV1beta1, {}},
       VIPCAST_DISPATCH(BFDProfile, ReadBFDProfile, config.bfd_profiles)},
      {{"BGPPeer", R::kPathSegment, true, true},
       {kMetalLBGroupV1beta2, kMetalLBGroupV1beta1},
       DispatchPeer},
      {{"Secret", R::kDns1123Subdomain, true, false},
       {"v1", {}},
       VIPCAST_DISPATCH(Secret, ReadSecret, config.secrets)},
      {{"Namespace", R::kDns1123Label, false, false},
       {"v1", {}},
       VIPCAST_DISPATCH(Namespace, ReadNamespace, config.namespaces)},
      {{"Service", R::kDns1035Label, true, false},
       {"v1", {}},
       VIPCAST_DISPATCH(Service, ReadService, services.services)},
      {{"EndpointSlice", R::kDns1123Subdomain, true, false},
       {"discovery.k8s.io/v1", {}},
       VIPCAST_DISPATCH(EndpointSlice, ReadEndpointSlice, services.endpoint_slices)},
      {{"Node", R::kDns1123Subdomain, false, false},
       {"v1", {}},
       VIPCAST_DISPATCH(Node, ReadNode, nodes.nodes)},
  };
  return kinds;
}

#undef VIPCAST_DISPATCH

const KindEntry* FindKind(std::string_view kind) {
  for (const auto& entry : Kinds()) {
    if (entry.traits.kind == kind) return &entry;
  }
  return nullptr;
}

bool Serves(const KindEntry& entry, std::string_view api_version) {
  return std::find(entry.api_versions.begin(), entry.api_versions.end(), api_version) !=
             entry.api_versions.end() &&
         !api_version.empty();
}

std::string IgnoredHint(std::string_view kind) {
  if (kind == "AddressPool") {
    return " (MetalLB removed AddressPool in v0.14; use IPAddressPool with an L2Advertisement "
           "or BGPAdvertisement)";
  }
  return "";
}

void ReadObject(ParseContext& ctx, const Value& doc, Resources& out, bool allow_list,
                std::string_view default_api, std::string_view default_kind) {
  ctx.SetObject("", "", "");
  if (!doc.node.IsDefined() || doc.node.IsNull()) return;  // empty document
  if (!doc.node.IsMap()) {
    ctx.Error(doc.line, doc.path,
              "expected a Kubernetes object (a map with apiVersion and kind), got " +
                  DescribeNode(doc.node));
    return;
  }
  auto top = MapReader::Open(ctx, doc);
  if (!top) return;
  std::string api_version = top->String("apiVersion").value_or(std::string(default_api));
  std::string kind = top->String("kind").value_or(std::string(default_kind));
  if (api_version.empty() || kind.empty()) {
    if (api_version.empty()) top->Require("apiVersion");
    if (kind.empty()) top->Require("kind");
    return;
  }

  const bool typed_list = kind.size() > 4 && kind.compare(kind.size() - 4, 4, "List") == 0 &&
                          FindKind(std::string_view(kind).substr(0, kind.size() - 4)) != nullptr;
  if (kind == "List" || typed_list) {
    if (!allow_list) {
      ctx.Error(doc.line, doc.path, "a List inside a List is not supported");
      return;
    }
    const std::string item_kind = typed_list ? kind.substr(0, kind.size() - 4) : "";
    const std::string item_api = typed_list ? api_version : "";
    top->Ignore({"apiVersion", "kind", "metadata"});
    auto items = top->List("items");
    top->Finish();
    if (!items) return;
    for (const auto& item : *items) {
      if (ctx.exhausted()) return;
      ReadObject(ctx, item, out, false, item_api, item_kind);
    }
    return;
  }

  const KindEntry* entry = FindKind(kind);
  if (entry == nullptr) {
    ctx.FileDiagnostic(Severity::kWarning, top->LineOfKey("kind"),
                       "kind " + kind + " (apiVersion " + api_version +
                           ") is not read by vipcast; ignored" + IgnoredHint(kind));
    return;
  }
  ctx.SetObject(kind, "", "");
  if (!Serves(*entry, api_version)) {
    std::string expected(entry->api_versions[0]);
    if (!entry->api_versions[1].empty()) expected += " or " + std::string(entry->api_versions[1]);
    ctx.Error(top->LineOfKey("apiVersion"), "apiVersion",
              Quote(api_version) + " does not serve " + kind + "; use " + expected);
    return;
  }
  entry->read(ctx, *top, entry->traits, doc.line, out);
  ctx.SetObject("", "", "");
}

}  // namespace

void ReadDocument(ParseContext& ctx, const YamlNode& document, Resources& out) {
  ReadObject(ctx, Value{document, "", LineOf(document, 1)}, out, true, "", "");
}

}  // namespace vipcast::config::detail
