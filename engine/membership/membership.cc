// Engine plumbing: construction, timers, the receive pipeline and sending.
#include "engine/membership/membership.h"

#include <algorithm>
#include <cassert>
#include <utility>

#include "engine/wire/membership/envelope.h"

namespace vipcast::membership {

namespace wm = wire::membership;
using core::Duration;
using core::TimePoint;

Membership::Membership(MembershipConfig config, core::Rng& rng)
    : config_(std::move(config)),
      rng_(&rng),
      key_(config_.key),
      gossip_(config_.limits.max_gossip_queue),
      replay_(config_.limits.max_replay_senders),
      awareness_(config_.profile.awareness_max) {
  assert(Validate(config_).ok());
  MemberRecord self;
  self.name = config_.self;
  self.endpoint = config_.endpoint;
  self.state = MemberState::kAlive;
  self.is_self = true;
  table_.Insert(std::move(self), *rng_);
}

MemberRecord& Membership::SelfRecord() { return *table_.Find(config_.self); }
const MemberRecord& Membership::SelfRecord() const { return *table_.Find(config_.self); }
uint32_t Membership::incarnation() const { return SelfRecord().incarnation; }

void Membership::EnsureStarted(Ctx& c) {
  if (started_) return;
  started_ = true;
  const TimingProfile& p = config_.profile;
  SelfRecord().since = c.now;
  // Random phases, so that nodes started together do not probe and gossip in
  // lock step (memberlist staggers its tickers the same way).
  auto stagger = [this](Duration d) {
    return Duration::Nanoseconds(static_cast<int64_t>(rng_->Uniform(d.nanoseconds())));
  };
  next_probe_ = c.now + stagger(p.probe_interval);
  next_gossip_ = c.now + stagger(p.gossip_interval);
  next_push_pull_ = c.now + p.push_pull_interval / 2 + stagger(p.push_pull_interval / 2);
  next_join_ = config_.seeds.empty() ? TimePoint::Never() : c.now;
}

void Membership::Handle(TimePoint now, const core::Input& input, core::Outbox& out) {
  Ctx c{now, out};
  EnsureStarted(c);
  if (const auto* d = std::get_if<core::DatagramReceived>(&input)) {
    Receive(c, *d);
  } else if (std::holds_alternative<core::ShutdownRequested>(input)) {
    Leave(now, out);
  }
}

void Membership::Advance(TimePoint now, core::Outbox& out) {
  Ctx c{now, out};
  EnsureStarted(c);
  for (;;) {
    const TimePoint one_shot = timers_.empty() ? TimePoint::Never() : timers_.begin()->at;
    const TimePoint periodic = NextPeriodic();
    if (std::min(one_shot, periodic) > now) break;
    // On a tie, one-shot timers first: a probe round ends exactly when the
    // next period starts, and must conclude before that target is probed again.
    if (one_shot <= periodic) {
      const Timer timer = *timers_.begin();
      timers_.erase(timers_.begin());
      FireTimer(c, timer);
    } else {
      RunPeriodic(c);
    }
  }
  FlushMetrics(out);
}

TimePoint Membership::NextDeadline() const {
  if (!started_) return TimePoint::Epoch();
  const TimePoint one_shot = timers_.empty() ? TimePoint::Never() : timers_.begin()->at;
  return std::min(one_shot, NextPeriodic());
}

TimePoint Membership::NextPeriodic() const {
  // A leaving node only finishes disseminating its departure.
  const TimePoint gossip = leaving_ && gossip_.empty() ? TimePoint::Never() : next_gossip_;
  return std::min({next_probe_, gossip, next_push_pull_, next_join_});
}

void Membership::RunPeriodic(Ctx& c) {
  const TimePoint due = NextPeriodic();
  if (next_probe_ == due) {
    ProbeTick(c);
  } else if (next_gossip_ == due) {
    GossipTick(c);
  } else if (next_push_pull_ == due) {
    PushPullTick(c);
  } else {
    JoinTick(c);
  }
}

void Membership::AddTimer(TimePoint at, TimerKind kind, uint32_t id, core::NodeName node) {
  timers_.insert(Timer{at, ++timer_seq_, kind, id, std::move(node)});
}

void Membership::FireTimer(Ctx& c, const Timer& timer) {
  switch (timer.kind) {
    case TimerKind::kProbeAckTimeout:
      OnAckTimeout(c, timer.id);
      break;
    case TimerKind::kProbeEnd:
      OnProbeEnd(c, timer.id);
      break;
    case TimerKind::kRelayTimeout:
      OnRelayTimeout(c, timer.id);
      break;
    case TimerKind::kSuspicion:
      OnSuspicionTimeout(c, timer.node);
      break;
  }
}

void Membership::Receive(Ctx& c, const core::DatagramReceived& d) {
  // Authenticate before parsing anything but the length and version.
  auto opened = wm::Open(d.payload, key_);
  if (!opened) {
    metrics_.Dropped(wm::ToString(opened.error().kind));
    return;
  }
  const wm::EnvelopeHeader& header = opened->header;
  if (header.sender == config_.self) {
    metrics_.Dropped(DropReason::kSelfSender);
    return;
  }
  // RFC 4303 3.4.3: the window advances only for authenticated datagrams.
  switch (replay_.CheckAndAccept(header.sender, header.boot_id, header.sequence, c.now)) {
    case ReplayGuard::Verdict::kAccept:
      break;
    case ReplayGuard::Verdict::kDuplicate:
      metrics_.Dropped(DropReason::kReplayed);
      return;
    case ReplayGuard::Verdict::kTooOld:
      metrics_.Dropped(DropReason::kTooOld);
      return;
    case ReplayGuard::Verdict::kStaleBoot:
      metrics_.Dropped(DropReason::kStaleBoot);
      return;
  }
  auto message = wm::DecodeMessage(opened->payload);
  if (!message) {
    metrics_.Dropped(wm::ToString(message.error().kind));
    return;
  }
  metrics_.Received(wm::TypeOf(message->body));
  // The sender's word about itself first: it introduces a member we did not
  // know and carries its latest incarnation.
  ApplyUpdate(c, MemberUpdate{header.sender,
                              message->sender.status,
                              message->sender.incarnation,
                              message->sender.endpoint,
                              {}});
  // Then the piggybacked updates, so that a refutation they provoke rides on
  // our reply (the ack to a buddy-system ping).
  for (const MemberUpdate& u : message->updates) ApplyUpdate(c, u);
  std::visit(
      [&](const auto& body) {
        using T = std::decay_t<decltype(body)>;
        if constexpr (std::is_same_v<T, wm::Ping>) {
          OnPing(c, d.remote, header.sender, body);
        } else if constexpr (std::is_same_v<T, wm::Ack>) {
          OnAck(c, body);
        } else if constexpr (std::is_same_v<T, wm::PingReq>) {
          OnPingReq(c, d.remote, body);
        } else if constexpr (std::is_same_v<T, wm::Nack>) {
          OnNack(body);
        } else if constexpr (std::is_same_v<T, wm::PushPull>) {
          OnPushPull(c, d.remote, header.sender, body);
        }
        // Gossip: the updates were the whole point.
      },
      message->body);
  if (std::exchange(stale_self_claim_, false) && !leaving_) {
    // The sender still believes an older incarnation of us suspect, dead or
    // left: one datagram back with our current entry (at most one per
    // datagram received, so no amplification).
    Send(c, d.remote, wm::Gossip{}, {UpdateFor(SelfRecord())});
  }
}

int Membership::RetransmitLimitNow() const {
  return RetransmitLimit(config_.profile, table_.ActiveCount());
}

bool Membership::Send(Ctx& c, const core::Endpoint& to, wm::Body body,
                      std::vector<MemberUpdate> first, bool only_if_gossip) {
  wm::Message m{std::move(body), std::move(first), {}};
  const MemberRecord& self = SelfRecord();
  m.sender.status = leaving_ ? wm::MemberStatus::kLeft : wm::MemberStatus::kAlive;
  m.sender.incarnation = self.incarnation;
  m.sender.endpoint = self.endpoint;
  const size_t overhead = wm::EnvelopeOverhead(config_.self);
  // Only pathological names (hundreds of characters for both ends and the
  // range bounds) can push the mandatory part past the limit: shed optional
  // content, last first, rather than ever send an oversized datagram.
  size_t used = overhead + wm::EncodedSize(m);
  while (used > wm::kMaxDatagramSize) {
    auto* pp = std::get_if<wm::PushPull>(&m.body);
    if (!m.updates.empty()) {
      m.updates.pop_back();
    } else if (pp != nullptr && !pp->entries.empty()) {
      pp->entries.pop_back();
    } else {
      metrics_.Dropped(DropReason::kOversized);
      return false;
    }
    used = overhead + wm::EncodedSize(m);
  }
  const size_t budget = wm::kMaxDatagramSize - used;
  const core::NodeName* skip = m.updates.size() == 1 ? &m.updates.front().node : nullptr;
  const size_t room = wm::kMaxListEntries - std::min(wm::kMaxListEntries, m.updates.size());
  std::vector<MemberUpdate> gossip = gossip_.Take(budget, room, RetransmitLimitNow(), skip);
  if (only_if_gossip && gossip.empty() && m.updates.empty()) return false;
  for (auto& u : gossip) m.updates.push_back(std::move(u));
  const wm::MessageType type = wm::TypeOf(m.body);
  const core::Bytes payload = wm::EncodeMessage(m);
  const wm::EnvelopeHeader header{config_.boot_id, ++send_sequence_, config_.self};
  core::Bytes datagram = wm::Seal(header, payload, key_);
  assert(datagram.size() <= wm::kMaxDatagramSize);
  metrics_.Sent(type, datagram.size());
  c.out.Emit(core::SendDatagram{config_.endpoint, to, 64, std::move(datagram), ""});
  return true;
}

void Membership::FlushMetrics(core::Outbox& out) {
  for (MemberState s : kAllMemberStates) metrics_.SetMembers(s, table_.Count(s));
  metrics_.SetHealth(awareness_.score());
  metrics_.SetIncarnation(incarnation());
  metrics_.Flush(out);
}

void Membership::SetWatched(const std::set<core::NodeName>& nodes) {
  watched_.clear();
  for (const core::NodeName& n : nodes) {
    if (watched_.size() >= config_.limits.max_watched) break;
    if (n != config_.self && !n.str().empty()) watched_.insert(n);
  }
}

void Membership::Leave(TimePoint now, core::Outbox& out) {
  Ctx c{now, out};
  EnsureStarted(c);
  if (leaving_) return;
  leaving_ = true;
  MemberRecord& self = SelfRecord();
  SetState(c, self, MemberState::kLeft, "leave");
  gossip_.Push(UpdateFor(self));
  probes_.clear();
  probing_.clear();
  reprobe_.clear();
  next_probe_ = TimePoint::Never();
  next_push_pull_ = TimePoint::Never();
  next_join_ = TimePoint::Never();
  // Tell some members right away rather than at the next gossip tick.
  GossipTick(c);
  FlushMetrics(out);
}

std::vector<MemberView> Membership::Members() const {
  std::vector<MemberView> out;
  out.reserve(table_.size());
  for (const auto& [name, r] : table_.records()) {
    out.push_back(MemberView{r.name, r.endpoint, r.state, r.incarnation, r.since, r.is_self});
  }
  return out;
}

std::optional<MemberView> Membership::Member(const core::NodeName& name) const {
  const MemberRecord* r = table_.Find(name);
  if (r == nullptr) return std::nullopt;
  return MemberView{r->name, r->endpoint, r->state, r->incarnation, r->since, r->is_self};
}

std::vector<MemberChange> Membership::DrainChanges() {
  std::vector<MemberChange> out(std::make_move_iterator(changes_.begin()),
                                std::make_move_iterator(changes_.end()));
  changes_.clear();
  return out;
}

}  // namespace vipcast::membership
