// Spurious failovers: a cluster runs for a long simulated time with uniform
// random datagram loss and no crash; every VIP's owner stays alive, so any
// node that starts announcing a VIP it does not own is a spurious failover
// (two announcers, and traffic moves for nothing).
//
// Membership level (ClusterSim): there is no election, so we apply the rule a
// speaker applies to its own view of the membership (VipLayout::Announces: a
// node announces a VIP when every node ranked above it is dead or left in
// its view; suspects still count as members) at every state change any node
// records.
// Speaker level (tests/harness, engine/speaker's L2Speaker): every
// VipAnnounced fact from a node that did not own the VIP when the loss
// started; suspicions and dead declarations from the speakers'
// SessionStateChanged{membership} facts.
#pragma once

#include <cstddef>
#include <cstdint>

#include "engine/core/time.h"
#include "engine/membership/profile.h"

namespace vipcast::measure {

struct SpuriousCase {
  size_t nodes = 10;
  membership::TimingProfile profile = membership::DefaultProfile();
  double loss = 0.05;  // per datagram copy, uniform, both directions
  core::Duration duration = core::Duration::Minutes(60);
  uint64_t seed = 1;
};

struct SpuriousResult {
  bool formed = false;
  // Membership level.
  uint64_t suspect_transitions = 0;  // (observer, peer) moves to suspect
  uint64_t suspicion_episodes = 0;   // a peer goes from suspected by nobody to by someone
  uint64_t dead_transitions = 0;     // (observer, peer) moves to dead
  uint64_t dead_episodes = 0;        // a peer goes from dead to nobody to dead to someone
  uint64_t refutations = 0;          // sum of the engines' refutation counters
  uint64_t probe_failures = 0;       // sum of the engines' probe failure counters
  // Spurious failovers: a (VIP, non-owner) pair starts announcing.
  uint64_t failovers = 0;
  core::Duration longest_failover = core::Duration::Zero();  // longest such announcement
  core::Duration failover_time = core::Duration::Zero();     // summed over all of them
  // Everyone agreeing again at the end (the run ends with 30 s without loss).
  bool converged_after = false;
  double datagrams_per_node_per_s = 0;
};

SpuriousResult MeasureSpuriousMembership(const SpuriousCase& c);
SpuriousResult MeasureSpuriousSpeaker(const SpuriousCase& c);

}  // namespace vipcast::measure
