// Failure detection: probe periods, indirect probes and nacks.
//
// SWIM (Das et al. 2002) section 3.1: each protocol period, ping one member;
// without an ack within the probe timeout, ask k members to ping it for us
// (ping-req) and relay any ack; without any ack by the end of the period, the
// member is suspected (section 4.2). Section 4.3: targets come from a
// shuffled round-robin order, which bounds the time to the first probe of a
// failed member.
//
// Lifeguard (Dadgar et al. 2018): helpers answer ping-req with a nack when
// the target stays silent; a prober that misses nacks suspects itself of
// being the slow one and raises its health score ("Local Health Aware
// Probe"), which stretches its probe interval and timeout.
//
// vipcast adds, per period, a probe of every watched member (SetWatched) and
// of every member this node suspects from its own failed probe; see
// DESIGN.md for why this keeps the total message rate linear in N.
#include <algorithm>
#include <vector>

#include "engine/membership/membership.h"

namespace vipcast::membership {

namespace wm = wire::membership;

void Membership::ProbeTick(Ctx& c) {
  const TimingProfile& p = config_.profile;
  if (leaving_) {
    next_probe_ = core::TimePoint::Never();
    return;
  }
  next_probe_ = c.now + awareness_.Scale(p.probe_interval);

  std::vector<MemberRecord*> targets;
  auto add = [&targets](MemberRecord* r) {
    if (r == nullptr || r->is_self || !IsActive(r->state)) return;
    if (std::find(targets.begin(), targets.end(), r) == targets.end()) targets.push_back(r);
  };
  add(table_.NextProbeTarget(*rng_));
  for (const core::NodeName& name : watched_) add(table_.Find(name));
  for (auto it = reprobe_.begin(); it != reprobe_.end();) {
    MemberRecord* r = table_.Find(*it);
    if (r == nullptr || r->state != MemberState::kSuspect || !r->reprobe) {
      if (r != nullptr) r->reprobe = false;
      it = reprobe_.erase(it);
      continue;
    }
    add(r);
    ++it;
  }
  for (MemberRecord* r : targets) {
    if (probing_.count(r->name) == 0) StartProbe(c, *r);
  }
}

uint32_t Membership::NextProbeId() {
  // Probe ids identify our own probes and the relays we serve; skip 0 and any
  // id still in use after the 32-bit counter wraps.
  do {
    ++last_probe_id_;
  } while (last_probe_id_ == 0 || probes_.count(last_probe_id_) != 0 ||
           relays_.count(last_probe_id_) != 0);
  return last_probe_id_;
}

void Membership::StartProbe(Ctx& c, MemberRecord& target) {
  const TimingProfile& p = config_.profile;
  const uint32_t id = NextProbeId();
  ProbeRound round;
  round.id = id;
  round.target = target.name;
  round.ack_deadline = c.now + awareness_.Scale(p.probe_timeout);
  round.end = c.now + awareness_.Scale(p.probe_interval);
  AddTimer(round.ack_deadline, TimerKind::kProbeAckTimeout, id);
  AddTimer(round.end, TimerKind::kProbeEnd, id);
  probes_.emplace(id, round);
  probing_[target.name] = id;

  std::vector<MemberUpdate> first;
  if (target.state == MemberState::kSuspect) {
    // Lifeguard's buddy system: tell the suspect directly, so that it can
    // refute at once instead of waiting for the rumour to reach it.
    MemberUpdate u = UpdateFor(target);
    u.from = config_.self;
    first.push_back(std::move(u));
  }
  Send(c, target.endpoint, wm::Ping{id, target.name}, std::move(first));
}

void Membership::OnAckTimeout(Ctx& c, uint32_t id) {
  auto it = probes_.find(id);
  if (it == probes_.end() || it->second.indirect_sent) return;
  ProbeRound& round = it->second;
  round.indirect_sent = true;
  const MemberRecord* target = table_.Find(round.target);
  if (target == nullptr) return;
  const core::NodeName target_name = target->name;
  const core::Endpoint target_endpoint = target->endpoint;
  std::vector<MemberRecord*> helpers = table_.Sample(
      static_cast<size_t>(config_.profile.indirect_checks),
      [&](const MemberRecord& r) {
        return r.state == MemberState::kAlive && r.name != target_name;
      },
      *rng_);
  round.expected_nacks = static_cast<int>(helpers.size());
  for (MemberRecord* helper : helpers) {
    Send(c, helper->endpoint, wm::PingReq{id, true, target_name, target_endpoint});
  }
}

void Membership::OnProbeEnd(Ctx& c, uint32_t id) {
  auto it = probes_.find(id);
  if (it == probes_.end()) return;  // acked
  const ProbeRound round = it->second;
  probes_.erase(it);
  probing_.erase(round.target);

  // memberlist probeNode: with helpers that could nack, each missing nack is
  // evidence against our own health; without helpers, the failure itself is.
  int delta = 1;
  if (round.expected_nacks > 0) delta = std::max(0, round.expected_nacks - round.nacks);
  awareness_.ApplyDelta(delta);
  metrics_.ProbeFailed();

  MemberRecord* r = table_.Find(round.target);
  if (r == nullptr || !IsActive(r->state)) return;
  MemberUpdate u = UpdateFor(*r);
  u.status = wm::MemberStatus::kSuspect;
  u.from = config_.self;
  ApplySuspect(c, u);
  if (r->state == MemberState::kSuspect) {
    r->reprobe = true;
    reprobe_.insert(r->name);
  }
}

void Membership::OnPing(Ctx& c, const core::Endpoint& from, const core::NodeName& sender,
                        const wm::Ping& ping) {
  if (ping.target != config_.self) {
    metrics_.Dropped(DropReason::kMisdirected);
    return;
  }
  // A member we hold as suspect, dead or left is evidently running: tell it
  // what we believe, so that it refutes now rather than when the rumour (or a
  // push-pull page) happens to reach it. Without this, a node falsely
  // declared dead that missed the gossip would stay dead in our table.
  std::vector<MemberUpdate> first;
  if (const MemberRecord* r = table_.Find(sender);
      r != nullptr && r->state != MemberState::kAlive) {
    first.push_back(UpdateFor(*r));
  }
  Send(c, from, wm::Ack{ping.probe_id}, std::move(first));
}

void Membership::OnPingReq(Ctx& c, const core::Endpoint& from, const wm::PingReq& req) {
  if (req.target == config_.self) {
    Send(c, from, wm::Ack{req.probe_id});
    return;
  }
  if (relays_.size() >= config_.limits.max_relays) {
    metrics_.Dropped(DropReason::kRelayTableFull);
    return;
  }
  const uint32_t id = NextProbeId();
  relays_.emplace(id, Relay{from, req.probe_id, req.want_nack});
  // memberlist: the helper waits one probe timeout, then nacks.
  AddTimer(c.now + awareness_.Scale(config_.profile.probe_timeout), TimerKind::kRelayTimeout, id);
  Send(c, req.target_endpoint, wm::Ping{id, req.target});
}

void Membership::OnRelayTimeout(Ctx& c, uint32_t id) {
  auto it = relays_.find(id);
  if (it == relays_.end()) return;
  const Relay relay = it->second;
  relays_.erase(it);
  if (relay.want_nack) Send(c, relay.origin, wm::Nack{relay.origin_id});
}

void Membership::OnAck(Ctx& c, const wm::Ack& ack) {
  if (auto it = probes_.find(ack.probe_id); it != probes_.end()) {
    probing_.erase(it->second.target);
    probes_.erase(it);
    awareness_.ApplyDelta(-1);
    return;
  }
  if (auto it = relays_.find(ack.probe_id); it != relays_.end()) {
    const Relay relay = it->second;
    relays_.erase(it);
    Send(c, relay.origin, wm::Ack{relay.origin_id});
  }
  // Otherwise a late ack for a concluded round: nothing to do.
}

void Membership::OnNack(const wm::Nack& nack) {
  if (auto it = probes_.find(nack.probe_id); it != probes_.end()) ++it->second.nacks;
}

}  // namespace vipcast::membership
