// core/v1 Node, Secret and Namespace, and discovery.k8s.io/v1 EndpointSlice.
// Node status and the parts of these objects vipcast does not use are accepted
// as the API server writes them (`kubectl get -o yaml` output loads unchanged).
#include <algorithm>

#include "engine/config/base64.h"
#include "engine/config/parsers.h"
#include "engine/config/scalar.h"

namespace vipcast::config::detail {
namespace {

// Secret keys: Kubernetes' IsConfigMapKey, [-._a-zA-Z0-9]+ up to 253 bytes.
bool IsSecretKey(std::string_view key) {
  if (key.empty() || key.size() > 253 || key == "." || key == "..") return false;
  for (char c : key) {
    const bool ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
                    c == '-' || c == '.' || c == '_';
    if (!ok) return false;
  }
  return true;
}

void CheckSecretKeys(ParseContext& ctx, const std::string& path,
                     const std::map<std::string, std::string>& data) {
  for (const auto& [key, value] : data) {
    if (IsSecretKey(key)) continue;
    const std::string field = path + "[" + Quote(key) + "]";
    ctx.Error(ctx.source() ? ctx.source()->LineOf(field) : 0, field,
              "invalid key: must consist of alphanumeric characters, '-', '_' or '.'");
  }
}

}  // namespace

void ReadNode(ParseContext& ctx, MapReader& top, Node& node) {
  top.Ignore({"spec"});
  auto status = top.Map("status");
  if (!status) return;
  if (auto items = status->List("conditions")) {
    for (const auto& item : *items) {
      auto map = MapReader::Open(ctx, item);
      if (!map) continue;
      NodeCondition condition;
      condition.type = map->String("type").value_or("");
      condition.status = map->String("status").value_or("");
      node.conditions.push_back(std::move(condition));
    }
  }
  if (auto items = status->List("addresses")) {
    for (const auto& item : *items) {
      auto map = MapReader::Open(ctx, item);
      if (!map) continue;
      if (map->String("type").value_or("") != "InternalIP") continue;
      auto v = map->Get("address");
      if (!v) continue;
      auto text = ReadString(ctx, *v);
      if (!text) continue;
      auto ip = core::IpAddr::Parse(*text);
      if (!ip) {
        ctx.Error(v->line, v->path, ip.error());
        continue;
      }
      node.addresses.push_back(*ip);
    }
  }
}

void ReadSecret(ParseContext& ctx, MapReader& top, Secret& secret) {
  if (auto type = top.String("type"); type && !type->empty()) secret.type = *type;
  if (auto v = top.Get("data")) {
    if (auto data = ReadStringMap(ctx, *v)) {
      CheckSecretKeys(ctx, v->path, *data);
      for (const auto& [key, encoded] : *data) {
        auto decoded = Base64Decode(encoded);
        if (!decoded) {
          const std::string field = v->path + "[" + Quote(key) + "]";
          ctx.Error(ctx.source() ? ctx.source()->LineOf(field) : v->line, field, decoded.error());
          continue;
        }
        secret.data[key] = std::move(*decoded);
      }
    }
  }
  // stringData is a write-only convenience: the API server merges it into
  // data, and its keys win.
  if (auto v = top.Get("stringData")) {
    if (auto data = ReadStringMap(ctx, *v)) {
      CheckSecretKeys(ctx, v->path, *data);
      for (auto& [key, value] : *data) secret.data[key] = std::move(value);
    }
  }
  top.Ignore({"immutable"});
}

void ReadNamespace(ParseContext& /*ctx*/, MapReader& top, Namespace& /*ns*/) {
  top.Ignore({"spec", "status"});
}

void ReadEndpointSlice(ParseContext& ctx, MapReader& top, EndpointSlice& slice) {
  static const std::vector<std::string> kTypes = {"IPv4", "IPv6", "FQDN"};
  top.Require("addressType");
  if (auto v = top.Get("addressType")) {
    if (auto type = ReadString(ctx, *v)) {
      if (std::find(kTypes.begin(), kTypes.end(), *type) == kTypes.end()) {
        ctx.Error(v->line, v->path, "expected one of IPv4, IPv6, FQDN, got " + Quote(*type));
      } else {
        slice.address_type = *type;
      }
    }
  }
  const bool fqdn = slice.address_type == "FQDN";
  const core::IpFamily family =
      slice.address_type == "IPv6" ? core::IpFamily::kV6 : core::IpFamily::kV4;
  top.Ignore({"ports"});
  auto items = top.List("endpoints");
  if (!items) return;
  for (const auto& item : *items) {
    auto map = MapReader::Open(ctx, item);
    if (!map) continue;
    Endpoint endpoint;
    map->Require("addresses");
    if (auto addresses = map->List("addresses")) {
      for (const auto& a : *addresses) {
        auto text = ReadString(ctx, a);
        if (!text || fqdn) continue;  // FQDN slices name hosts, not addresses
        auto ip = core::IpAddr::Parse(*text);
        if (!ip) {
          ctx.Error(a.line, a.path, ip.error());
        } else if (ip->family() != family) {
          ctx.Error(a.line, a.path,
                    ip->ToString() + " is not an " + slice.address_type + " address");
        } else {
          endpoint.addresses.push_back(*ip);
        }
      }
    }
    endpoint.node_name = map->String("nodeName").value_or("");
    if (auto conditions = map->Map("conditions")) {
      endpoint.conditions.ready = conditions->Bool("ready");
      endpoint.conditions.serving = conditions->Bool("serving");
      endpoint.conditions.terminating = conditions->Bool("terminating");
      conditions->Finish();
    }
    map->Ignore({"hostname", "targetRef", "zone", "hints", "deprecatedTopology"});
    map->Finish();
    slice.endpoints.push_back(std::move(endpoint));
  }
}

}  // namespace vipcast::config::detail
