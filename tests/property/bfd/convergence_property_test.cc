// Session properties under random faults, in simulated time:
// - whatever loss and delay (with reordering) the network inflicted, once it
//   heals both sessions reach Up within a bound and stay Up;
// - under sustained total loss each side goes Down no later than its
//   Detection Time after the last packet could have arrived, and no earlier
//   than the Detection Time after the peer's last periodic packet.
#include <gtest/gtest.h>
#include <rapidcheck.h>
#include <rapidcheck/gtest.h>

#include <ostream>

#include "engine/bfd/bfd_engine.h"
#include "tests/unit/bfd/datagram_loop.h"

namespace vipcast::bfd {
namespace {

using core::Duration;
using core::TimePoint;
using testing::Config;
using testing::DatagramLoop;
using testing::Ip;
using wire::bfd::State;

struct Segment {
  Duration length;
  double loss = 0;     // probability of dropping each datagram
  Duration max_delay;  // delays are uniform in [50 us, max_delay]
};

void showValue(const Segment& s, std::ostream& os) {
  os << "{" << s.length.ToString() << ", loss " << s.loss << ", delay <= " << s.max_delay.ToString()
     << "}";
}

}  // namespace

// rapidcheck prints counterexamples through these (found by ADL).
void showValue(const SessionParameters& p, std::ostream& os) {
  os << "{tx " << p.desired_min_tx.ToString() << ", rx " << p.required_min_rx.ToString()
     << ", mult " << int{p.detect_mult} << "}";
}

namespace {

rc::Gen<SessionParameters> GenParams() {
  return rc::gen::exec([] {
    SessionParameters p;
    // MetalLB's validated ranges (10-60000 ms, 2-255) cut to keep runs short.
    p.desired_min_tx = Duration::Milliseconds(*rc::gen::inRange(10, 1001));
    p.required_min_rx = Duration::Milliseconds(*rc::gen::inRange(10, 1001));
    p.detect_mult = static_cast<uint8_t>(*rc::gen::inRange(2, 6));
    return p;
  });
}

rc::Gen<std::vector<Segment>> GenSchedule() {
  return rc::gen::container<std::vector<Segment>>(*rc::gen::inRange(1, 7), rc::gen::exec([] {
    Segment s;
    s.length = Duration::Milliseconds(*rc::gen::inRange(100, 5001));
    s.loss = *rc::gen::element(0.0, 0.1, 0.3, 0.5, 0.9, 1.0);
    s.max_delay = Duration::Milliseconds(*rc::gen::inRange(1, 201));
    return s;
  }));
}

struct Pair {
  DatagramLoop loop;
  size_t a = 0, b = 0;
  SessionKey key_a, key_b;
  State StateA() { return *loop.node(a).engine.GetState(key_a); }
  State StateB() { return *loop.node(b).engine.GetState(key_b); }
  bool BothUp() { return StateA() == State::kUp && StateB() == State::kUp; }
};

void Start(Pair& p, uint64_t seed, const SessionParameters& pa, const SessionParameters& pb) {
  p.a = p.loop.AddNode(seed, Ip("10.0.0.1"));
  p.b = p.loop.AddNode(seed ^ 0x9e3779b97f4a7c15ULL, Ip("10.0.0.2"));
  const SessionConfig ca = Config("10.0.0.1", "10.0.0.2", HopMode::kSingleHop, pa);
  const SessionConfig cb = Config("10.0.0.2", "10.0.0.1", HopMode::kSingleHop, pb);
  p.key_a = ca.key;
  p.key_b = cb.key;
  RC_ASSERT(p.loop
                .With(p.a, [&](BfdEngine& e,
                               core::Outbox& out) { return e.AddSession(p.loop.now(), ca, out); })
                .ok());
  RC_ASSERT(p.loop
                .With(p.b, [&](BfdEngine& e,
                               core::Outbox& out) { return e.AddSession(p.loop.now(), cb, out); })
                .ok());
}

// Applies `schedule` from now on with its own random stream; returns when
// the last segment ends.
TimePoint ApplySchedule(Pair& p, const std::vector<Segment>& schedule, uint64_t seed) {
  auto rng = std::make_shared<core::Rng>(seed);
  const TimePoint start = p.loop.now();
  TimePoint end = start;
  for (const Segment& s : schedule) end += s.length;
  p.loop.set_policy([rng, schedule, start](size_t, size_t, const core::SendDatagram&,
                                           TimePoint at) -> std::optional<Duration> {
    TimePoint segment_end = start;
    for (const Segment& s : schedule) {
      segment_end += s.length;
      if (at < segment_end) {
        if (rng->Bernoulli(s.loss)) return std::nullopt;
        return Duration::Microseconds(rng->UniformInRange(50, s.max_delay.microseconds()));
      }
    }
    return Duration::Milliseconds(1);
  });
  return end;
}

// A healed network: fixed delay, so FIFO.
void Heal(Pair& p, Duration delay) {
  p.loop.set_policy([delay](size_t, size_t, const core::SendDatagram&, TimePoint) {
    return std::optional(delay);
  });
}

// How long after the network heals both sides are Up for good:
// - stragglers of the faulty phase arrive within its largest delay (200 ms);
// - a Detection Time that started before the heal may still expire: at most
//   detect mult x 1 s (no generated interval exceeds 1 s, RFC 5880 6.8.4);
// - then, from any pair of states, at most four one-way exchanges (Up/Down
//   -> Down/Down -> Init -> Up -> Up), each within the 1 s slow-start
//   interval (RFC 5880 6.8.3) plus the delay; one more for slack.
Duration HealBound(Duration delay, const SessionParameters& pa, const SessionParameters& pb) {
  const int64_t mult = std::max(pa.detect_mult, pb.detect_mult);
  return Duration::Milliseconds(200) + Duration::Seconds(1) * mult +
         (Duration::Seconds(1) + delay) * 5;
}

RC_GTEST_PROP(BfdConvergenceProperty, BothUpSoonAfterLossStops, ()) {
  const uint64_t seed = *rc::gen::arbitrary<uint64_t>();
  const SessionParameters pa = *GenParams();
  const SessionParameters pb = *GenParams();
  const std::vector<Segment> schedule = *GenSchedule();
  const Duration healed_delay = Duration::Milliseconds(*rc::gen::inRange(1, 51));

  Pair p;
  Start(p, seed, pa, pb);
  // Some runs start the faults before the first handshake, some after.
  if (*rc::gen::arbitrary<bool>()) p.loop.RunFor(Duration::Seconds(5));
  const TimePoint healed = ApplySchedule(p, schedule, seed + 1);
  p.loop.RunUntil(healed);
  Heal(p, healed_delay);

  p.loop.RunUntil(healed + HealBound(healed_delay, pa, pb));
  RC_ASSERT(p.BothUp());

  // And they stay Up: no flaps on a healthy network.
  const size_t changes_a = p.loop.node(p.a).changes.size();
  const size_t changes_b = p.loop.node(p.b).changes.size();
  p.loop.RunFor(Duration::Seconds(10));
  RC_ASSERT(p.BothUp());
  RC_ASSERT(p.loop.node(p.a).changes.size() == changes_a);
  RC_ASSERT(p.loop.node(p.b).changes.size() == changes_b);
}

RC_GTEST_PROP(BfdConvergenceProperty, DownWithinDetectionTimeUnderTotalLoss, ()) {
  const uint64_t seed = *rc::gen::arbitrary<uint64_t>();
  const SessionParameters pa = *GenParams();
  const SessionParameters pb = *GenParams();
  const Duration delay = Duration::Milliseconds(*rc::gen::inRange(1, 51));

  Pair p;
  Start(p, seed, pa, pb);
  Heal(p, delay);
  RC_ASSERT(p.loop.RunUntilTrue([&] { return p.BothUp(); }, p.loop.now() + Duration::Seconds(10))
                .has_value());
  // Let Poll Sequences finish so the negotiated timers are in force.
  p.loop.RunFor(Duration::Seconds(5) + Duration::Milliseconds(*rc::gen::inRange(0, 1000)));
  const SessionInfo ia = *p.loop.node(p.a).engine.GetSession(p.key_a);
  const SessionInfo ib = *p.loop.node(p.b).engine.GetSession(p.key_b);
  RC_ASSERT(!ia.poll_active && !ib.poll_active);
  // RFC 5880 6.8.4: remote Detect Mult x max(local RequiredMinRx, remote DesiredMinTx).
  RC_ASSERT(ia.detection_time ==
            std::max(pa.required_min_rx, pb.desired_min_tx) * int64_t{pb.detect_mult});
  RC_ASSERT(ib.detection_time ==
            std::max(pb.required_min_rx, pa.desired_min_tx) * int64_t{pa.detect_mult});

  const TimePoint cut = p.loop.now();
  p.loop.set_policy([](size_t, size_t, const core::SendDatagram&, TimePoint) {
    return std::optional<Duration>();
  });
  auto down_a = p.loop.RunUntilTrue([&] { return p.StateA() != State::kUp; },
                                    cut + delay + ia.detection_time);
  RC_ASSERT(down_a.has_value());
  // The peer's last periodic packet left at most one transmit interval
  // before the cut (jitter only shortens intervals, RFC 5880 6.8.7).
  RC_ASSERT(*down_a >= cut + delay + ia.detection_time - ib.transmit_interval);
  RC_ASSERT(p.loop.node(p.a).changes.back().diag == wire::bfd::Diag::kControlDetectionTimeExpired);

  auto down_b = p.loop.RunUntilTrue([&] { return p.StateB() != State::kUp; },
                                    cut + delay + ib.detection_time);
  RC_ASSERT(down_b.has_value());
  RC_ASSERT(*down_b >= cut + delay + ib.detection_time - ia.transmit_interval);
}

}  // namespace
}  // namespace vipcast::bfd
