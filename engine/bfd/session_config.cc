#include "engine/bfd/session_config.h"

#include <algorithm>

namespace vipcast::bfd {
namespace {

core::Duration IntervalFromMs(uint32_t ms) {
  return core::Duration::Milliseconds(std::max<uint32_t>(ms, 1));
}

uint8_t ClampToByte(uint32_t value) {
  return static_cast<uint8_t>(std::clamp<uint32_t>(value, 1, 255));
}

}  // namespace

core::Status<std::string> ValidateParameters(const SessionParameters& params) {
  const core::Duration max_wire = core::Duration::Microseconds(0xffffffffLL);
  if (params.detect_mult == 0) return core::MakeErr(std::string("detect multiplier 0"));
  if (params.minimum_ttl == 0) return core::MakeErr(std::string("minimum TTL 0"));
  if (params.desired_min_tx < core::Duration::Microseconds(1) || params.desired_min_tx > max_wire) {
    return core::MakeErr("transmit interval " + params.desired_min_tx.ToString() + " outside 1us-" +
                         max_wire.ToString());
  }
  if (params.required_min_rx < core::Duration::Zero() || params.required_min_rx > max_wire) {
    return core::MakeErr("receive interval " + params.required_min_rx.ToString() + " outside 0-" +
                         max_wire.ToString());
  }
  return core::Ok();
}

SessionParameters ParametersFromProfile(const config::BFDProfile& profile) {
  SessionParameters params;
  params.desired_min_tx = IntervalFromMs(profile.transmit_interval_ms);
  params.required_min_rx = IntervalFromMs(profile.receive_interval_ms);
  params.detect_mult = ClampToByte(profile.detect_multiplier);
  params.passive = profile.passive_mode;
  params.echo_mode = profile.echo_mode;
  params.echo_interval = IntervalFromMs(profile.echo_interval_ms);
  params.minimum_ttl = ClampToByte(profile.minimum_ttl);
  return params;
}

}  // namespace vipcast::bfd
