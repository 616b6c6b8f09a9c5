// Local health awareness, after Lifeguard (Dadgar et al. 2018), "Local Health
// Aware Probe", as memberlist's awareness.go implements it: a saturating score
// in [0, max - 1] that rises when this node fails probes that its peers would
// have answered (missing nacks), or when it has to refute a suspicion of
// itself, and falls with every successful probe. Probe interval and timeout
// are multiplied by (score + 1), so a slow or overloaded node probes more
// patiently instead of accusing healthy peers.
#pragma once

#include <algorithm>

#include "engine/core/time.h"

namespace vipcast::membership {

class Awareness {
 public:
  explicit Awareness(int max) : max_(max < 1 ? 1 : max) {}

  void ApplyDelta(int delta) { score_ = std::clamp(score_ + delta, 0, max_ - 1); }
  int score() const { return score_; }
  core::Duration Scale(core::Duration d) const { return d * (score_ + 1); }

 private:
  int max_;
  int score_ = 0;
};

}  // namespace vipcast::membership
