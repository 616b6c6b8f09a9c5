#include "tests/measure/speaker_world.h"

#include <string>
#include <utility>
#include <vector>

#include "tests/unit/election/model_builders.h"

namespace vipcast::measure {

using core::Duration;
using election::testing::MakeAd;
using election::testing::MakeNode;
using election::testing::MakePool;
using election::testing::MakeService;
using election::testing::MakeSlice;
using speaker::testing::SpeakerCluster;

core::IpAddr VipOf(size_t service) {
  return core::IpAddr(core::Ipv4Addr::FromOctets(192, 168, static_cast<uint8_t>(service / 250),
                                                 static_cast<uint8_t>(service % 250 + 1)));
}

void SetWorld(SpeakerCluster& c) {
  config::ClusterConfig config;
  config.pools.push_back(MakePool("pool", {"192.168.0.0/16"}));
  config.l2_advertisements.push_back(MakeAd("l2"));
  config::NodeSet nodes;
  std::vector<std::pair<std::string, std::optional<bool>>> everywhere;
  for (size_t i = 0; i < c.size(); ++i) {
    nodes.nodes.push_back(MakeNode(SpeakerCluster::NameOf(i)));
    everywhere.emplace_back(SpeakerCluster::NameOf(i), true);
  }
  config::ServiceSet services;
  for (size_t i = 0; i < c.size(); ++i) {
    const std::string name = "svc-" + std::to_string(i);
    services.services.push_back(MakeService("default", name, {VipOf(i).ToString()}));
    services.endpoint_slices.push_back(MakeSlice("default", name, everywhere));
  }
  c.SetWorld(std::move(config), std::move(nodes), std::move(services));
}

bool RunUntilSettled(SpeakerCluster& c, Duration limit) {
  const core::TimePoint end = c.now() + limit;
  while (c.now() < end) {
    c.RunFor(Duration::Milliseconds(100));
    bool settled = true;
    for (size_t i = 0; i < c.size() && settled; ++i) {
      settled = !c.speaker(i).holding_back() && c.speaker(i).live_members().size() == c.size();
    }
    for (size_t v = 0; v < c.size() && settled; ++v) settled = c.Announcers(VipOf(v)).size() == 1;
    if (settled) return true;
  }
  return false;
}

bool FormThenSetWorld(SpeakerCluster& c, Duration limit) {
  c.StartAll();
  const core::TimePoint end = c.now() + limit;
  bool formed = false;
  while (!formed && c.now() < end) {
    c.RunFor(Duration::Milliseconds(100));
    formed = true;
    for (size_t i = 0; i < c.size() && formed; ++i) {
      formed = c.speaker(i).live_members().size() == c.size();
    }
  }
  if (!formed) return false;
  SetWorld(c);
  return RunUntilSettled(c, limit);
}

}  // namespace vipcast::measure
