// What the membership engine tells its users about the other nodes.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "engine/core/io.h"
#include "engine/core/node_name.h"
#include "engine/core/time.h"

namespace vipcast::membership {

// SWIM section 4.2 states plus memberlist's "left" for a graceful departure,
// which users must not treat as a failure.
enum class MemberState : uint8_t { kAlive, kSuspect, kDead, kLeft };

inline constexpr MemberState kAllMemberStates[] = {MemberState::kAlive, MemberState::kSuspect,
                                                   MemberState::kDead, MemberState::kLeft};

// "alive", "suspect", "dead", "left".
std::string_view ToString(MemberState state);
// The same, or "none" for a member that is not (or no longer) known.
std::string_view ToString(std::optional<MemberState> state);

// Alive and suspect members still count as members: a suspect may refute.
constexpr bool IsActive(MemberState s) {
  return s == MemberState::kAlive || s == MemberState::kSuspect;
}

struct MemberView {
  core::NodeName name;
  core::Endpoint endpoint;
  MemberState state = MemberState::kAlive;
  uint32_t incarnation = 0;
  core::TimePoint since;  // last state change
  bool is_self = false;
  bool operator==(const MemberView&) const = default;
};

// One state change of one member, as DrainChanges() reports it. `from` is
// empty for a newly learnt member, `to` for one forgotten after
// dead_retention.
struct MemberChange {
  core::NodeName node;
  std::optional<MemberState> from;
  std::optional<MemberState> to;
  uint32_t incarnation = 0;
  core::Endpoint endpoint;
  core::TimePoint at;
  std::string reason;
  bool operator==(const MemberChange&) const = default;
};

}  // namespace vipcast::membership
