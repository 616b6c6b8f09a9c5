// The suspicion timer of one suspect member, after Lifeguard (Dadgar,
// Phillips, Currey 2018), "Local Health Aware Suspicion", as
// hashicorp/memberlist implements it (suspicion.go):
//
//   timeout(C) = max(min, max - (max - min) * log(C + 1) / log(K + 1))
//
// measured from when the suspicion started; C counts independent
// confirmations (suspicions of the same node raised by other members), K is
// how many it takes to reach min. With K = 0 the timeout is min from the
// start. Pure: the owner asks for Deadline() and runs the timer.
//
// Invariants: confirmations() <= K; each `from` counts at most once, and the
// member that raised the suspicion never counts (its own suspicion may be
// gossiped back to it).
#pragma once

#include <set>

#include "engine/core/node_name.h"
#include "engine/core/time.h"

namespace vipcast::membership {

class Suspicion {
 public:
  Suspicion(const core::NodeName& from, int k, core::Duration min, core::Duration max,
            core::TimePoint start);

  // Registers a confirmation from `from`. True when it was new information
  // (not a duplicate, and K not yet reached): then the deadline moved and the
  // caller re-gossips the suspicion so that others can count it too.
  bool Confirm(const core::NodeName& from);

  core::TimePoint Deadline() const { return start_ + Timeout(confirmations_, k_, min_, max_); }
  int confirmations() const { return confirmations_; }
  core::TimePoint start() const { return start_; }

  // The formula above, floored to whole milliseconds as memberlist does.
  static core::Duration Timeout(int confirmations, int k, core::Duration min, core::Duration max);

 private:
  int k_;
  core::Duration min_;
  core::Duration max_;
  core::TimePoint start_;
  int confirmations_ = 0;
  std::set<core::NodeName> seen_;
};

}  // namespace vipcast::membership
