#include "engine/bgp/backoff.h"

#include <algorithm>

namespace vipcast::bgp {

Backoff::Backoff(core::Duration initial, core::Duration max)
    : initial_(initial), max_(std::max(initial, max)), current_(initial) {}

core::Duration Backoff::Next() {
  core::Duration now = current_;
  current_ = std::min(max_, current_ * 2);
  return now;
}

}  // namespace vipcast::bgp
