// Anti-replay state for every sender: the highest boot id seen and a
// ReplayWindow for that boot. A higher boot id means the sender restarted and
// its sequence counter began again; a lower one is a recording of an earlier
// boot. The table is bounded: when full, the sender heard from least recently
// is forgotten. A recording of that sender's traffic would then be accepted
// once more; it carries only stale assertions, which the incarnation rules
// ignore or which the subject refutes.
#pragma once

#include <cstddef>
#include <cstdint>
#include <map>

#include "engine/core/node_name.h"
#include "engine/core/time.h"
#include "engine/membership/replay_window.h"

namespace vipcast::membership {

class ReplayGuard {
 public:
  enum class Verdict : uint8_t { kAccept, kDuplicate, kTooOld, kStaleBoot };

  explicit ReplayGuard(size_t max_senders) : max_senders_(max_senders) {}

  // Checks and, when accepted, records (sender, boot_id, sequence). Call only
  // for authenticated headers.
  Verdict CheckAndAccept(const core::NodeName& sender, uint64_t boot_id, uint64_t sequence,
                         core::TimePoint now);
  size_t size() const { return senders_.size(); }

 private:
  struct Entry {
    uint64_t boot_id = 0;
    ReplayWindow window;
    core::TimePoint last_used;
  };
  void EvictLeastRecent();

  size_t max_senders_;
  std::map<core::NodeName, Entry> senders_;
};

}  // namespace vipcast::membership
