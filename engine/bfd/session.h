// One BFD session in Asynchronous mode (RFC 5880 6.1-6.8), independent of
// its UDP encapsulation. It owns the state variables of RFC 5880 6.8.1, runs
// the 6.2 state machine, negotiates timers (6.8.2-6.8.4), jitters its
// transmissions (6.8.7), runs Poll Sequences for its own parameter changes
// (6.5) and answers the peer's. Demand mode and the Echo function are not
// implemented: the D bit of received packets is recorded but ignored (we keep
// sending periodically, which a peer in Demand mode tolerates), and Required
// Min Echo RX Interval is always advertised as 0 (6.8.9: the peer "MUST NOT"
// send echoes then).
//
// Invariants:
// - state() is Init or Up only while remote_discriminator() != 0, so every
//   packet it emits in those states passes the peer's 6.8.6 checks;
// - while not Up, the advertised Desired Min TX Interval is at least 1 s
//   (6.8.3);
// - the interval used for transmission never drops below the interval a
//   completed Poll Sequence agreed, and the Required Min RX used for the
//   Detection Time never exceeds the one the peer has confirmed (6.8.3);
// - in the Passive role nothing periodic is sent while the remote
//   discriminator is unknown (6.1, 6.8.7);
// - NextDeadline() is the earliest time Advance() has work to do.
#pragma once

#include <cstdint>
#include <optional>
#include <vector>

#include "engine/bfd/session_config.h"
#include "engine/core/rng.h"
#include "engine/core/time.h"
#include "engine/wire/bfd/control_packet.h"

namespace vipcast::bfd {

struct Transition {
  wire::bfd::State from = wire::bfd::State::kDown;
  wire::bfd::State to = wire::bfd::State::kDown;
  wire::bfd::Diag diag = wire::bfd::Diag::kNone;  // bfd.LocalDiag after the change
  // bfd.RemoteSessionState when it happened; a move to Down while the peer
  // said AdminDown is the peer's administrative decision (RFC 5882 3.2).
  wire::bfd::State remote_state = wire::bfd::State::kDown;
};

// What one call produced: packets to transmit (in order) and state changes.
struct SessionOutput {
  std::vector<wire::bfd::ControlPacket> packets;
  std::vector<Transition> transitions;
};

class Session {
 public:
  // `local_discriminator` must be nonzero and unique among the caller's
  // sessions (RFC 5880 6.8.1 bfd.LocalDiscr). `rng` must outlive the session.
  Session(uint32_t local_discriminator, const SessionParameters& params, core::TimePoint now,
          core::Rng& rng);

  // A packet that passed the codec's RFC 5880 6.8.6 checks and was
  // demultiplexed to this session (discriminator, addresses, TTL).
  void Receive(core::TimePoint now, const wire::bfd::ControlPacket& packet, SessionOutput& out);
  // Runs the Detection Time check and periodic transmission due by `now`.
  void Advance(core::TimePoint now, SessionOutput& out);
  core::TimePoint NextDeadline() const;

  // RFC 5880 6.8.16: administrative control. Entering AdminDown sets diag 7;
  // leaving goes to Down.
  void SetAdminDown(core::TimePoint now, bool admin_down, SessionOutput& out);
  // New timers or roles. Interval changes while Up run a Poll Sequence (6.5).
  void SetParameters(core::TimePoint now, const SessionParameters& params);

  // The packet this session would send now; `final` answers a Poll (6.5).
  wire::bfd::ControlPacket MakePacket(bool final) const;

  // ---- observation (RFC 5880 6.8.1 names in comments)
  wire::bfd::State state() const { return state_; }                    // bfd.SessionState
  wire::bfd::State remote_state() const { return remote_state_; }      // bfd.RemoteSessionState
  wire::bfd::Diag local_diag() const { return local_diag_; }           // bfd.LocalDiag
  uint32_t local_discriminator() const { return local_discr_; }        // bfd.LocalDiscr
  uint32_t remote_discriminator() const { return remote_discr_; }      // bfd.RemoteDiscr
  core::Duration desired_min_tx() const { return desired_min_tx_; }    // advertised
  core::Duration required_min_rx() const { return required_min_rx_; }  // advertised
  core::Duration remote_min_rx() const { return remote_min_rx_; }      // bfd.RemoteMinRxInterval
  bool remote_demand_mode() const { return remote_demand_; }           // bfd.RemoteDemandMode
  const SessionParameters& params() const { return params_; }
  bool poll_active() const { return poll_active_; }
  // The negotiated periodic interval before jitter (6.8.7).
  core::Duration transmit_interval() const;
  // The current Detection Time (6.8.4); infinite before the peer is heard.
  core::Duration detection_time() const;
  core::TimePoint next_transmit() const { return next_tx_; }
  core::TimePoint detection_deadline() const { return detect_deadline_; }
  // True when periodic transmission is allowed at all (6.8.7).
  bool MayTransmitPeriodically() const;

 private:
  void ChangeState(core::TimePoint now, wire::bfd::State next, wire::bfd::Diag diag,
                   SessionOutput& out);
  // Re-derives the advertised intervals from params_ and the state and
  // starts a Poll Sequence when they change while Up (6.8.3).
  void ApplyLocalTimers();
  void StartPoll();
  void TerminatePoll();
  void ForgetRemote();
  // Re-plans the next periodic packet after the interval or the permission
  // to send changed.
  void Reschedule(core::TimePoint now);

  core::Rng& rng_;
  SessionParameters params_;

  // RFC 5880 6.8.1 state variables.
  wire::bfd::State state_ = wire::bfd::State::kDown;
  wire::bfd::State remote_state_ = wire::bfd::State::kDown;
  uint32_t local_discr_ = 0;
  uint32_t remote_discr_ = 0;
  wire::bfd::Diag local_diag_ = wire::bfd::Diag::kNone;
  core::Duration desired_min_tx_;   // bfd.DesiredMinTxInterval (advertised)
  core::Duration required_min_rx_;  // bfd.RequiredMinRxInterval (advertised)
  core::Duration remote_min_rx_ = core::Duration::Microseconds(1);
  bool remote_demand_ = false;

  // What the peer last told us, for the Detection Time (6.8.4).
  core::Duration remote_desired_min_tx_;
  uint8_t remote_detect_mult_ = 0;

  // The values actually in force while a Poll Sequence confirms a change
  // (6.8.3): transmission uses tx_in_use_, detection uses rx_in_use_.
  core::Duration tx_in_use_;
  core::Duration rx_in_use_;
  bool poll_active_ = false;
  // A further change arrived while polling; poll again once this one ends.
  bool poll_pending_ = false;

  std::optional<core::TimePoint> last_tx_;
  core::TimePoint next_tx_ = core::TimePoint::Never();
  core::TimePoint detect_deadline_ = core::TimePoint::Never();
};

}  // namespace vipcast::bfd
