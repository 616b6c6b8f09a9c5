// BGPPeer, metallb.io/v1beta2 (current) and v1beta1 (deprecated). This file
// reads fields and checks each on its own; rules that tie fields together
// (ASN choice, timers, address vs interface, password vs secret) are in
// validate_peer.cc.
#include "engine/config/parsers.h"
#include "engine/config/scalar.h"

namespace vipcast::config::detail {
namespace {

// metav1.Duration: a Go duration string ("90s", "1m30s"). A bare number is a
// JSON number, which the API server rejects.
std::optional<core::Duration> ReadDuration(ParseContext& ctx, MapReader& spec,
                                           std::string_view key) {
  auto v = spec.Get(key);
  if (!v) return std::nullopt;
  if (v->node.IsScalar() && ResolveScalar(v->node) == ScalarType::kInt) {
    ctx.Error(v->line, v->path,
              "expected a duration such as \"" + v->node.Scalar() + "s\", got " + v->node.Scalar());
    return std::nullopt;
  }
  auto text = ReadString(ctx, *v);
  if (!text) return std::nullopt;
  auto d = core::Duration::Parse(*text);
  if (!d) {
    ctx.Error(v->line, v->path, d.error());
    return std::nullopt;
  }
  return *d;
}

// RFC 7607: AS 0 must not be used in an OPEN, so it is never a valid value
// here; MetalLB reads a 0 myASN as "missing local ASN" and a 0 peerASN as
// unset, vipcast reports both at the field.
std::optional<core::Asn> ReadAsn(MapReader& spec, std::string_view key) {
  if (auto v = spec.Int(key, 1, 4294967295LL)) return core::Asn(static_cast<uint32_t>(*v));
  return std::nullopt;
}

std::optional<core::IpAddr> ReadIp(ParseContext& ctx, MapReader& spec, std::string_view key) {
  auto v = spec.Get(key);
  if (!v) return std::nullopt;
  auto text = ReadString(ctx, *v);
  if (!text || text->empty()) return std::nullopt;  // "" is Go's zero value: unset
  auto ip = core::IpAddr::Parse(*text);
  if (!ip) {
    ctx.Error(v->line, v->path, ip.error());
    return std::nullopt;
  }
  return *ip;
}

void ReadPasswordSecret(ParseContext& ctx, MapReader& spec, BGPPeer& peer) {
  auto map = spec.Map("passwordSecret");
  if (!map) return;
  SecretReference ref;
  ref.name = map->String("name").value_or("");
  ref.namespace_ = map->String("namespace").value_or("");
  map->Finish();
  // `passwordSecret: {}` (what MetalLB's own generator writes) means none.
  if (ref.name.empty() && ref.namespace_.empty()) return;
  if (ref.name.empty()) {
    ctx.Error(map->line(), map->PathOf("name"), "required field is missing");
    return;
  }
  peer.password_secret = std::move(ref);
}

}  // namespace

void ReadBGPPeer(ParseContext& ctx, MapReader& top, BGPPeer& peer) {
  const bool v1beta1 = peer.api_version == kMetalLBGroupV1beta1;
  top.Ignore({"status"});
  top.Require("spec");
  auto spec = top.Map("spec");
  if (!spec) return;

  spec->Require("myASN");
  if (auto asn = ReadAsn(*spec, "myASN")) peer.my_asn = *asn;
  peer.peer_asn = ReadAsn(*spec, "peerASN");
  peer.peer_address = ReadIp(ctx, *spec, "peerAddress");
  peer.source_address = ReadIp(ctx, *spec, "sourceAddress");
  // MetalLB's CRD caps peerPort at 16384 (v1beta2: 1-16384, default 179);
  // vipcast accepts every TCP port a router may listen on. v1beta1 had no
  // default and 0 meant FRR's default, 179.
  if (auto port = spec->Int("peerPort", v1beta1 ? 0 : 1, 65535)) {
    peer.peer_port = static_cast<uint16_t>(*port == 0 ? 179 : *port);
  }
  peer.hold_time = ReadDuration(ctx, *spec, "holdTime");
  peer.keepalive_time = ReadDuration(ctx, *spec, "keepaliveTime");
  if (auto v = spec->Get("routerID")) {
    if (auto text = ReadString(ctx, *v); text && !text->empty()) {
      auto id = core::RouterId::Parse(*text);
      if (id) {
        peer.router_id = *id;
      } else {
        ctx.Error(v->line, v->path, id.error());
      }
    }
  }
  peer.node_selectors = ReadSelectorList(*spec, "nodeSelectors");
  peer.password = spec->String("password").value_or("");
  peer.bfd_profile = spec->String("bfdProfile").value_or("");
  peer.ebgp_multi_hop = spec->Bool("ebgpMultiHop").value_or(false);

  if (v1beta1) {
    // api/v1beta1 -> v1beta2 conversion copies the value types, so an omitted
    // v1beta1 holdTime/keepaliveTime arrives in MetalLB as an explicit 0s.
    ctx.Warning(top.LineOfKey("apiVersion"), "apiVersion",
                "metallb.io/v1beta1 BGPPeer is deprecated; use metallb.io/v1beta2");
    if (!peer.hold_time) {
      peer.hold_time = core::Duration::Zero();
      ctx.Warning(spec->line(), spec->PathOf("holdTime"),
                  "not set; MetalLB converts a v1beta1 BGPPeer without holdTime to holdTime 0s "
                  "(no keepalives, the session never times out); set it explicitly");
    }
    if (!peer.keepalive_time) peer.keepalive_time = core::Duration::Zero();
    spec->Finish();
    return;
  }

  if (auto v = spec->Get("dynamicASN")) {
    if (auto text = ReadString(ctx, *v)) {
      if (*text == "internal") {
        peer.dynamic_asn = DynamicAsn::kInternal;
      } else if (*text == "external") {
        peer.dynamic_asn = DynamicAsn::kExternal;
      } else if (!text->empty()) {
        ctx.Error(v->line, v->path, "expected one of internal, external, got " + Quote(*text));
      }
    }
  }
  peer.local_asn = ReadAsn(*spec, "localASN");
  peer.interface = spec->String("interface").value_or("");
  peer.connect_time = ReadDuration(ctx, *spec, "connectTime");
  ReadPasswordSecret(ctx, *spec, peer);
  peer.enable_graceful_restart = spec->Bool("enableGracefulRestart").value_or(false);
  peer.vrf = spec->String("vrf").value_or("");
  peer.disable_mp = spec->Bool("disableMP").value_or(false);
  peer.dual_stack_address_family = spec->Bool("dualStackAddressFamily").value_or(false);
  spec->Finish();
}

}  // namespace vipcast::config::detail
