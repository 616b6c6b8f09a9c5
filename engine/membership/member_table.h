// The member table: every node this engine knows, including itself, keyed
// (and so iterated) by name for deterministic behaviour, plus the shuffled
// round-robin probe order SWIM section 4.3 uses to bound the time until a
// failed member is probed ("each member is probed once per pass; the list is
// shuffled after each pass"; memberlist state.go probe/resetNodes).
//
// Invariants: records are never moved in memory while they exist (std::map),
// so order_ can point at them; order_ holds every non-self record exactly
// once; counts_ equals the number of records in each state.
#pragma once

#include <array>
#include <cstddef>
#include <map>
#include <optional>
#include <vector>

#include "engine/core/io.h"
#include "engine/core/node_name.h"
#include "engine/core/rng.h"
#include "engine/core/time.h"
#include "engine/membership/member.h"
#include "engine/membership/suspicion.h"

namespace vipcast::membership {

struct MemberRecord {
  core::NodeName name;
  core::Endpoint endpoint;
  MemberState state = MemberState::kAlive;
  uint32_t incarnation = 0;
  core::TimePoint since;
  bool is_self = false;
  // Present exactly while state == kSuspect.
  std::optional<Suspicion> suspicion;
  // This node raised the suspicion from its own failed probe, so it re-probes
  // the suspect every period with the suspicion piggybacked (Lifeguard's
  // buddy system), giving a live suspect a direct way to hear of it and to
  // refute on the ack.
  bool reprobe = false;
};

class MemberTable {
 public:
  using Map = std::map<core::NodeName, MemberRecord>;

  MemberRecord* Find(const core::NodeName& name);
  const MemberRecord* Find(const core::NodeName& name) const;
  // Inserts a record that does not exist yet. Non-self records enter the
  // probe order at a random position, as memberlist does, so that members
  // that join together are not all probed last.
  MemberRecord& Insert(MemberRecord record, core::Rng& rng);
  void Erase(const core::NodeName& name);
  void SetState(MemberRecord& record, MemberState state);

  size_t size() const { return records_.size(); }
  size_t Count(MemberState state) const { return counts_[static_cast<size_t>(state)]; }
  // Alive and suspect members, this node included: memberlist's N for the
  // suspicion and retransmission formulas.
  size_t ActiveCount() const { return Count(MemberState::kAlive) + Count(MemberState::kSuspect); }
  const Map& records() const { return records_; }

  // The next member to probe in round-robin order: alive or suspect, not
  // self. Reshuffles after each full pass. nullptr when there is none.
  MemberRecord* NextProbeTarget(core::Rng& rng);

  // Up to k distinct non-self members satisfying `pred`, chosen uniformly at
  // random with at most 3 * size() draws (memberlist's kRandomNodes), so a
  // table where few members qualify costs bounded work.
  template <typename Pred>
  std::vector<MemberRecord*> Sample(size_t k, Pred pred, core::Rng& rng) {
    std::vector<MemberRecord*> out;
    const size_t n = order_.size();
    for (size_t tries = 0; tries < 3 * n && out.size() < k; ++tries) {
      MemberRecord* r = order_[rng.Uniform(n)];
      if (!pred(*r)) continue;
      bool dup = false;
      for (MemberRecord* o : out) dup = dup || o == r;
      if (!dup) out.push_back(r);
    }
    return out;
  }

 private:
  void Shuffle(core::Rng& rng);

  Map records_;
  std::vector<MemberRecord*> order_;
  size_t next_ = 0;
  std::array<size_t, 4> counts_{};
};

}  // namespace vipcast::membership
