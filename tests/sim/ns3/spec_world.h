// The scenario spec's example cluster for the sim/ns3 tests: pool
// 192.168.1.240-192.168.1.250, one L2Advertisement, Service default/web
// (externalTrafficPolicy Cluster) with a ready endpoint on every node, and
// a UDP probe every 10 ms from client-0 to the service's VIP.
#pragma once

#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "engine/core/time.h"
#include "sim/ns3/world.h"

namespace vipcast::sim::testing {

inline constexpr char kWeb[] = "default/web";

inline core::TimePoint At(core::Duration d) { return core::TimePoint::Epoch() + d; }

config::Resources SpecResources();

// Default parameters: l2-switch, 3 nodes, 1 client.
WorldOptions SpecOptions();

// Builds the world, applies the resources and endpoints (every node) and
// starts the probe at time 0. Null (with a test failure) on error.
std::unique_ptr<World> MakeSpecWorld(const WorldOptions& options);

// Longest time in [from, to] without a probe reply (from `from` to the
// first reply, between replies, from the last reply to `to`).
core::Duration LongestSilence(const std::vector<TimelineEvent>& timeline, core::TimePoint from,
                              core::TimePoint to);
// Who answered the last probe before `to` ("" if none).
std::string LastAnswerer(const std::vector<TimelineEvent>& timeline, core::TimePoint to);
size_t Count(const std::vector<TimelineEvent>& timeline, TimelineEvent::Kind kind,
             core::TimePoint from, core::TimePoint to);

}  // namespace vipcast::sim::testing
