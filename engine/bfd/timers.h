// The timer arithmetic of RFC 5880 asynchronous mode as pure functions, so
// that each rule can be tested on its own: the slow rate while not Up
// (6.8.3), the negotiated transmit interval (6.8.2/6.8.7), the Detection
// Time (6.8.4) and per-packet jitter (6.8.7).
#pragma once

#include <cstdint>

#include "engine/core/rng.h"
#include "engine/core/time.h"
#include "engine/wire/bfd/codes.h"

namespace vipcast::bfd {

// RFC 5880 6.8.3: "When bfd.SessionState is not Up, the system MUST set
// bfd.DesiredMinTxInterval to a value of not less than one second".
inline constexpr core::Duration kSlowTxInterval = core::Duration::Seconds(1);
// RFC 5880 6.8.1: bfd.RemoteMinRxInterval "MUST be initialized to 1"
// (microsecond), i.e. until told otherwise the peer can take anything.
inline constexpr core::Duration kInitialRemoteMinRx = core::Duration::Microseconds(1);

// The bfd.DesiredMinTxInterval to advertise in `state` given the configured
// one (RFC 5880 6.8.3).
core::Duration DesiredMinTxFor(wire::bfd::State state, core::Duration configured);

// RFC 5880 6.8.7: periodic packets go out every "the larger of
// bfd.DesiredMinTxInterval and bfd.RemoteMinRxInterval" (6.8.2: the slower
// of the two systems decides).
core::Duration TransmitInterval(core::Duration desired_min_tx, core::Duration remote_min_rx);

// RFC 5880 6.8.4: in Asynchronous mode the Detection Time is "the value of
// Detect Mult received from the remote system, multiplied by the agreed
// transmit interval of the remote system (the greater of
// bfd.RequiredMinRxInterval and the last received Desired Min TX Interval)".
core::Duration DetectionTime(uint8_t remote_detect_mult, core::Duration required_min_rx,
                             core::Duration remote_desired_min_tx);

// RFC 5880 6.8.7: each interval is "reduced by a random value of 0 to 25%"
// (75-100% of `interval`); with bfd.DetectMult 1 it "MUST be no more than 90%
// ... and MUST be no less than 75%" so a single lost packet cannot be
// mistaken for a late one.
core::Duration JitteredInterval(core::Duration interval, uint8_t local_detect_mult, core::Rng& rng);

// The bounds JitteredInterval draws from, for tests and property bounds.
core::Duration MinJitteredInterval(core::Duration interval);
core::Duration MaxJitteredInterval(core::Duration interval, uint8_t local_detect_mult);

}  // namespace vipcast::bfd
