// core/v1 Service: the fields MetalLB looks at. Enum values are Kubernetes'
// (case-sensitive); rules that involve annotations or several fields are in
// validate_service.cc. status is written by controllers, so only the ingress
// IPs are read and the rest of it is accepted as it comes.
#include <algorithm>
#include <set>

#include "engine/config/levenshtein.h"
#include "engine/config/parsers.h"
#include "engine/config/scalar.h"

namespace vipcast::config::detail {
namespace {

std::string EnumError(std::string_view got, const std::vector<std::string>& names) {
  std::string message = "expected one of ";
  for (size_t i = 0; i < names.size(); ++i) message += (i ? ", " : "") + names[i];
  message += ", got " + Quote(got);
  if (auto close = ClosestMatch(got, names)) message += "; did you mean \"" + *close + "\"?";
  return message;
}

// Reads an enum field: returns the index into `names`, or nullopt (reported).
std::optional<size_t> ReadEnum(ParseContext& ctx, MapReader& map, std::string_view key,
                               const std::vector<std::string>& names) {
  auto v = map.Get(key);
  if (!v) return std::nullopt;
  auto text = ReadString(ctx, *v);
  if (!text) return std::nullopt;
  auto it = std::find(names.begin(), names.end(), *text);
  if (it == names.end()) {
    ctx.Error(v->line, v->path, EnumError(*text, names));
    return std::nullopt;
  }
  return static_cast<size_t>(it - names.begin());
}

// IANA_SVC_NAME (RFC 6335 5.1): at most 15 characters of [a-z0-9-], at least
// one letter, no leading, trailing or doubled '-'. Kubernetes' named ports.
bool IsIanaServiceName(std::string_view s) {
  if (s.empty() || s.size() > 15 || s.front() == '-' || s.back() == '-') return false;
  bool letter = false;
  for (size_t i = 0; i < s.size(); ++i) {
    const char c = s[i];
    if (c >= 'a' && c <= 'z') {
      letter = true;
    } else if (!(c >= '0' && c <= '9') && c != '-') {
      return false;
    }
    if (c == '-' && i > 0 && s[i - 1] == '-') return false;
  }
  return letter;
}

void ReadIpFamilies(ParseContext& ctx, MapReader& spec, Service& svc) {
  auto items = spec.List("ipFamilies");
  if (!items) return;
  for (const auto& item : *items) {
    auto text = ReadString(ctx, item);
    if (!text) continue;
    std::optional<core::IpFamily> family;
    if (*text == "IPv4") family = core::IpFamily::kV4;
    if (*text == "IPv6") family = core::IpFamily::kV6;
    if (!family) {
      std::string lower = *text;
      std::transform(lower.begin(), lower.end(), lower.begin(),
                     [](char c) { return (c >= 'A' && c <= 'Z') ? static_cast<char>(c + 32) : c; });
      if (lower == "ipv4" || lower == "ipv6") {
        // The API server would reject this spelling (the enum is IPv4/IPv6),
        // but MetalLB's own docs use it; accept it and say so.
        family = lower == "ipv4" ? core::IpFamily::kV4 : core::IpFamily::kV6;
        ctx.Warning(item.line, item.path,
                    Quote(*text) + " is not a valid Kubernetes IP family; read as " +
                        std::string(core::ToString(*family)));
      } else {
        ctx.Error(item.line, item.path, "expected one of IPv4, IPv6, got " + Quote(*text));
        continue;
      }
    }
    if (std::find(svc.ip_families.begin(), svc.ip_families.end(), *family) !=
        svc.ip_families.end()) {
      ctx.Error(item.line, item.path,
                "duplicate IP family " + std::string(core::ToString(*family)));
      continue;
    }
    svc.ip_families.push_back(*family);
  }
}

void ReadClusterIps(ParseContext& ctx, MapReader& spec, Service& svc) {
  auto read = [&](const Value& v) -> std::optional<core::IpAddr> {
    auto text = ReadString(ctx, v);
    if (!text || text->empty() || *text == "None") return std::nullopt;  // headless
    auto ip = core::IpAddr::Parse(*text);
    if (!ip) ctx.Error(v.line, v.path, ip.error());
    return ip ? std::optional(*ip) : std::nullopt;
  };
  std::optional<core::IpAddr> single;
  if (auto v = spec.Get("clusterIP")) single = read(*v);
  if (auto items = spec.List("clusterIPs")) {
    for (const auto& item : *items) {
      if (auto ip = read(item)) svc.cluster_ips.push_back(*ip);
    }
  }
  if (svc.cluster_ips.empty() && single) svc.cluster_ips.push_back(*single);
  if (single && svc.cluster_ips.front() != *single) {
    ctx.Error(spec.LineOfKey("clusterIP"), spec.PathOf("clusterIP"),
              "must equal spec.clusterIPs[0] (" + svc.cluster_ips.front().ToString() + ")");
  }
}

void ReadPorts(ParseContext& ctx, MapReader& spec, Service& svc) {
  static const std::vector<std::string> kProtocols = {"TCP", "UDP", "SCTP"};
  auto items = spec.List("ports");
  if (!items) return;
  std::set<std::pair<std::string, uint16_t>> seen_ports;
  std::set<std::string> seen_names;
  for (const auto& item : *items) {
    auto map = MapReader::Open(ctx, item);
    if (!map) continue;
    ServicePort port;
    port.name = map->String("name").value_or("");
    if (!port.name.empty()) {
      if (auto ok = CheckName(port.name, NameRule::kDns1123Label); !ok) {
        ctx.Error(map->LineOfKey("name"), map->PathOf("name"), "invalid port name: " + ok.error());
      }
    } else if (items->size() > 1) {
      // Kubernetes: names are required when a service has more than one port.
      ctx.Error(map->line(), map->PathOf("name"), "required when the service has several ports");
    }
    if (auto protocol = ReadEnum(ctx, *map, "protocol", kProtocols))
      port.protocol = kProtocols[*protocol];
    map->Require("port");
    port.port = static_cast<uint16_t>(map->Int("port", 1, 65535).value_or(0));
    if (auto v = map->Get("targetPort")) {
      // IntOrString: a port number or the name of a container port.
      if (v->node.IsScalar() && ResolveScalar(v->node) == ScalarType::kInt) {
        if (auto n = ReadInt(ctx, *v, 1, 65535)) port.target_port = std::to_string(*n);
      } else if (auto name = ReadString(ctx, *v)) {
        if (IsIanaServiceName(*name)) {
          port.target_port = *name;
        } else {
          ctx.Error(v->line, v->path,
                    "expected a port number (1-65535) or a port name (at most 15 lower case "
                    "letters, digits and '-'), got " +
                        Quote(*name));
        }
      }
    }
    map->Int("nodePort", 0, 65535);  // allocated by Kubernetes; not used by vipcast
    map->Ignore({"appProtocol"});
    map->Finish();
    if (port.port != 0 && !seen_ports.emplace(port.protocol, port.port).second) {
      ctx.Error(item.line, item.path,
                "duplicate port " + port.protocol + "/" + std::to_string(port.port));
    } else if (!port.name.empty() && !seen_names.insert(port.name).second) {
      ctx.Error(item.line, item.path, "duplicate port name " + Quote(port.name));
    }
    svc.ports.push_back(std::move(port));
  }
}

void ReadStatus(ParseContext& ctx, MapReader& top, Service& svc) {
  auto status = top.Map("status");
  if (!status) return;
  auto lb = status->Map("loadBalancer");
  if (!lb) return;
  auto items = lb->List("ingress");
  if (!items) return;
  for (const auto& item : *items) {
    auto map = MapReader::Open(ctx, item);
    if (!map) continue;
    auto v = map->Get("ip");
    if (!v) continue;  // a hostname-only ingress
    auto text = ReadString(ctx, *v);
    if (!text) continue;
    auto ip = core::IpAddr::Parse(*text);
    if (!ip) {
      ctx.Error(v->line, v->path, ip.error());
      continue;
    }
    svc.ingress_ips.push_back(*ip);
  }
}

}  // namespace

void ReadService(ParseContext& ctx, MapReader& top, Service& svc) {
  static const std::vector<std::string> kTypes = {"ClusterIP", "NodePort", "LoadBalancer",
                                                  "ExternalName"};
  static const std::vector<std::string> kPolicies = {"SingleStack", "PreferDualStack",
                                                     "RequireDualStack"};
  static const std::vector<std::string> kTraffic = {"Cluster", "Local"};
  ReadStatus(ctx, top, svc);
  auto spec = top.Map("spec");
  if (!spec) return;
  if (auto type = ReadEnum(ctx, *spec, "type", kTypes)) svc.type = static_cast<ServiceType>(*type);
  if (auto cls = spec->String("loadBalancerClass")) svc.load_balancer_class = *cls;
  svc.load_balancer_ip = spec->String("loadBalancerIP").value_or("");
  ReadIpFamilies(ctx, *spec, svc);
  if (auto policy = ReadEnum(ctx, *spec, "ipFamilyPolicy", kPolicies)) {
    svc.ip_family_policy = static_cast<IpFamilyPolicy>(*policy);
  }
  ReadClusterIps(ctx, *spec, svc);
  ReadPorts(ctx, *spec, svc);
  if (auto policy = ReadEnum(ctx, *spec, "externalTrafficPolicy", kTraffic)) {
    svc.external_traffic_policy = static_cast<TrafficPolicy>(*policy);
  }
  if (auto selector = spec->StringMap("selector")) svc.selector = std::move(*selector);
  spec->Ignore({"internalTrafficPolicy", "sessionAffinity", "sessionAffinityConfig",
                "loadBalancerSourceRanges", "externalIPs", "externalName", "healthCheckNodePort",
                "publishNotReadyAddresses", "allocateLoadBalancerNodePorts", "trafficDistribution",
                "topologyKeys"});
  spec->Finish();
}

}  // namespace vipcast::config::detail
