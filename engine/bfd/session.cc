#include "engine/bfd/session.h"

#include <algorithm>
#include <cassert>

#include "engine/bfd/fsm.h"
#include "engine/bfd/timers.h"

namespace vipcast::bfd {

using wire::bfd::ControlPacket;
using wire::bfd::Diag;
using wire::bfd::State;

Session::Session(uint32_t local_discriminator, const SessionParameters& params, core::TimePoint now,
                 core::Rng& rng)
    : rng_(rng), params_(params), local_discr_(local_discriminator) {
  assert(local_discriminator != 0);
  // RFC 5880 6.8.1: SessionState Down, RemoteSessionState Down, RemoteDiscr
  // 0, LocalDiag 0, RemoteMinRxInterval 1 (set in the member initialisers).
  desired_min_tx_ = DesiredMinTxFor(state_, params_.desired_min_tx);
  required_min_rx_ = params_.required_min_rx;
  tx_in_use_ = desired_min_tx_;
  rx_in_use_ = required_min_rx_;
  // An active system starts sending at once; a passive one waits (6.1).
  next_tx_ = MayTransmitPeriodically() ? now : core::TimePoint::Never();
}

bool Session::MayTransmitPeriodically() const {
  // RFC 5880 6.8.7: "A system MUST NOT transmit BFD Control packets if
  // bfd.RemoteDiscr is zero and the system is taking the Passive role." and
  // "MUST NOT periodically transmit BFD Control packets if
  // bfd.RemoteMinRxInterval is zero."
  if (params_.passive && remote_discr_ == 0) return false;
  return remote_min_rx_ > core::Duration::Zero();
}

core::Duration Session::transmit_interval() const {
  return TransmitInterval(tx_in_use_, remote_min_rx_);
}

core::Duration Session::detection_time() const {
  if (remote_detect_mult_ == 0) return core::Duration::Infinite();
  return DetectionTime(remote_detect_mult_, rx_in_use_, remote_desired_min_tx_);
}

core::TimePoint Session::NextDeadline() const { return std::min(next_tx_, detect_deadline_); }

ControlPacket Session::MakePacket(bool final) const {
  ControlPacket packet;
  packet.diag = local_diag_;
  packet.state = state_;
  // RFC 5880 6.5: the Poll bit rides on the periodic packets of a Poll
  // Sequence; 6.8.7: "MUST NOT set both the Poll (P) and Final (F) bits".
  packet.poll = poll_active_ && !final;
  packet.final = final;
  packet.detect_mult = params_.detect_mult;
  packet.my_discriminator = local_discr_;
  packet.your_discriminator = remote_discr_;
  packet.desired_min_tx = desired_min_tx_;
  packet.required_min_rx = required_min_rx_;
  // No Echo function: 0 tells the peer not to send echoes (RFC 5880 6.8.9).
  packet.required_min_echo_rx = core::Duration::Zero();
  return packet;
}

void Session::Receive(core::TimePoint now, const ControlPacket& packet, SessionOutput& out) {
  const core::Duration interval_before = transmit_interval();
  const bool may_send_before = MayTransmitPeriodically();

  // RFC 5880 6.8.6, after the discard checks, in the RFC's order.
  remote_discr_ = packet.my_discriminator;
  remote_state_ = packet.state;
  remote_demand_ = packet.demand;  // recorded; Demand mode is not implemented
  remote_min_rx_ = packet.required_min_rx;
  remote_desired_min_tx_ = packet.desired_min_tx;
  remote_detect_mult_ = packet.detect_mult;
  // "If a Poll Sequence is being transmitted by the local system and the
  // Final (F) bit in the received packet is set, the Poll Sequence MUST be
  // terminated."
  if (poll_active_ && packet.final) TerminatePoll();
  // "Update the Detection Time as described in section 6.8.4." The timer
  // restarts with every packet received.
  detect_deadline_ = now + detection_time();

  // "If bfd.SessionState is AdminDown: Discard the packet".
  if (state_ != State::kAdminDown) {
    const FsmResult fsm = OnRemoteState(state_, packet.state);
    if (fsm.changed) ChangeState(now, fsm.next, fsm.diag, out);
    // "If the packet was received with the Poll (P) bit set, the receiving
    // system MUST transmit a BFD Control packet with the Poll (P) bit clear
    // and the Final (F) bit set as soon as practicable, without respect to
    // the transmission timer" (6.8.7 repeats it for every state).
    if (packet.poll) out.packets.push_back(MakePacket(/*final=*/true));
  }

  if (transmit_interval() != interval_before || MayTransmitPeriodically() != may_send_before) {
    Reschedule(now);
  }
}

void Session::Advance(core::TimePoint now, SessionOutput& out) {
  if (detect_deadline_ <= now) {
    detect_deadline_ = core::TimePoint::Never();
    const core::Duration interval_before = transmit_interval();
    const bool may_send_before = MayTransmitPeriodically();
    // RFC 5880 6.8.1: bfd.RemoteDiscr "MUST be set to zero" when a Detection
    // Time passes without a packet; the peer is forgotten with it.
    ForgetRemote();
    // RFC 5880 6.8.4: Init or Up "MUST set bfd.SessionState to Down and
    // bfd.LocalDiag to 1 (Control Detection Time Expired)".
    const FsmResult fsm = OnDetectionTimeout(state_);
    if (fsm.changed) ChangeState(now, fsm.next, fsm.diag, out);
    if (transmit_interval() != interval_before || MayTransmitPeriodically() != may_send_before) {
      Reschedule(now);
    }
  }
  if (next_tx_ <= now) {
    out.packets.push_back(MakePacket(/*final=*/false));
    last_tx_ = now;
    next_tx_ = now + JitteredInterval(transmit_interval(), params_.detect_mult, rng_);
  }
}

void Session::SetAdminDown(core::TimePoint now, bool admin_down, SessionOutput& out) {
  const core::Duration interval_before = transmit_interval();
  if (admin_down && state_ != State::kAdminDown) {
    // RFC 5880 6.8.16: "set bfd.SessionState to AdminDown ... bfd.LocalDiag
    // SHOULD be set to 7 (Administratively Down)".
    ChangeState(now, State::kAdminDown, Diag::kAdministrativelyDown, out);
  } else if (!admin_down && state_ == State::kAdminDown) {
    // "the system SHOULD set bfd.SessionState to Down"; the diagnostic keeps
    // explaining the last Down until the session comes Up again.
    ChangeState(now, State::kDown, local_diag_, out);
  }
  if (transmit_interval() != interval_before) Reschedule(now);
}

void Session::SetParameters(core::TimePoint now, const SessionParameters& params) {
  const core::Duration interval_before = transmit_interval();
  const bool may_send_before = MayTransmitPeriodically();
  params_ = params;
  ApplyLocalTimers();
  if (transmit_interval() != interval_before || MayTransmitPeriodically() != may_send_before) {
    Reschedule(now);
  }
}

void Session::ChangeState(core::TimePoint /*now*/, State next, Diag diag, SessionOutput& out) {
  const State from = state_;
  state_ = next;
  if (next == State::kDown || next == State::kAdminDown) {
    local_diag_ = diag;
  } else if (next == State::kUp) {
    local_diag_ = Diag::kNone;
  }
  out.transitions.push_back(Transition{from, next, local_diag_, remote_state_});
  ApplyLocalTimers();
}

void Session::ApplyLocalTimers() {
  const core::Duration new_tx = DesiredMinTxFor(state_, params_.desired_min_tx);
  const core::Duration new_rx = params_.required_min_rx;
  if (state_ != State::kUp) {
    // RFC 5880 6.8.3 restricts changes only "if bfd.SessionState is Up";
    // otherwise the new values apply at once and no Poll Sequence runs.
    desired_min_tx_ = tx_in_use_ = new_tx;
    required_min_rx_ = rx_in_use_ = new_rx;
    poll_active_ = poll_pending_ = false;
    return;
  }
  if (new_tx == desired_min_tx_ && new_rx == required_min_rx_) return;
  desired_min_tx_ = new_tx;
  required_min_rx_ = new_rx;
  // RFC 5880 6.8.3: "If bfd.DesiredMinTxInterval is increased and
  // bfd.SessionState is Up, the actual transmission interval used MUST NOT
  // change until the Poll Sequence ... has completed. If
  // bfd.RequiredMinRxInterval is reduced and bfd.SessionState is Up, the
  // previous value ... MUST be used when calculating the Detection Time
  // ... until the Poll Sequence has completed." The other directions are
  // safe to apply now.
  tx_in_use_ = std::min(tx_in_use_, new_tx);
  rx_in_use_ = std::max(rx_in_use_, new_rx);
  // "Any time the value of bfd.DesiredMinTxInterval or
  // bfd.RequiredMinRxInterval changes ... a Poll Sequence MUST be
  // initiated" (6.8.3), which includes the switch from the 1 s slow rate to
  // the configured rate on reaching Up.
  StartPoll();
}

void Session::StartPoll() {
  // RFC 5880 6.5 allows one Poll Sequence at a time: a change made during
  // one is confirmed by a fresh sequence after it, because the Final may
  // answer a packet that still carried the older values.
  if (poll_active_) {
    poll_pending_ = true;
  } else {
    poll_active_ = true;
  }
}

void Session::TerminatePoll() {
  if (poll_pending_) {
    poll_pending_ = false;  // poll_active_ stays set: the next sequence starts now
    return;
  }
  poll_active_ = false;
  tx_in_use_ = desired_min_tx_;
  rx_in_use_ = required_min_rx_;
}

void Session::ForgetRemote() {
  remote_discr_ = 0;
  remote_state_ = State::kDown;
  remote_demand_ = false;
  remote_min_rx_ = kInitialRemoteMinRx;
  remote_desired_min_tx_ = core::Duration::Zero();
  remote_detect_mult_ = 0;
}

void Session::Reschedule(core::TimePoint now) {
  if (!MayTransmitPeriodically()) {
    next_tx_ = core::TimePoint::Never();
    return;
  }
  if (!last_tx_) {
    next_tx_ = now;
    return;
  }
  const core::TimePoint candidate =
      std::max(now, *last_tx_ + JitteredInterval(transmit_interval(), params_.detect_mult, rng_));
  // A shorter interval applies to the packet already scheduled; a longer one
  // only from the packet after it. So the packet that reports a state change
  // (Down after a timeout, AdminDown) leaves on the schedule the peer's
  // Detection Time was computed for, and reaches it before that expires,
  // rather than after the 1 s slow interval that the new state imposes
  // (RFC 5880 6.8.3).
  next_tx_ = std::min(next_tx_, candidate);
}

}  // namespace vipcast::bfd
