// Connect-retry backoff (RFC 4271 8.1.1 IdleHoldTime with
// DampPeerOscillations): the wait before the next connection attempt starts
// at `initial` and doubles after each failure up to `max`; a session that
// reaches Established resets it.
#pragma once

#include "engine/core/time.h"

namespace vipcast::bgp {

// Invariant: initial <= current() <= max.
class Backoff {
 public:
  explicit Backoff(core::Duration initial = core::Duration::Seconds(1),
                   core::Duration max = core::Duration::Seconds(120));
  // The wait to use now; doubles the next one.
  core::Duration Next();
  core::Duration current() const { return current_; }
  void Reset() { current_ = initial_; }

 private:
  core::Duration initial_;
  core::Duration max_;
  core::Duration current_;
};

}  // namespace vipcast::bgp
