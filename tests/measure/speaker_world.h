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

// Starts every node of `c` with no services, runs until every speaker sees
// every node live (each phase within `limit`), then hands over the world
// (SetWorld) and runs until settled. The measurements start from a formed
// cluster; handing the services over before membership has formed would make
// every speaker, settled on reaching its first peer, win and announce most
// VIPs and re-announce them each time a further member turns live (see
// L2Speaker): O(N^2 log N) gratuitous ARP bursts, each a broadcast copied to
// N - 1 nodes, which at 100 nodes is millions of in-flight frames and
// gigabytes for a cold start that no measurement looks at.
bool FormThenSetWorld(speaker::testing::SpeakerCluster& c, core::Duration limit);

}  // namespace vipcast::measure
