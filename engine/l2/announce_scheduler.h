// Timing of gratuitous announcement rounds per (VIP, interface), with no
// knowledge of frames. The responder starts and cancels bursts and asks
// which rounds are due; this class only does the arithmetic of
// AnnounceSchedule.
//
// Invariants: every entry in `queue_` matches an entry in `entries_` with
// the same `next`; kShared entries are never in `queue_` (the shared ticker
// drives them) and `next_tick_` is set exactly when a kShared entry exists.
#pragma once

#include <map>
#include <optional>
#include <set>
#include <utility>
#include <vector>

#include "engine/core/time.h"
#include "engine/l2/announce_schedule.h"
#include "engine/l2/vip_on_interface.h"

namespace vipcast::l2 {

class AnnounceScheduler {
 public:
  // `schedule` must pass Validate(); a non-positive interval is raised to
  // 1 ms so that no input can make the scheduler spin.
  explicit AnnounceScheduler(AnnounceSchedule schedule);

  // Begins (or restarts) a burst for `key`: on a gain, a regain, a MAC change
  // or Reannounce. Returns true when a round is due right now; the caller
  // sends it. Under kSharedTicker an IP still in the burst set only has its
  // burst extended (MetalLB semantics) and false is returned.
  bool Start(core::TimePoint now, const VipOnInterface& key);

  // A request to announce `key` again although nothing about it changed
  // (Responder::Reannounce: a member rejoined, a refutation). Such requests
  // come in storms (a cluster forming: every member that becomes live asks
  // every owner again), so they coalesce: when a round for `key` went out
  // less than one interval ago, no round is due now; the burst instead
  // restarts from that round, so it still runs for a full `duration` and
  // keeps its phase. Otherwise it behaves as Start. Returns true when a
  // round is due right now.
  bool Renew(core::TimePoint now, const VipOnInterface& key);

  // No further rounds for `key`.
  void Cancel(const VipOnInterface& key);

  // Keys with a round due at or before `now`, each at most once, ordered by
  // due time and then key. Rounds missed because `now` jumped past several
  // are not replayed: the schedule resumes at its next slot after `now`.
  std::vector<VipOnInterface> TakeDue(core::TimePoint now);

  core::TimePoint NextDeadline() const;

  // True while `key` has future rounds (burst or refresh).
  bool IsScheduled(const VipOnInterface& key) const;

  const AnnounceSchedule& schedule() const { return schedule_; }

 private:
  enum class Phase : uint8_t { kBurst, kRefresh, kShared };
  struct Entry {
    Phase phase = Phase::kBurst;
    core::TimePoint start;       // gain time (kBurst)
    core::TimePoint next;        // next round (kBurst, kRefresh)
    core::TimePoint until;       // end of the burst (kShared)
    core::TimePoint last_round;  // when the latest round was sent
    bool silenced = false;       // kShared: lost, waiting to expire
  };

  void Queue(const VipOnInterface& key, Entry& entry, core::TimePoint next);
  void Unqueue(const VipOnInterface& key, const Entry& entry);
  // After a round (at entry.last_round), queues `entry` at its next slot
  // strictly after `now`, moves it into refresh, or erases it.
  void AfterRound(const VipOnInterface& key, Entry& entry, core::TimePoint now);
  // The burst is over: refresh if configured, else erase.
  void AfterBurst(const VipOnInterface& key, Entry& entry, core::TimePoint now);
  // The first time base + k * step (k >= 1) that is after `now`.
  core::TimePoint NextSlotAfter(core::TimePoint base, core::Duration step,
                                core::TimePoint now) const;

  AnnounceSchedule schedule_;
  std::map<VipOnInterface, Entry> entries_;
  std::set<std::pair<core::TimePoint, VipOnInterface>> queue_;
  std::optional<core::TimePoint> next_tick_;  // kSharedTicker only
};

}  // namespace vipcast::l2
