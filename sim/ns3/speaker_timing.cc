#include "sim/ns3/speaker_timing.h"

#include <utility>

namespace vipcast::sim {

core::Result<SpeakerTiming> ResolveSpeakerTiming(const std::string& profile,
                                                 const SpeakerOverrides& overrides) {
  auto membership = membership::ProfileByName(profile);
  if (!membership.ok()) return core::MakeErr("profile: " + membership.error());
  auto schedule = l2::AnnounceSchedule::Preset(profile);
  if (!schedule.ok()) return core::MakeErr("profile: " + schedule.error());
  SpeakerTiming t{std::move(membership).value(), std::move(schedule).value()};
  if (overrides.probe_interval) t.membership.probe_interval = *overrides.probe_interval;
  if (overrides.probe_timeout) t.membership.probe_timeout = *overrides.probe_timeout;
  if (overrides.suspicion_min) t.membership.suspicion_min = *overrides.suspicion_min;
  if (overrides.garp_interval) t.schedule.interval = *overrides.garp_interval;
  if (overrides.garp_duration) t.schedule.duration = *overrides.garp_duration;
  if (overrides.garp_refresh) t.schedule.refresh = *overrides.garp_refresh;
  if (auto ok = membership::Validate(t.membership); !ok.ok()) {
    return core::MakeErr("speaker (probe_interval, probe_timeout, suspicion_min): " + ok.error());
  }
  if (auto ok = t.schedule.Validate(); !ok.ok()) {
    return core::MakeErr("speaker (garp_interval, garp_duration, garp_refresh): " + ok.error());
  }
  return t;
}

}  // namespace vipcast::sim
