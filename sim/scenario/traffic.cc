// `traffic:` entries: request/response probes from a host.
#include "engine/config/scalar.h"
#include "sim/scenario/parser.h"

namespace vipcast::sim::detail {
namespace {

using config::detail::Quote;

constexpr HostRule kProbeSource{
    .nodes = true, .clients = true, .routers = true, .expected = "a host (node, client or router)"};
// A probe more often than this would dominate the simulation's event count
// without measuring anything finer than a link's delay.
constexpr core::Duration kMinEvery = core::Duration::Milliseconds(1);

}  // namespace

std::optional<Probe> ScenarioParser::ReadProbe(const Value& item) {
  auto map = MapReader::Open(ctx_, item);
  if (!map) return std::nullopt;
  const size_t errors_before = ctx_.error_count();
  Probe probe;
  probe.line = item.line;
  map->Require("name");
  map->Require("from");
  map->Require("to");
  if (auto v = map->Get("name")) {
    if (auto name = config::detail::ReadString(ctx_, *v)) {
      if (name->empty()) {
        ctx_.Error(v->line, v->path, "must not be empty");
      } else if (!traffic_.insert(*name).second) {
        ctx_.Error(v->line, v->path, "duplicate traffic name " + Quote(*name));
      }
      probe.name = *name;
    }
  }
  if (auto v = map->Get("from")) {
    if (auto host = ReadHost(*v, kProbeSource)) probe.from = *host;
  }
  if (auto v = map->Get("to")) {
    if (auto to = config::detail::ReadString(ctx_, *v)) {
      if (auto ip = core::IpAddr::Parse(*to); ip.ok()) {
        probe.address = *ip;
      } else if (to->find('/') != std::string::npos) {
        if (auto service = ReadServiceRef(*v)) probe.service = *service;
      } else {
        ctx_.Error(v->line, v->path,
                   "expected a service (NAMESPACE/NAME) or an IP address, got " + Quote(*to));
      }
    }
  }
  if (auto port = map->Int("port", 1, 65535)) probe.port = static_cast<uint16_t>(*port);
  if (auto v = map->Get("every")) {
    if (auto every = ReadDuration(ctx_, *v)) {
      if (*every < kMinEvery) {
        ctx_.Error(v->line, v->path, "must be at least " + kMinEvery.ToString());
      }
      probe.every = *every;
    }
  }
  if (auto v = map->Get("protocol")) {
    if (auto p = ReadEnum(ctx_, *v, {"udp", "tcp"})) {
      probe.protocol = *p == "udp" ? Probe::Protocol::kUdp : Probe::Protocol::kTcp;
    }
  }
  map->Finish();
  if (ctx_.error_count() != errors_before) return std::nullopt;
  return probe;
}

}  // namespace vipcast::sim::detail
