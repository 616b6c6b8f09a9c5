#include "engine/membership/profile.h"

#include <algorithm>
#include <cmath>
#include <string>

namespace vipcast::membership {

using core::Duration;

TimingProfile DefaultProfile() {
  TimingProfile p;
  p.name = "default";
  // 100 ms periods: each node sends one random probe and one probe per
  // watched node per period, so a VIP owner is probed by its backup ten times
  // a second at a constant per-node cost.
  p.probe_interval = Duration::Milliseconds(100);
  // LAN round trips are well under 1 ms; 40 ms covers a busy speaker process
  // and leaves 60 ms of the period for the indirect probes (and their 40 ms
  // nack timer) to come back.
  p.probe_timeout = Duration::Milliseconds(40);
  p.indirect_checks = 3;
  // Not scaled with log10(N): memberlist scales because a falsely suspected
  // node learns of it only by epidemic gossip, which takes O(log N) rounds.
  // Here the node that raised a suspicion re-probes the suspect every period
  // with the suspicion piggybacked (Lifeguard's buddy system), so the suspect
  // hears it within one period and its refutation rides back on the ack.
  // 250 ms max gives a live suspect two such chances. Lifeguard (Dadgar et
  // al. 2018, "Local Health Aware Suspicion") shrinks the timeout towards min
  // as K independent confirmations arrive, but min must still leave a live
  // suspect time to refute: at 100 nodes the K=2 confirmations arrive within
  // one period, and with min = 1 period (100 ms) every false death under 5 %
  // loss expired at exactly min with 2 confirmations (instrumented
  // tests/measure/l2_spurious, 100 nodes, 20 simulated minutes),
  // i.e. one lost refutation was fatal. 200 ms = 2 periods gives it a second
  // re-probe. Only max sets the bound, so the worst case for a watcher is
  // unchanged: 2 x 100 ms + 250 ms = 450 ms < 500 ms; the typical failover
  // grows by up to one period.
  p.suspicion_min = Duration::Milliseconds(200);
  p.suspicion_max = Duration::Milliseconds(250);
  p.suspicion_log_scale = false;
  p.suspicion_confirmations = 2;
  p.awareness_max = 8;
  // Gossip every 50 ms to 3 members: an update reaches all of 1000 members in
  // about log4(1000) = 5 rounds, 250 ms, and is retired after
  // 4 * ceil(log10(N + 1)) transmissions.
  p.gossip_interval = Duration::Milliseconds(50);
  p.gossip_nodes = 3;
  p.retransmit_mult = 4;
  p.gossip_to_the_dead = Duration::Seconds(5);
  // One page (<= 1400 bytes) each way per exchange: cheap enough to run
  // every 5 s; a small cluster fits one page, so this is a full sync.
  p.push_pull_interval = Duration::Seconds(5);
  p.join_retry_interval = Duration::Seconds(1);
  p.dead_retention = Duration::Minutes(10);
  return p;
}

TimingProfile MetallbProfile() {
  // hashicorp/memberlist config.go, DefaultLANConfig.
  TimingProfile p;
  p.name = "metallb";
  p.probe_interval = Duration::Seconds(1);        // ProbeInterval
  p.probe_timeout = Duration::Milliseconds(500);  // ProbeTimeout
  p.indirect_checks = 3;                          // IndirectChecks
  // SuspicionMult 4: min = 4 * max(1, log10 N) * ProbeInterval;
  // SuspicionMaxTimeoutMult 6: max = 6 * min.
  p.suspicion_min = Duration::Seconds(4);
  p.suspicion_max = Duration::Seconds(24);
  p.suspicion_log_scale = true;
  p.suspicion_confirmations = 4 - 2;                // k = SuspicionMult - 2 (state.go)
  p.awareness_max = 8;                              // AwarenessMaxMultiplier
  p.gossip_interval = Duration::Milliseconds(200);  // GossipInterval
  p.gossip_nodes = 3;                               // GossipNodes
  p.retransmit_mult = 4;                            // RetransmitMult
  p.gossip_to_the_dead = Duration::Seconds(30);     // GossipToTheDeadTime
  p.push_pull_interval = Duration::Seconds(30);     // PushPullInterval
  p.join_retry_interval = Duration::Seconds(1);
  p.dead_retention = Duration::Minutes(10);
  return p;
}

core::Result<TimingProfile> ProfileByName(std::string_view name) {
  if (name == "default") return DefaultProfile();
  if (name == "metallb") return MetallbProfile();
  return core::MakeErr("unknown membership profile \"" + std::string(name) +
                       "\" (want \"default\" or \"metallb\")");
}

core::Status<> Validate(const TimingProfile& p) {
  auto positive = [](Duration d) { return d > Duration::Zero() && !d.IsInfinite(); };
  if (!positive(p.probe_interval)) return core::MakeErr(std::string("probe_interval must be > 0"));
  if (!positive(p.probe_timeout)) return core::MakeErr(std::string("probe_timeout must be > 0"));
  // SWIM 3.1: the indirect probes need the rest of the period.
  if (p.probe_timeout >= p.probe_interval) {
    return core::MakeErr(std::string("probe_timeout must be shorter than probe_interval"));
  }
  if (p.indirect_checks < 0) return core::MakeErr(std::string("indirect_checks must be >= 0"));
  if (!positive(p.suspicion_min)) return core::MakeErr(std::string("suspicion_min must be > 0"));
  if (p.suspicion_max < p.suspicion_min) {
    return core::MakeErr(std::string("suspicion_max must be >= suspicion_min"));
  }
  if (p.suspicion_confirmations < 0) {
    return core::MakeErr(std::string("suspicion_confirmations must be >= 0"));
  }
  if (p.awareness_max < 1) return core::MakeErr(std::string("awareness_max must be >= 1"));
  if (!positive(p.gossip_interval))
    return core::MakeErr(std::string("gossip_interval must be > 0"));
  if (p.gossip_nodes < 1) return core::MakeErr(std::string("gossip_nodes must be >= 1"));
  if (p.retransmit_mult < 1) return core::MakeErr(std::string("retransmit_mult must be >= 1"));
  if (!positive(p.push_pull_interval)) {
    return core::MakeErr(std::string("push_pull_interval must be > 0"));
  }
  if (!positive(p.join_retry_interval)) {
    return core::MakeErr(std::string("join_retry_interval must be > 0"));
  }
  if (p.dead_retention < Duration::Zero()) {
    return core::MakeErr(std::string("dead_retention must be >= 0"));
  }
  return core::Ok();
}

double SuspicionScale(const TimingProfile& p, size_t n) {
  if (!p.suspicion_log_scale) return 1.0;
  return std::max(1.0, std::log10(std::max(1.0, static_cast<double>(n))));
}

namespace {
// memberlist keeps millisecond precision: time.Duration(nodeScale*1000).
Duration Scaled(Duration base, double scale) {
  const int64_t milli = std::llround(scale * 1000.0);
  return Duration::Nanoseconds(base.nanoseconds() / 1000 * milli);
}
}  // namespace

Duration SuspicionMin(const TimingProfile& p, size_t n) {
  return Scaled(p.suspicion_min, SuspicionScale(p, n));
}

Duration SuspicionMax(const TimingProfile& p, size_t n) {
  return Scaled(p.suspicion_max, SuspicionScale(p, n));
}

int SuspicionConfirmationsNeeded(const TimingProfile& p, size_t n) {
  const int k = p.suspicion_confirmations;
  // Subtract ourselves and the suspect: they cannot confirm.
  if (static_cast<int64_t>(n) - 2 < k) return 0;
  return k;
}

int RetransmitLimit(const TimingProfile& p, size_t n) {
  const double scale = std::ceil(std::log10(static_cast<double>(n) + 1.0));
  return p.retransmit_mult * static_cast<int>(scale);
}

Duration WatchedDetectionBound(const TimingProfile& p, size_t n) {
  return p.probe_interval * 2 + SuspicionMax(p, n);
}

Duration UnwatchedDetectionBound(const TimingProfile& p, size_t n) {
  const int64_t others = n > 1 ? static_cast<int64_t>(n) - 1 : 1;
  return p.probe_interval * (2 * others) + SuspicionMax(p, n);
}

Duration DegradedDetectionBound(const TimingProfile& p, size_t n) {
  const int64_t others = n > 1 ? static_cast<int64_t>(n) - 1 : 1;
  return p.probe_interval * (2 * others * p.awareness_max) + SuspicionMax(p, n);
}

}  // namespace vipcast::membership
