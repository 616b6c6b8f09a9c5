// IPAddressPool (metallb.io/v1beta1). Addresses are parsed as MetalLB's
// config.ParseCIDR does: a CIDR through Go's net.ParseCIDR (host bits allowed
// and masked) or "first-last" with each side trimmed; a range may be a single
// address.
#include <algorithm>

#include "engine/config/parsers.h"
#include "engine/config/scalar.h"

namespace vipcast::config::detail {
namespace {

void ReadAddresses(ParseContext& ctx, MapReader& spec, IPAddressPool& pool) {
  spec.Require("addresses");
  auto v = spec.Get("addresses");
  if (!v) return;
  auto items = ReadList(ctx, *v);
  if (!items) return;
  if (items->empty()) {
    // MetalLB: "pool has no prefixes defined".
    ctx.Error(v->line, v->path, "a pool needs at least one address");
    return;
  }
  for (const auto& item : *items) {
    // Every entry keeps its index in `addresses` (the validator re-reads them
    // by index); only parsed ones reach `ranges`.
    auto text = ReadString(ctx, item);
    pool.addresses.push_back(text.value_or(""));
    if (!text) {
      if (!item.node.IsDefined() || item.node.IsNull()) {
        ctx.Error(item.line, item.path, "must not be empty");
      }
      continue;
    }
    auto range = core::IpRange::Parse(*text);
    if (!range) {
      ctx.Error(item.line, item.path, range.error());
      continue;
    }
    pool.ranges.push_back(*range);
    if (text->find('/') != std::string::npos) {
      auto strict = core::Prefix::ParseStrict(*text);
      if (!strict) {
        const auto masked = range->ToPrefixes();
        ctx.Warning(item.line, item.path,
                    *text + " has host bits set; using " +
                        (masked.empty() ? range->ToString() : masked.front().ToString()) +
                        " as MetalLB does");
      }
    }
  }
}

void ReadServiceAllocation(MapReader& spec, IPAddressPool& pool) {
  auto map = spec.Map("serviceAllocation");
  if (!map) return;
  ServiceAllocation alloc;
  // Go `int`; MetalLB sorts by it and never range-checks it. Negative values
  // make its sort order undefined, so they are rejected here.
  if (auto priority = map->Int("priority", 0, 2147483647))
    alloc.priority = static_cast<int>(*priority);
  alloc.namespaces = ReadNameList(*map, "namespaces");
  alloc.namespace_selectors = ReadSelectorList(*map, "namespaceSelectors");
  alloc.service_selectors = ReadSelectorList(*map, "serviceSelectors");
  map->Finish();
  pool.service_allocation = std::move(alloc);
}

}  // namespace

void ReadIPAddressPool(ParseContext& ctx, MapReader& top, IPAddressPool& pool) {
  top.Require("spec");  // the CRD marks spec (and spec.addresses) required
  top.Ignore({"status"});
  auto spec = top.Map("spec");
  if (!spec) return;
  ReadAddresses(ctx, *spec, pool);
  pool.auto_assign = spec->Bool("autoAssign").value_or(true);
  pool.avoid_buggy_ips = spec->Bool("avoidBuggyIPs").value_or(false);
  ReadServiceAllocation(*spec, pool);
  spec->Finish();
}

}  // namespace vipcast::config::detail
