// How one L2 segment treats each copy of a frame or datagram that crosses it.
// Every random choice is drawn from the harness Rng, so a seed reproduces the
// exact delays, losses and duplicates of a run.
#pragma once

#include "engine/core/rng.h"
#include "engine/core/time.h"

namespace vipcast::harness {

struct LinkModel {
  core::Duration delay = core::Duration::Milliseconds(1);  // one-way base delay
  core::Duration jitter = core::Duration::Zero();          // extra delay, uniform in [0, jitter]
  double loss = 0;                                         // probability that a copy is dropped
  double duplicate = 0;  // probability that a surviving copy arrives twice
};

// One copy's one-way delay. Draws from `rng` only when there is jitter (and
// the harness draws loss and duplication only when they are non-zero), so a
// run over perfect links does not depend on the seed at all.
inline core::Duration DrawDelay(const LinkModel& link, core::Rng& rng) {
  if (link.jitter <= core::Duration::Zero()) return link.delay;
  return link.delay + core::Duration::Nanoseconds(rng.UniformInRange(0, link.jitter.nanoseconds()));
}

}  // namespace vipcast::harness
