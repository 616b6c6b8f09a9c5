// What a BFD session is asked to do: the timers of a MetalLB BFDProfile and
// where the session runs. Values are the user's, after clamping to what the
// wire can carry; the RFC 5880 6.8.3 "not less than one second while not Up"
// rule is applied by the session, not here.
#pragma once

#include <cstdint>
#include <string>

#include "engine/bfd/session_key.h"
#include "engine/config/model.h"
#include "engine/core/result.h"
#include "engine/core/time.h"

namespace vipcast::bfd {

struct SessionParameters {
  // bfd.DesiredMinTxInterval once Up (BFDProfile transmitInterval).
  core::Duration desired_min_tx = core::Duration::Milliseconds(300);
  // bfd.RequiredMinRxInterval (BFDProfile receiveInterval).
  core::Duration required_min_rx = core::Duration::Milliseconds(300);
  // bfd.DetectMult (BFDProfile detectMultiplier); 1-255.
  uint8_t detect_mult = 3;
  // RFC 5880 6.1 Passive role: send nothing until the peer has been heard.
  bool passive = false;
  // BFDProfile echoMode. The Echo function (RFC 5880 6.4) is not
  // implemented: a session asked for it logs so once and runs without it,
  // advertising Required Min Echo RX Interval 0 so the peer sends no echoes.
  bool echo_mode = false;
  core::Duration echo_interval = core::Duration::Milliseconds(50);
  // Multihop only: received packets with a smaller TTL are discarded
  // (BFDProfile minimumTtl, FRR's "minimum-ttl"). 1-255.
  uint8_t minimum_ttl = 254;

  bool operator==(const SessionParameters&) const = default;
};

struct SessionConfig {
  SessionKey key;
  SessionParameters params;
  // Interface to send from; empty lets the runtime route.
  std::string interface;
};

// What the wire and the timers can honour: Detect Mult 1-255, Desired Min
// TX Interval 1 us to 2^32-1 us, Required Min RX Interval up to 2^32-1 us
// (0 is legal: "do not send me periodic packets", RFC 5880 6.8.1), minimum
// TTL 1-255. Values the wire cannot carry would be advertised saturated and
// then broken by our own timers, so they are refused instead.
core::Status<std::string> ValidateParameters(const SessionParameters& params);

// The BFDProfile's values (the loader has applied MetalLB/FRR defaults).
// Out-of-range numbers that validation should have rejected are clamped so
// that the session never runs with a zero multiplier or interval: intervals
// to at least 1 ms, detect multiplier and minimum TTL to 1-255.
SessionParameters ParametersFromProfile(const config::BFDProfile& profile);

}  // namespace vipcast::bfd
