#include "engine/bfd/fsm.h"

namespace vipcast::bfd {

using wire::bfd::Diag;
using wire::bfd::State;

namespace {

FsmResult Stay(State local) { return FsmResult{local, Diag::kNone, false}; }
FsmResult Move(State next, Diag diag) { return FsmResult{next, diag, true}; }

}  // namespace

FsmResult OnRemoteState(State local, State remote) {
  if (local == State::kAdminDown) return Stay(local);
  // RFC 5880 6.8.6: "If received state is AdminDown: If bfd.SessionState is
  // not Down: Set bfd.LocalDiag to 3 (Neighbor signaled session down), Set
  // bfd.SessionState to Down".
  if (remote == State::kAdminDown) {
    if (local == State::kDown) return Stay(local);
    return Move(State::kDown, Diag::kNeighborSignaledSessionDown);
  }
  switch (local) {
    case State::kDown:
      // "If bfd.SessionState is Down: If received State is Down: Set
      // bfd.SessionState to Init; Else if received State is Init: Set
      // bfd.SessionState to Up". Diag is kept: it explains the last Down.
      if (remote == State::kDown) return Move(State::kInit, Diag::kNone);
      if (remote == State::kInit) return Move(State::kUp, Diag::kNone);
      return Stay(local);
    case State::kInit:
      // "Else if bfd.SessionState is Init: If received State is Init or Up,
      // Set bfd.SessionState to Up".
      if (remote == State::kInit || remote == State::kUp) return Move(State::kUp, Diag::kNone);
      return Stay(local);
    case State::kUp:
      // "Else (bfd.SessionState is Up): If received State is Down: Set
      // bfd.LocalDiag to 3 (Neighbor signaled session down), Set
      // bfd.SessionState to Down".
      if (remote == State::kDown) return Move(State::kDown, Diag::kNeighborSignaledSessionDown);
      return Stay(local);
    case State::kAdminDown:
      break;
  }
  return Stay(local);
}

FsmResult OnDetectionTimeout(State local) {
  if (local == State::kInit || local == State::kUp) {
    return Move(State::kDown, Diag::kControlDetectionTimeExpired);
  }
  return Stay(local);
}

}  // namespace vipcast::bfd
