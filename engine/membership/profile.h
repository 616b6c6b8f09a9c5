// Timing profiles: how often the membership protocol probes, gossips and
// syncs, and how long it lets a suspect refute before declaring it dead.
//
// Two named profiles:
//  - "default": vipcast's own, tuned so that the next-in-line backup of a VIP
//    declares a crashed owner dead in under 500 ms on a LAN (see DESIGN.md).
//  - "metallb": hashicorp/memberlist's DefaultLANConfig, which MetalLB's
//    speaker uses, so a mixed or migrating cluster behaves as it did before.
//
// Derived quantities follow memberlist (util.go, state.go): the suspicion
// timeouts scale with log10 of the cluster size when `suspicion_log_scale` is
// set, and each gossip update is retransmitted retransmit_mult*ceil(log10(N+1))
// times.
#pragma once

#include <cstddef>
#include <string>
#include <string_view>

#include "engine/core/result.h"
#include "engine/core/time.h"

namespace vipcast::membership {

struct TimingProfile {
  std::string name;

  // SWIM (Das et al. 2002) section 3.1: one protocol period per probe; ack
  // expected within probe_timeout, else `indirect_checks` members are asked
  // to probe on our behalf (ping-req) for the rest of the period.
  core::Duration probe_interval;
  core::Duration probe_timeout;
  int indirect_checks = 3;

  // Lifeguard (Dadgar et al. 2018), "Local Health Aware Suspicion": the
  // suspicion timeout starts at max and decays towards min as independent
  // confirmations arrive; K confirmations reach min. min and max are
  // multiplied by max(1, log10(N)) when suspicion_log_scale is set
  // (memberlist's suspicionTimeout).
  core::Duration suspicion_min;
  core::Duration suspicion_max;
  bool suspicion_log_scale = false;
  int suspicion_confirmations = 2;  // K; memberlist uses SuspicionMult - 2

  // Lifeguard "Local Health Aware Probe": probe interval and timeout are
  // multiplied by (score + 1), score in [0, awareness_max - 1].
  int awareness_max = 8;

  // Dissemination (SWIM 4.1): updates ride on every message; in addition,
  // every gossip_interval, pending updates go to gossip_nodes random members.
  core::Duration gossip_interval;
  int gossip_nodes = 3;
  int retransmit_mult = 4;
  // Dead members still receive gossip this long after they died, so that a
  // falsely declared node hears about it and refutes (memberlist's
  // GossipToTheDeadTime).
  core::Duration gossip_to_the_dead;

  // Anti-entropy: one page of full state exchanged with a random member
  // (alive, or dead and not yet forgotten, so that partitions heal).
  core::Duration push_pull_interval;
  // Retry joining through the seeds while no other member is alive.
  core::Duration join_retry_interval;
  // Dead and left members are forgotten this long after their last change.
  core::Duration dead_retention;
};

TimingProfile DefaultProfile();
TimingProfile MetallbProfile();
// "default" or "metallb".
core::Result<TimingProfile> ProfileByName(std::string_view name);
// Checks the relations the protocol relies on (timeout < interval, min <= max,
// positive periods...). Returns the first problem.
core::Status<> Validate(const TimingProfile& profile);

// ---- derived quantities, for N members (including this node)

// memberlist's nodeScale: max(1, log10(N)) when log scaling is on, else 1.
double SuspicionScale(const TimingProfile& p, size_t n);
core::Duration SuspicionMin(const TimingProfile& p, size_t n);
core::Duration SuspicionMax(const TimingProfile& p, size_t n);
// K, or 0 when fewer than K other members could confirm (N - 2 < K), as
// memberlist does: then the timeout is min from the start.
int SuspicionConfirmationsNeeded(const TimingProfile& p, size_t n);
// retransmit_mult * ceil(log10(N + 1)) (memberlist's retransmitLimit).
int RetransmitLimit(const TimingProfile& p, size_t n);

// Worst case, in simulated time, from a crash of a node to a healthy watcher
// of it (SetWatched) declaring it dead: the crash may happen just after a
// successful probe (one interval to the next probe), that probe round lasts
// one interval, then the suspicion runs at most SuspicionMax.
core::Duration WatchedDetectionBound(const TimingProfile& p, size_t n);
// Worst case for every healthy member to declare a crashed node dead without
// any watcher: the shuffled round-robin probe order (SWIM 4.3) reaches every
// member within 2(N-1)-1 periods even across a reshuffle, plus the failing
// round and the longest suspicion.
core::Duration UnwatchedDetectionBound(const TimingProfile& p, size_t n);
// The same for probers whose Lifeguard health score has climbed to its
// maximum (every period stretched awareness_max times), as happens to every
// node during a partition: helpers on the far side never send the nacks that
// would clear the prober of blame.
core::Duration DegradedDetectionBound(const TimingProfile& p, size_t n);

}  // namespace vipcast::membership
