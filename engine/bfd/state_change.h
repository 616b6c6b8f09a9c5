// A session state change as BFD's clients (BGP) consume it.
#pragma once

#include "engine/bfd/session_key.h"
#include "engine/core/time.h"
#include "engine/wire/bfd/codes.h"

namespace vipcast::bfd {

struct StateChange {
  SessionKey key;
  core::TimePoint at;
  wire::bfd::State from = wire::bfd::State::kDown;
  wire::bfd::State to = wire::bfd::State::kDown;
  wire::bfd::Diag diag = wire::bfd::Diag::kNone;
  wire::bfd::State remote_state = wire::bfd::State::kDown;

  // The session left Up: the forwarding path is presumed broken and a
  // client such as BGP should take its own session down at once (RFC 5882
  // 3.2), except when PeerAdministrativelyDown().
  bool WentDown() const { return from == wire::bfd::State::kUp && to != wire::bfd::State::kUp; }
  // RFC 5882 3.2: Down because the peer sent AdminDown says nothing about the
  // path, so "the client protocol SHOULD NOT" be torn down for it.
  bool PeerAdministrativelyDown() const {
    return to == wire::bfd::State::kDown && remote_state == wire::bfd::State::kAdminDown;
  }
  bool operator==(const StateChange&) const = default;
};

}  // namespace vipcast::bfd
