// Turns a World's timeline (and the faults the runner fired) into the
// measured values of one run: probe statistics, each service's announcer
// history, and failovers classified as explained or spurious.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "sim/ns3/world.h"
#include "sim/runner/run_result.h"

namespace vipcast::sim {

// A failover counts as explained when a fault that can move a VIP (anything
// but loss and delay) fired at most this long before it; a failover under
// loss alone, or long after the last fault, is spurious. 30 s covers the
// metallb profile's slowest detection (memberlist's suspicion timeout at 100
// nodes is about 20 s).
inline constexpr core::Duration kFailoverExplainWindow = core::Duration::Seconds(30);

// A probe counts as answered only when its answer arrives within this time,
// as a client's request timeout would have it: a request that sat in the
// client's ARP queue until an announcer appeared a second later was not
// served in time.
inline constexpr core::Duration kProbeTimeout = core::Duration::Milliseconds(500);

// Sends in the last `kProbeGrace` before `end` whose answer has not arrived
// are left out: the run ended, not the service.
inline constexpr core::Duration kProbeGrace = core::Duration::Milliseconds(200);

ProbeStats AnalyzeProbe(const std::vector<TimelineEvent>& timeline, const std::string& probe,
                        core::Duration end);

// Announcer sets per service over time, from VipAnnounced/VipWithdrawn
// facts (layer 2), with a crashed or killed speaker's announcements ending
// when the fault fires (its engine is gone and answers nothing).
// With `layer2_only`, BGP advertisements (detail "bgp") are left out:
// failovers are a layer 2 notion, BGP has every eligible node announce.
std::vector<AnnouncerChange> AnnouncerHistory(const std::vector<TimelineEvent>& timeline,
                                              const std::vector<FiredFault>& faults,
                                              bool layer2_only = false);

// When the cluster first formed: the first instant at which every node
// that took part in membership had heard of every other one alive (from
// the "membership PEER FROM->alive" session events). Before it, nodes
// elect with partial member lists, and a VIP moving when a late joiner
// becomes known is convergence, not a failover worth counting. nullopt
// when that instant never came (or there is no membership at all).
std::optional<core::Duration> ClusterFormedAt(const std::vector<TimelineEvent>& timeline);

// A failover is a service starting to be announced by a node other than
// the one that announced it last. Those before `formed_at` are marked
// `initial` and are never spurious.
std::vector<Failover> Failovers(const std::vector<AnnouncerChange>& history,
                                const std::vector<FiredFault>& faults,
                                std::optional<core::Duration> formed_at = std::nullopt);

// Each router's number of Established BGP sessions over time, from the
// kSession events whose host is a router ("router-<r>", "spine-<s>",
// "leaf-<l>").
std::vector<BgpSessionCount> RouterSessionHistory(const std::vector<TimelineEvent>& timeline);

// Each router's next hops per prefix over time, from the kRoute events.
std::vector<RouteState> RouteHistory(const std::vector<TimelineEvent>& timeline);

}  // namespace vipcast::sim
