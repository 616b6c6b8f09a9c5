// The RFC 5880 6.2 session state machine as a pure function of the local
// state and the event, so the diagram can be tested cell by cell. Timers,
// discriminators and packets live in Session.
//
//                             +--+
//                             |  | UP, ADMIN DOWN, TIMER
//                             |  V
//                     DOWN  +------+  INIT
//              +------------|      |------------+
//              |            | DOWN |            |
//              |  +-------->|      |<--------+  |
//              |  |         +------+         |  |
//              |  |                          |  |
//              |  |               ADMIN DOWN,|  |
//              |  |ADMIN DOWN,          DOWN,|  |
//              |  |TIMER                TIMER|  |
//              V  |                          |  V
//            +------+                      +------+
//       +----|      |                      |      |----+
//   DOWN|    | INIT |--------------------->|  UP  |    |INIT, UP
//       +--->|      | INIT, UP             |      |<---+
//            +------+                      +------+
#pragma once

#include "engine/wire/bfd/codes.h"

namespace vipcast::bfd {

struct FsmResult {
  wire::bfd::State next = wire::bfd::State::kDown;
  // For a move to Down: the bfd.LocalDiag to record (the reason). Moves to
  // Init keep the previous diagnostic and moves to Up clear it (Session).
  wire::bfd::Diag diag = wire::bfd::Diag::kNone;
  bool changed = false;
};

// RFC 5880 6.8.6 (last part): the new local state after a valid packet whose
// State field is `remote`. A local AdminDown never changes here (6.8.6: "If
// bfd.SessionState is AdminDown, discard the packet").
FsmResult OnRemoteState(wire::bfd::State local, wire::bfd::State remote);

// RFC 5880 6.8.4: the Detection Time passed without a packet. Init and Up go
// Down with diag 1 (Control Detection Time Expired); Down and AdminDown stay.
FsmResult OnDetectionTimeout(wire::bfd::State local);

}  // namespace vipcast::bfd
