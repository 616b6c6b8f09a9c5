// The membership engine: which speakers are alive, by a SWIM-style protocol
// (Das, Gupta, Motivala, "SWIM: Scalable Weakly-consistent Infection-style
// Process Group Membership Protocol", DSN 2002) with the Lifeguard
// refinements (Dadgar, Phillips, Currey, "Lifeguard: Local Health Awareness
// for More Accurate Failure Detection", 2018), behaving like
// hashicorp/memberlist where neither paper decides. See DESIGN.md.
//
//  - Failure detection: every period, a direct probe (ping/ack) of the next
//    member in a shuffled round-robin order, plus one of every *watched*
//    member (SetWatched: the VIP owners this node backs up), plus one of
//    every member this node currently suspects (buddy system). A missing ack
//    leads to ping-req through `indirect_checks` members, with nacks.
//  - Suspicion: a member that fails a probe round becomes suspect, with a
//    Lifeguard suspicion timer; a suspect that hears of it refutes by raising
//    its incarnation number. At the timeout it is declared dead.
//  - Dissemination: updates piggyback on every datagram, plus a gossip round
//    every gossip_interval; push-pull pages of full state with a random
//    member (alive or dead-but-remembered, so partitions heal).
//  - Every datagram carries its sender's own state (a member introduces
//    itself and its latest incarnation with everything it sends), is
//    authenticated (HMAC-SHA-256-128) and is checked against a per-sender
//    anti-replay window; bad ones are dropped and counted.
//
// Sans-IO: time comes in as `now`, datagrams as DatagramReceived, output goes
// to the Outbox as SendDatagram, SessionStateChanged, MetricChanged and Log;
// randomness comes only from the Rng given at construction.
//
// Invariants: the table always holds this node's own record (is_self);
// every datagram sent fits wire::membership::kMaxDatagramSize; all tables and
// queues are bounded by config.limits.
#pragma once

#include <cstdint>
#include <deque>
#include <map>
#include <optional>
#include <set>
#include <vector>

#include "engine/core/io.h"
#include "engine/core/node_name.h"
#include "engine/core/rng.h"
#include "engine/core/time.h"
#include "engine/membership/awareness.h"
#include "engine/membership/config.h"
#include "engine/membership/gossip_queue.h"
#include "engine/membership/member.h"
#include "engine/membership/member_table.h"
#include "engine/membership/metrics.h"
#include "engine/membership/replay_guard.h"
#include "engine/wire/membership/mac_key.h"
#include "engine/wire/membership/message.h"

namespace vipcast::membership {

class Membership : public core::Engine {
 public:
  // Precondition: Validate(config) succeeded (asserted). `rng` must outlive
  // the engine.
  Membership(MembershipConfig config, core::Rng& rng);

  // DatagramReceived: a membership datagram. ShutdownRequested: Leave().
  // Other inputs are ignored.
  void Handle(core::TimePoint now, const core::Input& input, core::Outbox& out) override;
  void Advance(core::TimePoint now, core::Outbox& out) override;
  core::TimePoint NextDeadline() const override;

  // The members to probe every period in addition to the random round-robin
  // target: the speaker passes the current owners of the VIPs for which this
  // node is the next-in-line candidate. Unknown, dead and own names are
  // skipped when probing; at most limits.max_watched names are kept (the
  // first ones in name order). Takes effect at the next probe period.
  void SetWatched(const std::set<core::NodeName>& nodes);

  // Graceful departure: marks this node "left" and gossips it (a left node is
  // not a failure: the others take over its VIPs without waiting for failure
  // detection). Stops probing and syncing; keeps answering pings and
  // gossiping until the leave has been sent retransmit-limit times. Not
  // reversible: a node that comes back builds a new engine with a higher
  // boot id.
  void Leave(core::TimePoint now, core::Outbox& out);

  // Every known member, this node included, in name order.
  std::vector<MemberView> Members() const;
  std::optional<MemberView> Member(const core::NodeName& name) const;
  // State changes since the last call, oldest first (also emitted as
  // SessionStateChanged{protocol="membership"}). The backlog is bounded by
  // limits.max_pending_changes; overflow drops the oldest and counts it.
  std::vector<MemberChange> DrainChanges();

  const core::NodeName& self() const { return config_.self; }
  uint32_t incarnation() const;
  bool leaving() const { return leaving_; }
  int health_score() const { return awareness_.score(); }
  const std::set<core::NodeName>& watched() const { return watched_; }
  const TimingProfile& profile() const { return config_.profile; }
  const MembershipMetrics& metrics() const { return metrics_; }
  size_t gossip_queue_size() const { return gossip_.size(); }

 private:
  using MemberUpdate = wire::membership::MemberUpdate;
  struct Ctx {
    core::TimePoint now;
    core::Outbox& out;
  };
  // One probe of one member by this node (SWIM 3.1 protocol period).
  struct ProbeRound {
    uint32_t id = 0;
    core::NodeName target;
    core::TimePoint ack_deadline;  // then ping-req
    core::TimePoint end;           // then suspect
    bool indirect_sent = false;
    int expected_nacks = 0;
    int nacks = 0;
  };
  // A ping-req we serve: our own ping to the target, whose ack we forward.
  struct Relay {
    core::Endpoint origin;
    uint32_t origin_id = 0;
    bool want_nack = false;
  };
  enum class TimerKind : uint8_t { kProbeAckTimeout, kProbeEnd, kRelayTimeout, kSuspicion };
  struct Timer {
    core::TimePoint at;
    uint64_t seq = 0;
    TimerKind kind = TimerKind::kProbeEnd;
    uint32_t id = 0;
    core::NodeName node;
    bool operator<(const Timer& o) const { return at != o.at ? at < o.at : seq < o.seq; }
  };

  // membership.cc: plumbing.
  void EnsureStarted(Ctx& c);
  void AddTimer(core::TimePoint at, TimerKind kind, uint32_t id, core::NodeName node = {});
  core::TimePoint NextPeriodic() const;
  void RunPeriodic(Ctx& c);
  void FireTimer(Ctx& c, const Timer& timer);
  void Receive(Ctx& c, const core::DatagramReceived& d);
  // Sends `body` to `to` with `first` updates and as much queued gossip as
  // fits. With only_if_gossip, sends nothing when there is no update to carry.
  bool Send(Ctx& c, const core::Endpoint& to, wire::membership::Body body,
            std::vector<MemberUpdate> first = {}, bool only_if_gossip = false);
  int RetransmitLimitNow() const;
  void FlushMetrics(core::Outbox& out);

  // membership_probe.cc: failure detection.
  void ProbeTick(Ctx& c);
  void StartProbe(Ctx& c, MemberRecord& target);
  void OnAckTimeout(Ctx& c, uint32_t id);
  void OnProbeEnd(Ctx& c, uint32_t id);
  void OnRelayTimeout(Ctx& c, uint32_t id);
  void OnPing(Ctx& c, const core::Endpoint& from, const core::NodeName& sender,
              const wire::membership::Ping& ping);
  void OnPingReq(Ctx& c, const core::Endpoint& from, const wire::membership::PingReq& req);
  void OnAck(Ctx& c, const wire::membership::Ack& ack);
  void OnNack(const wire::membership::Nack& nack);
  uint32_t NextProbeId();

  // membership_state.cc: the incarnation rules (SWIM 4.2, memberlist).
  void ApplyUpdate(Ctx& c, const MemberUpdate& u);
  void ApplyAlive(Ctx& c, const MemberUpdate& u);
  void ApplySuspect(Ctx& c, const MemberUpdate& u);
  void ApplyDead(Ctx& c, const MemberUpdate& u);
  void ApplyLeft(Ctx& c, const MemberUpdate& u);
  void Refute(Ctx& c, uint32_t asserted);
  void StartSuspicion(Ctx& c, MemberRecord& r, const core::NodeName& from);
  void OnSuspicionTimeout(Ctx& c, const core::NodeName& node);
  void SetState(Ctx& c, MemberRecord& r, MemberState to, const std::string& reason);
  void RecordChange(Ctx& c, const MemberRecord& r, std::optional<MemberState> from,
                    std::optional<MemberState> to, const std::string& reason);
  void Reap(Ctx& c);
  MemberUpdate UpdateFor(const MemberRecord& r) const;
  MemberRecord& SelfRecord();
  const MemberRecord& SelfRecord() const;

  // membership_sync.cc: gossip rounds, push-pull and join.
  void GossipTick(Ctx& c);
  void PushPullTick(Ctx& c);
  // The first dead member after dead_cursor_ in name order, wrapping; nullptr
  // when none is dead.
  MemberRecord* NextDeadMember();
  void JoinTick(Ctx& c);
  void SendPushPull(Ctx& c, const core::Endpoint& to, const MemberRecord* peer, bool join);
  void SendPushPullResponse(Ctx& c, const core::Endpoint& to, const core::NodeName& requester,
                            const wire::membership::PushPull& request);
  void SendJoinResponse(Ctx& c, const core::Endpoint& to);
  void OnPushPull(Ctx& c, const core::Endpoint& from, const core::NodeName& sender,
                  const wire::membership::PushPull& pp);
  void Merge(Ctx& c, const std::vector<MemberUpdate>& entries);
  // Appends records from `begin` (inclusive) up to `end` (exclusive; empty:
  // unbounded) while they fit `budget` bytes, skipping names in `skip`.
  // Returns where the page stopped: the first name not included, or empty if
  // it reached `end`.
  core::NodeName FillPage(const core::NodeName& begin, const core::NodeName& end, size_t budget,
                          const std::set<core::NodeName>& skip,
                          std::vector<MemberUpdate>& entries) const;

  MembershipConfig config_;
  core::Rng* rng_;
  wire::membership::MacKey key_;
  MemberTable table_;
  GossipQueue gossip_;
  ReplayGuard replay_;
  Awareness awareness_;
  MembershipMetrics metrics_;
  std::set<core::NodeName> watched_;
  std::set<core::NodeName> reprobe_;  // suspects whose suspicion this node raised
  std::map<uint32_t, ProbeRound> probes_;
  std::map<core::NodeName, uint32_t> probing_;  // target -> active round
  std::map<uint32_t, Relay> relays_;
  std::set<Timer> timers_;
  uint64_t timer_seq_ = 0;
  std::deque<MemberChange> changes_;
  uint32_t last_probe_id_ = 0;
  uint64_t send_sequence_ = 0;
  bool started_ = false;
  bool leaving_ = false;
  // Set while handling a datagram that held a stale non-alive claim about us.
  bool stale_self_claim_ = false;
  core::TimePoint next_probe_ = core::TimePoint::Never();
  core::TimePoint next_gossip_ = core::TimePoint::Never();
  core::TimePoint next_push_pull_ = core::TimePoint::Never();
  core::TimePoint next_join_ = core::TimePoint::Never();
  core::NodeName push_pull_cursor_;  // next page of periodic push-pull starts here
  core::NodeName dead_cursor_;       // the dead member last sent a reconnect push-pull
};

}  // namespace vipcast::membership
