// The unit the responder works in: one VIP answered and announced on one
// interface. Totally ordered so that every iteration is deterministic.
#pragma once

#include <compare>
#include <string>

#include "engine/core/ip.h"

namespace vipcast::l2 {

struct VipOnInterface {
  core::IpAddr vip;
  std::string interface;
  auto operator<=>(const VipOnInterface&) const = default;
  bool operator==(const VipOnInterface&) const = default;
};

}  // namespace vipcast::l2
