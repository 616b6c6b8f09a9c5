// The incarnation rules: which assertion about a member wins.
//
// SWIM (Das et al. 2002) section 4.2, as refined by memberlist (state.go):
//   alive(i)   overrides alive/suspect/dead/left(j) when i > j
//   suspect(i) overrides alive(j) when i >= j; on a suspect it is a
//              confirmation (Lifeguard) when i == j, a new suspicion if i > j
//   dead(i)    overrides alive/suspect(j) when i >= j
//   left(i)    overrides alive/suspect/dead(j) when i >= j (a graceful leave
//              is more precise than a failure verdict of the same incarnation)
// Only the member itself raises its incarnation: when it hears itself
// suspected, declared dead or left (without having left), it refutes with an
// alive message of a higher incarnation. When the claim is older than its
// current incarnation (the sender missed an earlier refutation), it answers
// that sender directly with its current alive entry, since the gossip that
// carried the refutation is spent. Every accepted assertion is queued
// for gossip so that it spreads (infection style).
#include <string>

#include "engine/membership/membership.h"

namespace vipcast::membership {

namespace wm = wire::membership;

namespace {
wm::MemberStatus StatusOf(MemberState s) {
  switch (s) {
    case MemberState::kAlive:
      return wm::MemberStatus::kAlive;
    case MemberState::kSuspect:
      return wm::MemberStatus::kSuspect;
    case MemberState::kDead:
      return wm::MemberStatus::kDead;
    case MemberState::kLeft:
      return wm::MemberStatus::kLeft;
  }
  return wm::MemberStatus::kDead;
}
}  // namespace

Membership::MemberUpdate Membership::UpdateFor(const MemberRecord& r) const {
  MemberUpdate u;
  u.node = r.name;
  u.status = StatusOf(r.state);
  u.incarnation = r.incarnation;
  u.endpoint = r.endpoint;
  if (wm::HasFrom(u.status)) u.from = config_.self;
  return u;
}

void Membership::ApplyUpdate(Ctx& c, const MemberUpdate& u) {
  switch (u.status) {
    case wm::MemberStatus::kAlive:
      ApplyAlive(c, u);
      break;
    case wm::MemberStatus::kSuspect:
      ApplySuspect(c, u);
      break;
    case wm::MemberStatus::kDead:
      ApplyDead(c, u);
      break;
    case wm::MemberStatus::kLeft:
      ApplyLeft(c, u);
      break;
  }
}

void Membership::ApplyAlive(Ctx& c, const MemberUpdate& u) {
  if (u.node == config_.self) {
    // Someone asserts a newer incarnation of us than we hold (we restarted
    // and they remember the old one): take a higher one, or we would stay
    // ignored.
    if (!leaving_ && u.incarnation > SelfRecord().incarnation) Refute(c, u.incarnation);
    return;
  }
  MemberRecord* r = table_.Find(u.node);
  if (r == nullptr) {
    if (table_.size() >= config_.limits.max_members) {
      metrics_.Dropped(DropReason::kMemberTableFull);
      return;
    }
    MemberRecord fresh;
    fresh.name = u.node;
    fresh.endpoint = u.endpoint;
    fresh.state = MemberState::kAlive;
    fresh.incarnation = u.incarnation;
    fresh.since = c.now;
    MemberRecord& added = table_.Insert(std::move(fresh), *rng_);
    RecordChange(c, added, std::nullopt, MemberState::kAlive, "joined");
    gossip_.Push(UpdateFor(added));
    return;
  }
  if (u.incarnation <= r->incarnation) return;
  r->incarnation = u.incarnation;
  r->endpoint = u.endpoint;
  r->suspicion.reset();
  r->reprobe = false;
  const bool was_down = r->state == MemberState::kDead || r->state == MemberState::kLeft;
  SetState(c, *r, MemberState::kAlive, was_down ? "rejoined" : "refuted");
  gossip_.Push(UpdateFor(*r));
}

void Membership::ApplySuspect(Ctx& c, const MemberUpdate& u) {
  MemberRecord* r = table_.Find(u.node);
  if (r == nullptr) return;
  if (u.incarnation < r->incarnation) {
    if (r->is_self) stale_self_claim_ = true;
    return;
  }
  if (r->is_self) {
    if (!leaving_) Refute(c, u.incarnation);
    return;
  }
  if (r->state == MemberState::kSuspect) {
    if (u.incarnation > r->incarnation) {
      // It refuted (we missed that) and is suspected again: a new suspicion.
      r->incarnation = u.incarnation;
      StartSuspicion(c, *r, u.from);
      gossip_.Push(u);
      return;
    }
    if (r->suspicion && r->suspicion->Confirm(u.from)) {
      AddTimer(r->suspicion->Deadline(), TimerKind::kSuspicion, 0, r->name);
      // Re-gossip so that others can count this confirmation too.
      gossip_.Push(u);
    }
    return;
  }
  if (r->state != MemberState::kAlive) return;
  r->incarnation = u.incarnation;
  SetState(c, *r, MemberState::kSuspect, "suspected by " + u.from.str());
  StartSuspicion(c, *r, u.from);
  gossip_.Push(u);
}

void Membership::StartSuspicion(Ctx& c, MemberRecord& r, const core::NodeName& from) {
  const TimingProfile& p = config_.profile;
  const size_t n = table_.ActiveCount();
  r.suspicion.emplace(from, SuspicionConfirmationsNeeded(p, n), SuspicionMin(p, n),
                      SuspicionMax(p, n), c.now);
  AddTimer(r.suspicion->Deadline(), TimerKind::kSuspicion, 0, r.name);
}

void Membership::OnSuspicionTimeout(Ctx& c, const core::NodeName& node) {
  MemberRecord* r = table_.Find(node);
  if (r == nullptr || r->state != MemberState::kSuspect || !r->suspicion) return;
  if (c.now < r->suspicion->Deadline()) return;  // a stale timer; a newer one is queued
  const int confirmations = r->suspicion->confirmations();
  r->suspicion.reset();
  r->reprobe = false;
  SetState(c, *r, MemberState::kDead,
           "suspicion timeout (" + std::to_string(confirmations) + " confirmations)");
  gossip_.Push(UpdateFor(*r));  // dead, from = us
}

void Membership::ApplyDead(Ctx& c, const MemberUpdate& u) {
  MemberRecord* r = table_.Find(u.node);
  if (r == nullptr) return;
  if (u.incarnation < r->incarnation) {
    if (r->is_self) stale_self_claim_ = true;
    return;
  }
  if (r->state == MemberState::kDead || r->state == MemberState::kLeft) return;
  if (r->is_self) {
    if (!leaving_) Refute(c, u.incarnation);
    return;
  }
  r->incarnation = u.incarnation;
  r->suspicion.reset();
  r->reprobe = false;
  SetState(c, *r, MemberState::kDead, "declared dead by " + u.from.str());
  gossip_.Push(u);
}

void Membership::ApplyLeft(Ctx& c, const MemberUpdate& u) {
  MemberRecord* r = table_.Find(u.node);
  if (r == nullptr) return;
  if (u.incarnation < r->incarnation) {
    if (r->is_self) stale_self_claim_ = true;
    return;
  }
  if (r->state == MemberState::kLeft) return;
  if (r->is_self) {
    // Not our own leave (that sets leaving_): a stale or forged one.
    if (!leaving_) Refute(c, u.incarnation);
    return;
  }
  r->incarnation = u.incarnation;
  r->suspicion.reset();
  r->reprobe = false;
  SetState(c, *r, MemberState::kLeft, "left");
  gossip_.Push(u);
}

void Membership::Refute(Ctx& c, uint32_t asserted) {
  MemberRecord& self = SelfRecord();
  uint32_t next = std::max(self.incarnation, asserted);
  if (next < UINT32_MAX) ++next;
  self.incarnation = next;
  metrics_.Refuted();
  // Lifeguard: having to refute hints that we are the slow one.
  awareness_.ApplyDelta(1);
  gossip_.Push(UpdateFor(self));
  c.out.Emit(core::Log{core::LogLevel::kInfo,
                       "membership: refuting suspicion of this node",
                       {{"incarnation", std::to_string(next)}}});
}

void Membership::SetState(Ctx& c, MemberRecord& r, MemberState to, const std::string& reason) {
  if (r.state == to) return;
  const MemberState from = r.state;
  table_.SetState(r, to);
  r.since = c.now;
  RecordChange(c, r, from, to, reason);
}

void Membership::RecordChange(Ctx& c, const MemberRecord& r, std::optional<MemberState> from,
                              std::optional<MemberState> to, const std::string& reason) {
  c.out.Emit(core::SessionStateChanged{"membership", r.name.str(), std::string(ToString(from)),
                                       std::string(ToString(to)), reason});
  if (changes_.size() >= config_.limits.max_pending_changes) {
    changes_.pop_front();
    metrics_.ChangeDropped();
  }
  changes_.push_back(MemberChange{r.name, from, to, r.incarnation, r.endpoint, c.now, reason});
}

void Membership::Reap(Ctx& c) {
  std::vector<core::NodeName> forget;
  for (const auto& [name, r] : table_.records()) {
    if (r.is_self) continue;
    if ((r.state == MemberState::kDead || r.state == MemberState::kLeft) &&
        c.now - r.since >= config_.profile.dead_retention) {
      forget.push_back(name);
    }
  }
  for (const core::NodeName& name : forget) {
    const MemberRecord& r = *table_.Find(name);
    RecordChange(c, r, r.state, std::nullopt, "forgotten");
    probing_.erase(name);
    reprobe_.erase(name);
    table_.Erase(name);
  }
}

}  // namespace vipcast::membership
