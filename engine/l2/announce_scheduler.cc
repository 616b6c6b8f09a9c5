#include "engine/l2/announce_scheduler.h"

#include <algorithm>

namespace vipcast::l2 {

namespace {

// Bounds that keep every slot computation far from int64 overflow; no
// announcement schedule needs anything near them.
constexpr core::Duration kMinInterval = core::Duration::Milliseconds(1);
constexpr core::Duration kMaxSpan = core::Duration::Seconds(365LL * 24 * 3600);

core::Duration Clamp(core::Duration d, core::Duration lo) { return std::clamp(d, lo, kMaxSpan); }

}  // namespace

AnnounceScheduler::AnnounceScheduler(AnnounceSchedule schedule) : schedule_(schedule) {
  schedule_.interval = Clamp(schedule_.interval, kMinInterval);
  schedule_.duration = Clamp(schedule_.duration, core::Duration::Zero());
  schedule_.refresh = Clamp(schedule_.refresh, core::Duration::Zero());
}

bool AnnounceScheduler::Start(core::TimePoint now, const VipOnInterface& key) {
  auto it = entries_.find(key);
  if (schedule_.clock == AnnounceClock::kSharedTicker) {
    if (it != entries_.end() && it->second.phase == Phase::kShared) {
      // MetalLB spamLoop: an IP already in the map only gets a new stop
      // time; no immediate round.
      it->second.until = now + schedule_.duration;
      it->second.silenced = false;
      return false;
    }
    if (it != entries_.end()) {
      Unqueue(key, it->second);
      entries_.erase(it);
    }
    Entry e;
    e.phase = Phase::kShared;
    e.start = now;
    e.until = now + schedule_.duration;
    e.last_round = now;
    entries_.emplace(key, e);
    // MetalLB resets its ticker only when the map was empty, so later IPs
    // inherit the running ticker's phase.
    if (!next_tick_) next_tick_ = now + schedule_.interval;
    return true;
  }

  if (it != entries_.end()) {
    Unqueue(key, it->second);
    entries_.erase(it);
  }
  Entry e;
  e.phase = Phase::kBurst;
  e.start = now;
  e.last_round = now;
  auto [pos, inserted] = entries_.emplace(key, e);
  AfterRound(key, pos->second, now);
  return true;
}

bool AnnounceScheduler::Renew(core::TimePoint now, const VipOnInterface& key) {
  auto it = entries_.find(key);
  if (it == entries_.end() || it->second.phase == Phase::kShared ||
      now - it->second.last_round >= schedule_.interval) {
    return Start(now, key);
  }
  Entry& e = it->second;
  Unqueue(key, e);
  e.phase = Phase::kBurst;
  e.start = e.last_round;
  AfterRound(key, e, now);
  return false;
}

void AnnounceScheduler::Cancel(const VipOnInterface& key) {
  auto it = entries_.find(key);
  if (it == entries_.end()) return;
  if (it->second.phase == Phase::kShared) {
    // MetalLB keeps a lost IP in its spam map (gratuitous() just returns)
    // until the stop time passes; that keeps the ticker's phase and makes a
    // quick regain extend rather than restart. Nothing is sent meanwhile.
    it->second.silenced = true;
    return;
  }
  Unqueue(key, it->second);
  entries_.erase(it);
}

std::vector<VipOnInterface> AnnounceScheduler::TakeDue(core::TimePoint now) {
  std::vector<std::pair<core::TimePoint, VipOnInterface>> due;
  while (!queue_.empty() && queue_.begin()->first <= now) {
    auto node = queue_.extract(queue_.begin());
    const core::TimePoint when = node.value().first;
    const VipOnInterface& key = node.value().second;
    Entry& e = entries_.at(key);
    due.emplace_back(when, key);
    e.last_round = when;
    AfterRound(key, e, now);  // re-queues strictly after `now`, or erases
  }

  if (next_tick_ && *next_tick_ <= now) {
    // A late caller gets one tick, at the latest slot, as Go's ticker drops
    // the ticks nobody received.
    const int64_t missed = (now - *next_tick_).nanoseconds() / schedule_.interval.nanoseconds();
    const core::TimePoint tick = *next_tick_ + schedule_.interval * missed;
    bool any_shared = false;
    for (auto it = entries_.begin(); it != entries_.end();) {
      Entry& e = it->second;
      if (e.phase != Phase::kShared) {
        ++it;
        continue;
      }
      if (tick > e.until) {
        // MetalLB: `if now.After(tSpam.until) { delete(m, ipStr) }`.
        if (!e.silenced && schedule_.refresh > core::Duration::Zero()) {
          e.phase = Phase::kRefresh;
          Queue(it->first, e, NextSlotAfter(e.last_round, schedule_.refresh, now));
          ++it;
        } else {
          it = entries_.erase(it);
        }
        continue;
      }
      any_shared = true;
      if (!e.silenced) {
        due.emplace_back(tick, it->first);
        e.last_round = tick;
      }
      ++it;
    }
    if (any_shared) {
      next_tick_ = tick + schedule_.interval;
    } else {
      next_tick_.reset();  // MetalLB: ticker.Stop() once the map is empty
    }
  }

  std::stable_sort(due.begin(), due.end());
  std::vector<VipOnInterface> keys;
  keys.reserve(due.size());
  std::set<VipOnInterface> seen;
  for (auto& [when, key] : due) {
    if (seen.insert(key).second) keys.push_back(std::move(key));
  }
  return keys;
}

core::TimePoint AnnounceScheduler::NextDeadline() const {
  core::TimePoint next = core::TimePoint::Never();
  if (!queue_.empty()) next = queue_.begin()->first;
  if (next_tick_) next = std::min(next, *next_tick_);
  return next;
}

bool AnnounceScheduler::IsScheduled(const VipOnInterface& key) const {
  auto it = entries_.find(key);
  if (it == entries_.end()) return false;
  return !(it->second.phase == Phase::kShared && it->second.silenced);
}

void AnnounceScheduler::Queue(const VipOnInterface& key, Entry& entry, core::TimePoint next) {
  entry.next = next;
  queue_.emplace(next, key);
}

void AnnounceScheduler::Unqueue(const VipOnInterface& key, const Entry& entry) {
  if (entry.phase == Phase::kShared) return;
  queue_.erase({entry.next, key});
}

void AnnounceScheduler::AfterRound(const VipOnInterface& key, Entry& entry, core::TimePoint now) {
  if (entry.phase == Phase::kRefresh) {
    Queue(key, entry, NextSlotAfter(entry.last_round, schedule_.refresh, now));
    return;
  }
  // kBurst: rounds at start + k * interval for every k >= 0 with
  // k * interval < duration (k = 0 always: a gain is announced at once).
  const int64_t step = schedule_.interval.nanoseconds();
  const int64_t rounds = std::max<int64_t>(1, (schedule_.duration.nanoseconds() + step - 1) / step);
  const int64_t k = (now - entry.start).nanoseconds() / step + 1;
  if (k < rounds) {
    Queue(key, entry, entry.start + schedule_.interval * k);
    return;
  }
  AfterBurst(key, entry, now);
}

void AnnounceScheduler::AfterBurst(const VipOnInterface& key, Entry& entry, core::TimePoint now) {
  if (schedule_.refresh > core::Duration::Zero()) {
    entry.phase = Phase::kRefresh;
    Queue(key, entry, NextSlotAfter(entry.last_round, schedule_.refresh, now));
    return;
  }
  entries_.erase(key);
}

core::TimePoint AnnounceScheduler::NextSlotAfter(core::TimePoint base, core::Duration step,
                                                 core::TimePoint now) const {
  if (base + step > now) return base + step;
  const int64_t k = (now - base).nanoseconds() / step.nanoseconds() + 1;
  return base + step * k;
}

}  // namespace vipcast::l2
