#include "engine/l2/announce_schedule.h"

#include <string>

namespace vipcast::l2 {

AnnounceSchedule AnnounceSchedule::Default() { return AnnounceSchedule{}; }

AnnounceSchedule AnnounceSchedule::MetalLb() {
  AnnounceSchedule s;
  s.interval = core::Duration::Milliseconds(1100);
  s.duration = core::Duration::Seconds(5);
  s.refresh = core::Duration::Zero();
  s.clock = AnnounceClock::kSharedTicker;
  return s;
}

core::Result<AnnounceSchedule> AnnounceSchedule::Preset(std::string_view name) {
  if (name == "default") return Default();
  if (name == "metallb") return MetalLb();
  return core::MakeErr("unknown announce schedule preset \"" + std::string(name) +
                       "\" (known: default, metallb)");
}

core::Status<> AnnounceSchedule::Validate() const {
  if (interval <= core::Duration::Zero()) {
    return core::MakeErr(std::string("announce interval must be positive"));
  }
  if (duration < core::Duration::Zero()) {
    return core::MakeErr(std::string("announce duration must not be negative"));
  }
  if (refresh < core::Duration::Zero()) {
    return core::MakeErr(std::string("announce refresh must not be negative (0 turns it off)"));
  }
  return core::Ok();
}

}  // namespace vipcast::l2
