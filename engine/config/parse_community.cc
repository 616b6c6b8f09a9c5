// Community (metallb.io/v1beta1): named aliases for community values. Each
// value must itself be a community (MetalLB: `parsing community %q: %s`);
// alias names that repeat across Community objects are a cross-object check
// (validate_communities.cc).
#include "engine/config/community.h"
#include "engine/config/parsers.h"

namespace vipcast::config::detail {

void ReadCommunity(ParseContext& ctx, MapReader& top, Community& community) {
  top.Ignore({"status"});
  auto spec = top.Map("spec");
  if (!spec) return;
  if (auto items = spec->List("communities")) {
    for (const auto& item : *items) {
      auto map = MapReader::Open(ctx, item);
      if (!map) continue;
      CommunityAlias alias;
      map->Require("name");
      map->Require("value");
      alias.name = map->String("name").value_or("");
      alias.value = map->String("value").value_or("");
      if (map->Has("name") && alias.name.empty()) {
        ctx.Error(map->LineOfKey("name"), map->PathOf("name"), "must not be empty");
      }
      if (map->Has("value") && !alias.value.empty()) {
        if (auto parsed = ParseCommunity(alias.value); !parsed) {
          ctx.Error(map->LineOfKey("value"), map->PathOf("value"), parsed.error().message);
        }
      }
      map->Finish();
      community.communities.push_back(std::move(alias));
    }
  }
  spec->Finish();
}

}  // namespace vipcast::config::detail
