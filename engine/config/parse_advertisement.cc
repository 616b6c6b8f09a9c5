// L2Advertisement and BGPAdvertisement (metallb.io/v1beta1). Field ranges are
// the CRD's: preferredNodeSelectors[].weight 1-100, aggregationLength 1-32
// (MetalLB's code rejects > 32: "invalid aggregation length %q for IPv4"),
// aggregationLengthV6 up to 128.
#include "engine/config/parsers.h"

namespace vipcast::config::detail {
namespace {

std::vector<PreferredNodeSelector> ReadPreferred(ParseContext& ctx, MapReader& spec) {
  std::vector<PreferredNodeSelector> out;
  auto items = spec.List("preferredNodeSelectors");
  if (!items) return out;
  for (const auto& item : *items) {
    auto map = MapReader::Open(ctx, item);
    if (!map) continue;
    PreferredNodeSelector pref;
    map->Require("weight");
    map->Require("preference");
    pref.weight = static_cast<int>(map->Int("weight", 1, 100).value_or(0));
    if (auto v = map->Get("preference")) {
      if (auto selector = ReadLabelSelector(ctx, *v)) pref.preference = std::move(*selector);
    }
    map->Finish();
    out.push_back(std::move(pref));
  }
  return out;
}

}  // namespace

void ReadL2Advertisement(ParseContext& ctx, MapReader& top, L2Advertisement& adv) {
  top.Ignore({"status"});
  auto spec = top.Map("spec");
  if (!spec) return;
  adv.ip_address_pools = ReadNameList(*spec, "ipAddressPools");
  adv.ip_address_pool_selectors = ReadSelectorList(*spec, "ipAddressPoolSelectors");
  adv.node_selectors = ReadSelectorList(*spec, "nodeSelectors");
  adv.preferred_node_selectors = ReadPreferred(ctx, *spec);
  adv.interfaces = ReadNameList(*spec, "interfaces");
  adv.service_selectors = ReadSelectorList(*spec, "serviceSelectors");
  spec->Finish();
}

void ReadBGPAdvertisement(ParseContext& ctx, MapReader& top, BGPAdvertisement& adv) {
  top.Ignore({"status"});
  auto spec = top.Map("spec");
  if (!spec) return;
  if (auto len = spec->Int("aggregationLength", 1, 32))
    adv.aggregation_length = static_cast<int>(*len);
  if (auto len = spec->Int("aggregationLengthV6", 0, 128)) {
    adv.aggregation_length_v6 = static_cast<int>(*len);
  }
  if (auto pref = spec->Int("localPref", 0, 4294967295LL))
    adv.local_pref = static_cast<uint32_t>(*pref);
  adv.communities = ReadNameList(*spec, "communities");
  adv.ip_address_pools = ReadNameList(*spec, "ipAddressPools");
  adv.ip_address_pool_selectors = ReadSelectorList(*spec, "ipAddressPoolSelectors");
  adv.node_selectors = ReadSelectorList(*spec, "nodeSelectors");
  adv.peers = ReadNameList(*spec, "peers");
  adv.service_selectors = ReadSelectorList(*spec, "serviceSelectors");
  // CEL rule on BGPAdvertisementSpec: serviceSelectors only with the default
  // aggregation lengths (an aggregate route cannot follow one service).
  if (!adv.service_selectors.empty() &&
      (adv.aggregation_length != 32 || adv.aggregation_length_v6 != 128)) {
    const bool v4 = adv.aggregation_length != 32;
    const char* field = v4 ? "aggregationLength" : "aggregationLengthV6";
    ctx.Error(spec->LineOfKey(field), spec->PathOf(field),
              "cannot be combined with serviceSelectors unless it is the default (32 for "
              "aggregationLength, 128 for aggregationLengthV6)");
  }
  spec->Finish();
}

}  // namespace vipcast::config::detail
