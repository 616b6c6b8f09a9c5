// Failover time of one VIP: its owner crashes at a random instant, and we
// measure how long until the node that takes the VIP over acts.
//
// Two levels, same cases and seeds:
//  - kMembership (ClusterSim, membership engines only): crash -> the VIP's
//    next-in-line declares the owner dead. This is when a speaker's election
//    would move the VIP; the gratuitous ARP follows in the same engine step
//    if the speaker announces at once, so it is a lower bound of the
//    end-to-end time.
//  - kSpeaker (tests/harness, engine/speaker's L2Speaker on one LAN segment):
//    crash -> the first gratuitous ARP for the VIP sent by another node (the
//    new owner), as the switch sees it. Only `takeover` is measured.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>

#include "engine/core/time.h"
#include "engine/membership/profile.h"

namespace vipcast::measure {

enum class Level { kMembership, kSpeaker };
std::string ToString(Level level);

struct FailoverCase {
  size_t nodes = 3;
  membership::TimingProfile profile = membership::DefaultProfile();
  uint64_t seed = 1;
  // Time the cluster runs after forming, before the crash window opens.
  core::Duration settle = core::Duration::Seconds(2);
  // The crash happens uniformly at random in [0, crash_window) after settle;
  // zero means two probe intervals, so across seeds it lands at every phase
  // of the watcher's probe schedule (the phase that decides detection time).
  core::Duration crash_window = core::Duration::Zero();
};

struct FailoverSample {
  bool formed = false;  // the cluster converged before the crash
  // crash -> the new owner takes over (see Level); Infinite if it never did
  // within the limit.
  core::Duration takeover = core::Duration::Infinite();
  // crash -> the next-in-line first suspects the owner (membership level).
  core::Duration suspected = core::Duration::Infinite();
  // crash -> the last surviving node declares the owner dead.
  core::Duration everyone = core::Duration::Infinite();
};

FailoverSample MeasureFailoverMembership(const FailoverCase& c);
FailoverSample MeasureFailoverSpeaker(const FailoverCase& c);

}  // namespace vipcast::measure
