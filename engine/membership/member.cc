#include "engine/membership/member.h"

namespace vipcast::membership {

std::string_view ToString(MemberState state) {
  switch (state) {
    case MemberState::kAlive:
      return "alive";
    case MemberState::kSuspect:
      return "suspect";
    case MemberState::kDead:
      return "dead";
    case MemberState::kLeft:
      return "left";
  }
  return "unknown";
}

std::string_view ToString(std::optional<MemberState> state) {
  return state ? ToString(*state) : std::string_view("none");
}

}  // namespace vipcast::membership
