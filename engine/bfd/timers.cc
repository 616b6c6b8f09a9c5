#include "engine/bfd/timers.h"

#include <algorithm>

namespace vipcast::bfd {

core::Duration DesiredMinTxFor(wire::bfd::State state, core::Duration configured) {
  if (state == wire::bfd::State::kUp) return configured;
  return std::max(configured, kSlowTxInterval);
}

core::Duration TransmitInterval(core::Duration desired_min_tx, core::Duration remote_min_rx) {
  return std::max(desired_min_tx, remote_min_rx);
}

core::Duration DetectionTime(uint8_t remote_detect_mult, core::Duration required_min_rx,
                             core::Duration remote_desired_min_tx) {
  return std::max(required_min_rx, remote_desired_min_tx) * int64_t{remote_detect_mult};
}

core::Duration MinJitteredInterval(core::Duration interval) { return interval * 3 / 4; }

core::Duration MaxJitteredInterval(core::Duration interval, uint8_t local_detect_mult) {
  return local_detect_mult == 1 ? interval * 9 / 10 : interval;
}

core::Duration JitteredInterval(core::Duration interval, uint8_t local_detect_mult,
                                core::Rng& rng) {
  const int64_t lo = MinJitteredInterval(interval).nanoseconds();
  const int64_t hi = MaxJitteredInterval(interval, local_detect_mult).nanoseconds();
  // Never zero, so a timer always moves forward.
  return core::Duration::Nanoseconds(std::max<int64_t>(1, rng.UniformInRange(lo, hi)));
}

}  // namespace vipcast::bfd
