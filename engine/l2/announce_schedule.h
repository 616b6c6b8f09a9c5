// When gratuitous announcements (ARP, unsolicited NA) go out after a node
// gains a VIP. Neighbours and switches learn the new owner only from these,
// so a burst covers lost frames and slow ARP caches; a refresh keeps caches
// warm for hosts that never ask again.
#pragma once

#include <string_view>

#include "engine/core/result.h"
#include "engine/core/time.h"

namespace vipcast::l2 {

enum class AnnounceClock : uint8_t {
  // Each VIP's rounds are timed from its own gain: t0, t0+interval, ...
  kPerVip,
  // MetalLB's timing: one ticker shared by every VIP in a burst, started when
  // the first VIP enters an empty burst set; see AnnounceSchedule::MetalLb.
  kSharedTicker,
};

struct AnnounceSchedule {
  // Rounds are sent at once and then every `interval` while less than
  // `duration` has passed since the gain (kPerVip), so the default sends at
  // t = 0, 1.1, 2.2, 3.3 and 4.4 s.
  core::Duration interval = core::Duration::Milliseconds(1100);
  core::Duration duration = core::Duration::Seconds(5);
  // After the burst, one more round every `refresh` for as long as the VIP
  // is owned; zero turns refreshing off.
  core::Duration refresh = core::Duration::Zero();
  AnnounceClock clock = AnnounceClock::kPerVip;

  // Our default: the burst above, timed per VIP, no refresh.
  static AnnounceSchedule Default();

  // MetalLB's speaker (internal/layer2/announcer.go, spamLoop): a gain sends
  // a round at once unless the IP is still in the burst set; one shared
  // 1100 ms ticker (the value chosen in metallb/metallb#172) then sends a
  // round for every IP whose gain was at most 5 s before the tick
  // (`!now.After(until)`), dropping the IP at the first tick past that; the
  // ticker stops when the set is empty. An IP therefore gets its immediate
  // round plus four or five ticks whose phase depends on the other IPs.
  // Losing the IP silences its ticks but, as in MetalLB, leaves it in the
  // set until it expires, so a regain within those 5 s sends no immediate
  // round and only extends the burst. MetalLB has no periodic refresh.
  static AnnounceSchedule MetalLb();

  // Named presets: "default", "metallb".
  static core::Result<AnnounceSchedule> Preset(std::string_view name);

  // interval > 0, duration >= 0, refresh >= 0.
  core::Status<> Validate() const;

  bool operator==(const AnnounceSchedule&) const = default;
};

}  // namespace vipcast::l2
