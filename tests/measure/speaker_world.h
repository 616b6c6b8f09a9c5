// The cluster the end-to-end measurements run: `nodes` L2 speakers on one LAN
// segment of tests/harness (tests/unit/speaker's SpeakerCluster), one
// IPAddressPool, one L2Advertisement for every node, and one LoadBalancer
// Service per node ("default/svc-<i>" at VipOf(i), externalTrafficPolicy
// Cluster, a ready endpoint on every node), so that every node backs up about
// one VIP and watches its owner, as in the membership-level runs.
#pragma once

#include <cstddef>
#include <optional>

#include "engine/core/ip.h"
#include "tests/unit/speaker/speaker_cluster.h"

namespace vipcast::measure {

core::IpAddr VipOf(size_t service);

// Hands the world to every speaker of `c` (c.size() services).
void SetWorld(speaker::testing::SpeakerCluster& c);

// Runs until every speaker has finished its join grace and every VIP has
// exactly one announcer; false if that did not happen within `limit`.
bool RunUntilSettled(speaker::testing::SpeakerCluster& c, core::Duration limit);

}  // namespace vipcast::measure
