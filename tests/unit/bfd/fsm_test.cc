// The RFC 5880 6.2 diagram, cell by cell.
#include "engine/bfd/fsm.h"

#include <gtest/gtest.h>

namespace vipcast::bfd {
namespace {

using wire::bfd::Diag;
using wire::bfd::State;

struct Cell {
  State local;
  State remote;
  State next;
  Diag diag;  // only meaningful for moves to Down
};

TEST(BfdFsm, EveryCellOfTheDiagram) {
  const Cell cells[] = {
      // Down: "UP, ADMIN DOWN, TIMER" loop; DOWN -> Init; INIT -> Up.
      {State::kDown, State::kAdminDown, State::kDown, Diag::kNone},
      {State::kDown, State::kDown, State::kInit, Diag::kNone},
      {State::kDown, State::kInit, State::kUp, Diag::kNone},
      {State::kDown, State::kUp, State::kDown, Diag::kNone},
      // Init: "ADMIN DOWN, TIMER" -> Down; DOWN loops; "INIT, UP" -> Up.
      {State::kInit, State::kAdminDown, State::kDown, Diag::kNeighborSignaledSessionDown},
      {State::kInit, State::kDown, State::kInit, Diag::kNone},
      {State::kInit, State::kInit, State::kUp, Diag::kNone},
      {State::kInit, State::kUp, State::kUp, Diag::kNone},
      // Up: "ADMIN DOWN, DOWN, TIMER" -> Down; "INIT, UP" loop.
      {State::kUp, State::kAdminDown, State::kDown, Diag::kNeighborSignaledSessionDown},
      {State::kUp, State::kDown, State::kDown, Diag::kNeighborSignaledSessionDown},
      {State::kUp, State::kInit, State::kUp, Diag::kNone},
      {State::kUp, State::kUp, State::kUp, Diag::kNone},
      // AdminDown: packets are discarded (6.8.6).
      {State::kAdminDown, State::kAdminDown, State::kAdminDown, Diag::kNone},
      {State::kAdminDown, State::kDown, State::kAdminDown, Diag::kNone},
      {State::kAdminDown, State::kInit, State::kAdminDown, Diag::kNone},
      {State::kAdminDown, State::kUp, State::kAdminDown, Diag::kNone},
  };
  for (const Cell& c : cells) {
    const FsmResult r = OnRemoteState(c.local, c.remote);
    SCOPED_TRACE(std::string(ToString(c.local)) + " receives " + std::string(ToString(c.remote)));
    EXPECT_EQ(r.next, c.next);
    EXPECT_EQ(r.changed, c.local != c.next);
    if (c.next == State::kDown && r.changed) EXPECT_EQ(r.diag, c.diag);
  }
}

TEST(BfdFsm, DetectionTimeout) {
  // RFC 5880 6.8.4: only Init and Up time out, with diag 1.
  for (State s : {State::kInit, State::kUp}) {
    const FsmResult r = OnDetectionTimeout(s);
    EXPECT_TRUE(r.changed);
    EXPECT_EQ(r.next, State::kDown);
    EXPECT_EQ(r.diag, Diag::kControlDetectionTimeExpired);
  }
  for (State s : {State::kDown, State::kAdminDown}) {
    EXPECT_FALSE(OnDetectionTimeout(s).changed);
    EXPECT_EQ(OnDetectionTimeout(s).next, s);
  }
}

}  // namespace
}  // namespace vipcast::bfd
