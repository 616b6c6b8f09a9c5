// Community aliases and the communities of BGPAdvertisements, resolved as
// MetalLB's getCommunityValue does: an alias name first (it shadows a literal
// spelled the same), then the literal "A:B" / "large:A:B:C".
#include <algorithm>
#include <cctype>
#include <map>

#include "engine/config/community.h"
#include "engine/config/scalar.h"
#include "engine/config/validate.h"

namespace vipcast::config::detail {
namespace {

struct AliasSource {
  const Community* community;
  size_t index;
};

// RFC 1997 / RFC 8326 / RFC 7999 / RFC 8642 / RFC 7611 well-known
// communities that users tend to write by name.
std::optional<std::string_view> WellKnownValue(std::string_view text) {
  std::string key(text);
  std::transform(key.begin(), key.end(), key.begin(), [](unsigned char c) {
    return c == '_' ? '-' : static_cast<char>(std::tolower(c));
  });
  static const std::map<std::string, std::string_view> kWellKnown = {
      {"no-export", "65535:65281"},
      {"no-advertise", "65535:65282"},
      {"no-export-subconfed", "65535:65283"},
      {"local-as", "65535:65283"},
      {"no-peer", "65535:65284"},
      {"blackhole", "65535:666"},
      {"graceful-shutdown", "65535:0"},
      {"accept-own", "65535:1"},
  };
  auto it = kWellKnown.find(key);
  if (it == kWellKnown.end()) return std::nullopt;
  return it->second;
}

}  // namespace

void ValidateCommunities(ClusterConfig& config, Reporter& report) {
  // (namespace, alias) -> where it is defined. Aliases are global to
  // MetalLB's namespace: "duplicate definition of community %q" spans objects.
  std::map<std::pair<std::string, std::string>, AliasSource> aliases;
  for (const auto& community : config.communities) {
    for (size_t i = 0; i < community.communities.size(); ++i) {
      const auto& alias = community.communities[i];
      if (alias.name.empty()) continue;
      auto [it, inserted] = aliases.emplace(std::pair(community.meta.namespace_, alias.name),
                                            AliasSource{&community, i});
      if (!inserted) {
        const AliasSource& first = it->second;
        std::string where =
            first.community == &community
                ? "spec.communities[" + std::to_string(first.index) + "] of this object"
                : Describe("Community", first.community->meta);
        report.Error(
            "Community", community.meta, "spec.communities[" + std::to_string(i) + "].name",
            "duplicate community alias " + Quote(alias.name) + " (also defined in " + where + ")");
      }
    }
  }

  for (auto& adv : config.bgp_advertisements) {
    adv.resolved_communities.clear();
    for (size_t i = 0; i < adv.communities.size(); ++i) {
      const std::string& text = adv.communities[i];
      if (text.empty()) continue;  // reported while parsing
      const std::string field = "spec.communities[" + std::to_string(i) + "]";
      if (auto it = aliases.find({adv.meta.namespace_, text}); it != aliases.end()) {
        const auto& alias = it->second.community->communities[it->second.index];
        // A bad alias value is reported at the Community object.
        if (auto value = ParseCommunity(alias.value)) adv.resolved_communities.push_back(*value);
        continue;
      }
      auto value = ParseCommunity(text);
      if (value) {
        adv.resolved_communities.push_back(*value);
        continue;
      }
      if (value.error().kind == CommunityError::Kind::kValue) {
        report.Error("BGPAdvertisement", adv.meta, field, value.error().message);
        continue;
      }
      std::string message = Quote(text) +
                            " is neither a community value (A:B or large:A:B:C) nor a Community "
                            "alias in namespace " +
                            adv.meta.namespace_;
      if (auto well_known = WellKnownValue(text)) {
        message += "; well-known names are not built in: define a Community alias with value " +
                   std::string(*well_known);
      }
      report.Error("BGPAdvertisement", adv.meta, field, std::move(message));
    }
  }
}

}  // namespace vipcast::config::detail
