// The speaker timing of a scenario: a named profile ("default" or
// "metallb") for membership (membership::ProfileByName) and for gratuitous
// announcements (l2::AnnounceSchedule::Preset), with the scenario's
// `speaker:` overrides applied on top. Both presets come from the engine;
// this only combines them, so sim and prod read the same numbers.
#pragma once

#include <string>

#include "engine/core/result.h"
#include "engine/l2/announce_schedule.h"
#include "engine/membership/profile.h"
#include "sim/scenario/scenario.h"

namespace vipcast::sim {

struct SpeakerTiming {
  membership::TimingProfile membership;
  l2::AnnounceSchedule schedule;
};

// Errors name the profile or the override at fault ("speaker.suspicion_min:
// ..."), e.g. an override that breaks the profile's relations.
core::Result<SpeakerTiming> ResolveSpeakerTiming(const std::string& profile,
                                                 const SpeakerOverrides& overrides);

}  // namespace vipcast::sim
