#include "engine/bgp/fsm_state.h"

namespace vipcast::bgp {

std::string_view ToString(FsmState state) {
  switch (state) {
    case FsmState::kIdle:
      return "Idle";
    case FsmState::kConnect:
      return "Connect";
    case FsmState::kActive:
      return "Active";
    case FsmState::kOpenSent:
      return "OpenSent";
    case FsmState::kOpenConfirm:
      return "OpenConfirm";
    case FsmState::kEstablished:
      return "Established";
  }
  return "?";
}

}  // namespace vipcast::bgp
