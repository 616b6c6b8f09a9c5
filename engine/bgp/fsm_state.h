// RFC 4271 8.2.2: the six states of the BGP finite state machine.
#pragma once

#include <cstdint>
#include <string_view>

namespace vipcast::bgp {

enum class FsmState : uint8_t {
  kIdle,
  kConnect,
  kActive,
  kOpenSent,
  kOpenConfirm,
  kEstablished,
};

// "Idle", "Connect", ... as RFC 4271 8.2.2 names them.
std::string_view ToString(FsmState state);

}  // namespace vipcast::bgp
