// Failover end to end (see failover.h): L2 speakers on tests/harness; the
// owner of VIP 0 crashes; we wait for the first gratuitous ARP for that VIP
// from another node, as a switch on the segment would see it.
#include "tests/measure/failover.h"
#include "tests/measure/speaker_world.h"

namespace vipcast::measure {

using core::Duration;
using core::TimePoint;
using speaker::testing::ClusterOptions;
using speaker::testing::SentFrame;
using speaker::testing::SpeakerCluster;

FailoverSample MeasureFailoverSpeaker(const FailoverCase& c) {
  ClusterOptions o;
  o.seed = c.seed;
  o.nodes = c.nodes;
  o.profile = c.profile;
  // The takeover is read off the frames the cluster observes, not the trace:
  // record no facts (at 100 nodes they would be most of the run's memory).
  o.trace_filter = [](const harness::Fact&) { return false; };
  o.keep_datagram_times = false;
  SpeakerCluster cluster(o);
  FailoverSample s;
  const Duration form_limit = Duration::Seconds(30) + c.profile.push_pull_interval * 2;
  s.formed = FormThenSetWorld(cluster, form_limit);
  if (!s.formed) return s;

  const core::IpAddr vip = VipOf(0);
  const size_t owner = cluster.Announcers(vip).front();
  core::Rng phase = core::Rng(c.seed).Fork(0xc4a5);
  const Duration window =
      c.crash_window > Duration::Zero() ? c.crash_window : c.profile.probe_interval * 2;
  cluster.RunFor(c.settle +
                 Duration::Nanoseconds(phase.UniformInRange(0, window.nanoseconds() - 1)));
  const TimePoint crash = cluster.now();
  cluster.Crash(owner);
  size_t scanned = cluster.frames().size();
  // The run stops at the first takeover frame (RunUntil checks before every
  // event), so nothing after the measured instant is simulated.
  std::optional<TimePoint> garp;
  const Duration limit = membership::UnwatchedDetectionBound(c.profile, c.nodes) * 2;
  cluster.h().RunUntil(
      [&] {
        const std::vector<SentFrame>& frames = cluster.frames();
        for (; scanned < frames.size() && !garp; ++scanned) {
          const SentFrame& f = frames[scanned];
          // Checked before the next event, so Announces() is the sender's
          // state when it sent the frame: a takeover, not a stray burst.
          if (f.gratuitous && f.vip == vip && f.node != owner &&
              cluster.speaker(f.node).Announces(vip)) {
            garp = f.at;
          }
        }
        return garp.has_value();
      },
      crash + limit);
  if (garp) s.takeover = *garp - crash;
  return s;
}

}  // namespace vipcast::measure
