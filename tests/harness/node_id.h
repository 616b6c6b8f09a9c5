// Names a node of the harness by the order it was added (0, 1, ...).
#pragma once

#include <compare>
#include <cstdint>

namespace vipcast::harness {

// The index also breaks ties between events due at the same instant, which is
// what makes a run reproducible.
struct NodeId {
  uint32_t index = 0;
  auto operator<=>(const NodeId&) const = default;
};

}  // namespace vipcast::harness
