#include "engine/membership/replay_guard.h"

namespace vipcast::membership {

ReplayGuard::Verdict ReplayGuard::CheckAndAccept(const core::NodeName& sender, uint64_t boot_id,
                                                 uint64_t sequence, core::TimePoint now) {
  auto it = senders_.find(sender);
  if (it == senders_.end()) {
    if (senders_.size() >= max_senders_) EvictLeastRecent();
    it = senders_.emplace(sender, Entry{boot_id, ReplayWindow{}, now}).first;
  }
  Entry& e = it->second;
  if (boot_id < e.boot_id) return Verdict::kStaleBoot;
  if (boot_id > e.boot_id) {
    e.boot_id = boot_id;
    e.window = ReplayWindow{};
  }
  switch (e.window.Check(sequence)) {
    case ReplayWindow::Verdict::kDuplicate:
      return Verdict::kDuplicate;
    case ReplayWindow::Verdict::kTooOld:
      return Verdict::kTooOld;
    case ReplayWindow::Verdict::kNew:
      break;
  }
  e.window.Accept(sequence);
  e.last_used = now;
  return Verdict::kAccept;
}

void ReplayGuard::EvictLeastRecent() {
  auto oldest = senders_.begin();
  for (auto it = senders_.begin(); it != senders_.end(); ++it) {
    if (it->second.last_used < oldest->second.last_used) oldest = it;
  }
  if (oldest != senders_.end()) senders_.erase(oldest);
}

}  // namespace vipcast::membership
