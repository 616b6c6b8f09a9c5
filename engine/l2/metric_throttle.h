// When counter changes become MetricChanged actions. A counter's first
// change is reported at once; further changes within `interval` of the
// last report are folded into one report, with the latest value, when the
// interval ends. An ARP storm then costs a few actions per second per VIP
// instead of two per frame, and no change is ever lost or reported out of
// order. An interval of zero reports every change.
//
// Keys are small dense integers chosen by the caller (e.g. a VIP's counter
// index). Invariant: a key is in `queue_` exactly when its state is pending.
#pragma once

#include <cstdint>
#include <set>
#include <utility>
#include <vector>

#include "engine/core/time.h"

namespace vipcast::l2 {

class MetricThrottle {
 public:
  explicit MetricThrottle(core::Duration interval) : interval_(interval) {}

  // `key` changed at `now`. True: report it now. False: a report is (now)
  // scheduled and TakeDue will return the key.
  bool Changed(core::TimePoint now, uint32_t key);

  // Keys whose folded report is due at or before `now`, by due time then
  // key; each is marked reported at `now`.
  std::vector<uint32_t> TakeDue(core::TimePoint now);

  core::TimePoint NextDeadline() const;

 private:
  struct State {
    bool reported = false;  // ever reported
    bool pending = false;   // a folded report is queued
    core::TimePoint last_report;
  };
  core::Duration interval_;
  std::vector<State> states_;
  std::set<std::pair<core::TimePoint, uint32_t>> queue_;
};

}  // namespace vipcast::l2
