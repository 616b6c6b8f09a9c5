// Dissemination and anti-entropy: gossip rounds, push-pull pages and join.
//
// Gossip (SWIM section 4.1, memberlist gossip()): every gossip_interval,
// pending updates go to gossip_nodes random members, including members dead
// for less than gossip_to_the_dead so that a falsely declared node hears it
// and refutes.
//
// Push-pull (memberlist pushPull(), over datagrams here): every
// push_pull_interval, one page of our table goes to one random member, which
// answers with its view of the same name range. The cursor walks the name
// space page by page, so every exchange costs two datagrams whatever N is,
// and a full pass takes ceil(N / entries-per-page) intervals. Each page also
// carries the sender's own entry and its view of the receiver: that is what
// heals a partition, because a node that learns it was declared dead refutes
// with a higher incarnation and is taken back everywhere. The target may be a
// dead (not yet forgotten) member for the same reason (at most a quarter of
// the time).
//
// Join: until some other member is alive, every join_retry_interval we send a
// join request to each seed; the answer is the seed's whole table, in as many
// pages as it takes.
#include <algorithm>
#include <set>
#include <vector>

#include "engine/membership/membership.h"
#include "engine/wire/membership/envelope.h"

namespace vipcast::membership {

namespace wm = wire::membership;

namespace {
// Room kept for range_end, which is known only once the page is full: the
// longest name (253 bytes) minus the one byte an empty name already takes.
constexpr size_t kRangeEndReserve = 253;
}  // namespace

void Membership::GossipTick(Ctx& c) {
  next_gossip_ = c.now + config_.profile.gossip_interval;
  if (gossip_.empty()) return;
  const core::Duration to_the_dead = config_.profile.gossip_to_the_dead;
  std::vector<MemberRecord*> targets = table_.Sample(
      static_cast<size_t>(config_.profile.gossip_nodes),
      [&](const MemberRecord& r) {
        return IsActive(r.state) ||
               (r.state == MemberState::kDead && c.now - r.since <= to_the_dead);
      },
      *rng_);
  for (MemberRecord* t : targets) {
    if (!Send(c, t->endpoint, wm::Gossip{}, {}, /*only_if_gossip=*/true)) break;
  }
}

void Membership::PushPullTick(Ctx& c) {
  next_push_pull_ = c.now + config_.profile.push_pull_interval;
  Reap(c);
  if (leaving_) {
    next_push_pull_ = core::TimePoint::Never();
    return;
  }
  // One exchange with a random live member (as memberlist), and, while any
  // member is held dead but not yet forgotten, one with the next dead member
  // in name order (round robin from our own name), so that the two sides of
  // a healed partition find each other within one tick per dead member at
  // worst, deterministically; a random pick (an earlier version, at most 1/4
  // of the ticks) could leave a healed partition split for many intervals.
  // Cost: one extra page each way per interval while dead members exist.
  std::vector<MemberRecord*> peer =
      table_.Sample(1, [](const MemberRecord& r) { return IsActive(r.state); }, *rng_);
  if (!peer.empty()) {
    SendPushPull(c, peer.front()->endpoint, peer.front(), /*join=*/false);
  }
  if (MemberRecord* dead = NextDeadMember()) {
    dead_cursor_ = dead->name;
    SendPushPull(c, dead->endpoint, dead, /*join=*/false);
  }
}

MemberRecord* Membership::NextDeadMember() {
  const auto& records = table_.records();
  if (dead_cursor_.str().empty()) dead_cursor_ = config_.self;
  auto is_dead = [](const MemberRecord& r) { return r.state == MemberState::kDead; };
  for (auto it = records.upper_bound(dead_cursor_); it != records.end(); ++it) {
    if (is_dead(it->second)) return table_.Find(it->first);
  }
  for (auto it = records.begin(); it != records.end() && !(dead_cursor_ < it->first); ++it) {
    if (is_dead(it->second)) return table_.Find(it->first);
  }
  return nullptr;
}

void Membership::JoinTick(Ctx& c) {
  if (leaving_ || config_.seeds.empty()) {
    next_join_ = core::TimePoint::Never();
    return;
  }
  next_join_ = c.now + config_.profile.join_retry_interval;
  if (table_.ActiveCount() > 1) return;  // somebody else is alive: we are in
  for (const core::Endpoint& seed : config_.seeds) {
    if (seed != config_.endpoint) SendPushPull(c, seed, nullptr, /*join=*/true);
  }
}

core::NodeName Membership::FillPage(const core::NodeName& begin, const core::NodeName& end,
                                    size_t budget, const std::set<core::NodeName>& skip,
                                    std::vector<MemberUpdate>& entries) const {
  const auto& records = table_.records();
  for (auto it = records.lower_bound(begin); it != records.end(); ++it) {
    const MemberRecord& r = it->second;
    if (!end.str().empty() && !(r.name < end)) return {};
    if (skip.count(r.name) != 0) continue;
    MemberUpdate u = UpdateFor(r);
    const size_t cost = wm::MemberUpdateSize(u);
    if (cost > budget || entries.size() >= wm::kMaxListEntries) return r.name;
    budget -= cost;
    entries.push_back(std::move(u));
  }
  return {};
}

namespace {
// Bytes left for page entries once the envelope, the message around them and
// the entries already chosen are counted.
size_t PageBudget(const MemberRecord& self, const wm::PushPull& pp) {
  const wm::Message shell{pp, {}, wm::SenderState{wm::MemberStatus::kAlive, 0, self.endpoint}};
  const size_t used = wm::EnvelopeOverhead(self.name) + wm::EncodedSize(shell) + kRangeEndReserve;
  return used < wm::kMaxDatagramSize ? wm::kMaxDatagramSize - used : 0;
}

// The first name after `name` in `records`, or empty.
template <typename Map>
core::NodeName NameAfter(const Map& records, const core::NodeName& name) {
  auto it = records.upper_bound(name);
  return it == records.end() ? core::NodeName() : it->first;
}
}  // namespace

void Membership::SendPushPull(Ctx& c, const core::Endpoint& to, const MemberRecord* peer,
                              bool join) {
  wm::PushPull pp;
  pp.join = join;
  pp.range_begin = push_pull_cursor_;
  std::set<core::NodeName> skip{config_.self};
  pp.entries.push_back(UpdateFor(SelfRecord()));
  if (peer != nullptr) {
    pp.entries.push_back(UpdateFor(*peer));
    skip.insert(peer->name);
  }
  const size_t fixed = pp.entries.size();
  const core::NodeName stop =
      FillPage(pp.range_begin, {}, PageBudget(SelfRecord(), pp), skip, pp.entries);
  pp.range_end = stop;
  // Always make progress, even past an entry too large for any page.
  push_pull_cursor_ = (pp.entries.size() == fixed && !stop.str().empty())
                          ? NameAfter(table_.records(), stop)
                          : stop;
  Send(c, to, std::move(pp));
}

void Membership::SendPushPullResponse(Ctx& c, const core::Endpoint& to,
                                      const core::NodeName& requester,
                                      const wm::PushPull& request) {
  wm::PushPull pp;
  pp.response = true;
  pp.range_begin = request.range_begin;
  std::set<core::NodeName> skip{config_.self};
  pp.entries.push_back(UpdateFor(SelfRecord()));
  if (const MemberRecord* r = table_.Find(requester)) {
    pp.entries.push_back(UpdateFor(*r));
    skip.insert(requester);
  }
  const core::NodeName stop = FillPage(request.range_begin, request.range_end,
                                       PageBudget(SelfRecord(), pp), skip, pp.entries);
  pp.range_end = stop.str().empty() ? request.range_end : stop;
  Send(c, to, std::move(pp));
}

void Membership::SendJoinResponse(Ctx& c, const core::Endpoint& to) {
  // Bounded by the table size (limits.max_members) over entries per page.
  core::NodeName begin;
  for (;;) {
    wm::PushPull pp;
    pp.response = true;
    pp.join = true;
    pp.range_begin = begin;
    const core::NodeName stop = FillPage(begin, {}, PageBudget(SelfRecord(), pp), {}, pp.entries);
    pp.range_end = stop;
    const bool progressed = !pp.entries.empty();
    Send(c, to, std::move(pp));
    if (stop.str().empty()) break;
    begin = progressed ? stop : NameAfter(table_.records(), stop);
    if (begin.str().empty()) break;
  }
}

void Membership::OnPushPull(Ctx& c, const core::Endpoint& from, const core::NodeName& sender,
                            const wm::PushPull& pp) {
  Merge(c, pp.entries);
  if (pp.response) return;
  if (pp.join) {
    SendJoinResponse(c, from);
  } else {
    SendPushPullResponse(c, from, sender, pp);
  }
}

void Membership::Merge(Ctx& c, const std::vector<MemberUpdate>& entries) {
  for (const MemberUpdate& e : entries) {
    switch (e.status) {
      case wm::MemberStatus::kAlive:
        ApplyAlive(c, e);
        break;
      case wm::MemberStatus::kSuspect:
      case wm::MemberStatus::kDead: {
        // memberlist mergeState: a remote verdict of dead becomes a local
        // suspicion, which the member can still refute, rather than an
        // immediate death sentence. It is our suspicion (from = us): state
        // copied from another table is not an independent confirmation.
        MemberUpdate s = e;
        s.status = wm::MemberStatus::kSuspect;
        s.from = config_.self;
        ApplySuspect(c, s);
        break;
      }
      case wm::MemberStatus::kLeft:
        ApplyLeft(c, e);
        break;
    }
  }
}

}  // namespace vipcast::membership
