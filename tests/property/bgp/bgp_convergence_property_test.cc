// N speakers and one router in the deterministic harness: whatever the TCP
// splits, crashes and restarts of speakers, and eligibility changes, the
// router's ECMP set for the VIP converges to the eligible running speakers.
#include <gtest/gtest.h>
#include <rapidcheck.h>
#include <rapidcheck/gtest.h>

#include <memory>
#include <set>

#include "engine/bgp/router.h"
#include "engine/bgp/session_set.h"
#include "engine/config/model.h"
#include "tests/harness/harness.h"

namespace vipcast::bgp {
namespace {

using core::Duration;

core::IpAddr A(const std::string& t) { return core::IpAddr::Parse(t).value(); }
const core::Prefix kVip = core::Prefix::Parse("192.0.2.10/32").value();
const core::Prefix kVip6 = core::Prefix::Parse("2001:db8:5::10/128").value();

SessionConfig Peer(const std::string& name, core::Asn local, uint32_t id, core::Asn peer,
                   core::IpAddr remote, bool passive) {
  SessionConfig c;
  c.name = name;
  c.local.asn = local;
  c.local.router_id = core::RouterId(id);
  c.local.hold_time = Duration::Seconds(9);
  c.peer_as = peer;
  c.remote = {remote, 179};
  c.passive = passive;
  c.backoff_max = Duration::Seconds(8);
  return c;
}

// A speaker that announces the VIP to the router while eligible; a
// ServicesChanged with no services makes it ineligible, with any makes it
// eligible again (a stand-in for policy's output changing).
class TestSpeaker : public core::Engine {
 public:
  TestSpeaker(int index, bool eligible) : index_(index), eligible_(eligible) {}
  void Handle(core::TimePoint now, const core::Input& input, core::Outbox& out) override {
    sessions_.Handle(now, input, out);
    if (std::holds_alternative<core::InterfacesChanged>(input) && !started_) {
      started_ = true;
      sessions_.SetPeers(now,
                         {Peer("router", core::Asn(64600 + index_), 100 + index_, core::Asn(64512),
                               A("10.0.0.254"), false)},
                         out);
      Publish(now, out);
    }
    if (const auto* s = std::get_if<core::ServicesChanged>(&input)) {
      eligible_ = !s->services->services.empty();
      Publish(now, out);
    }
  }
  void Advance(core::TimePoint now, core::Outbox& out) override { sessions_.Advance(now, out); }
  core::TimePoint NextDeadline() const override { return sessions_.NextDeadline(); }

 private:
  void Publish(core::TimePoint now, core::Outbox& out) {
    RibOut r;
    if (eligible_) {
      r[kVip] = RouteAttributes{};
      r[kVip6] = RouteAttributes{};
    }
    sessions_.SetDesired(now, "router", r, out);
  }
  int index_;
  bool eligible_;
  bool started_ = false;
  SessionSet sessions_;
};

class RouterEngine : public core::Engine {
 public:
  explicit RouterEngine(int speakers)
      : router_(core::Asn(64512), core::RouterId(1)), n_(speakers) {}
  void Handle(core::TimePoint now, const core::Input& input, core::Outbox& out) override {
    router_.Handle(now, input, out);
    if (std::holds_alternative<core::InterfacesChanged>(input) && !started_) {
      started_ = true;
      std::vector<SessionConfig> peers;
      for (int i = 0; i < n_; ++i) {
        peers.push_back(Peer("s" + std::to_string(i), core::Asn(64512), 1, core::Asn(64600 + i),
                             A("10.0.0." + std::to_string(i + 1)), true));
      }
      router_.SetPeers(now, peers, out);
    }
  }
  void Advance(core::TimePoint now, core::Outbox& out) override { router_.Advance(now, out); }
  core::TimePoint NextDeadline() const override { return router_.NextDeadline(); }
  Router& router() { return router_; }

 private:
  Router router_;
  int n_;
  bool started_ = false;
};

core::MacAddr Mac(int i) { return core::MacAddr({2, 0, 0, 0, 0, static_cast<uint8_t>(i)}); }

std::shared_ptr<const config::ServiceSet> Services(bool eligible) {
  auto s = std::make_shared<config::ServiceSet>();
  if (eligible) s->services.emplace_back();
  return s;
}

RC_GTEST_PROP(BgpConvergence, RouterEcmpEqualsEligibleSpeakers, ()) {
  const auto seed = *rc::gen::inRange<uint64_t>(1, 1u << 30);
  const int n = *rc::gen::inRange(1, 5);
  harness::HarnessOptions options;
  options.seed = seed;
  options.streams.split_writes = true;
  options.streams.max_pieces = *rc::gen::inRange(1, 8);
  harness::Harness h(options);

  std::vector<harness::NodeId> nodes;
  for (int i = 0; i < n; ++i) {
    std::string ip = "10.0.0." + std::to_string(i + 1);
    nodes.push_back(h.AddNode(
        {"speaker-" + std::to_string(i),
         {{"eth0", Mac(i + 1), {A(ip), A("2001:db8::" + std::to_string(i + 1))}, "lan"}}}));
  }
  harness::NodeId router_node =
      h.AddNode({"router", {{"eth0", Mac(100), {A("10.0.0.254"), A("2001:db8::fe")}, "lan"}}});

  std::vector<std::unique_ptr<TestSpeaker>> engines;  // every instance, kept alive
  std::vector<bool> eligible(static_cast<size_t>(n), true);
  std::vector<bool> up(static_cast<size_t>(n), true);
  RouterEngine router(n);
  h.Start(router_node, &router);
  for (int i = 0; i < n; ++i) {
    engines.push_back(std::make_unique<TestSpeaker>(i, true));
    h.Start(nodes[static_cast<size_t>(i)], engines.back().get());
  }
  h.RunFor(Duration::Seconds(5));

  const int faults = *rc::gen::inRange(0, 6);
  for (int f = 0; f < faults; ++f) {
    const int i = *rc::gen::inRange(0, n);
    const auto node = nodes[static_cast<size_t>(i)];
    switch (*rc::gen::inRange(0, 3)) {
      case 0:  // crash, or restart a crashed speaker
        if (up[static_cast<size_t>(i)]) {
          h.Crash(node);
          up[static_cast<size_t>(i)] = false;
        } else {
          engines.push_back(std::make_unique<TestSpeaker>(i, eligible[static_cast<size_t>(i)]));
          h.Start(node, engines.back().get());
          up[static_cast<size_t>(i)] = true;
        }
        break;
      case 1:  // eligibility (configuration) change
        eligible[static_cast<size_t>(i)] = !eligible[static_cast<size_t>(i)];
        h.Inject(node, core::ServicesChanged{Services(eligible[static_cast<size_t>(i)])});
        break;
      default:
        break;  // just time passing
    }
    h.RunFor(Duration::Milliseconds(*rc::gen::inRange(0, 20000)));
  }
  // Settle: hold time 9 s, backoff at most 8 s.
  h.RunFor(Duration::Seconds(90));

  std::vector<core::IpAddr> expected, expected6;
  for (int i = 0; i < n; ++i) {
    if (up[static_cast<size_t>(i)] && eligible[static_cast<size_t>(i)]) {
      expected.push_back(A("10.0.0." + std::to_string(i + 1)));
      expected6.push_back(A("2001:db8::" + std::to_string(i + 1)));
    }
  }
  std::sort(expected6.begin(), expected6.end());
  const auto& fib = router.router().fib();
  std::vector<core::IpAddr> got, got6;
  if (auto it = fib.find(kVip); it != fib.end()) got = it->second;
  if (auto it = fib.find(kVip6); it != fib.end()) got6 = it->second;
  RC_ASSERT(got == expected);
  RC_ASSERT(got6 == expected6);
  RC_ASSERT(h.violations().empty());
}

// Two speakers that both connect (so connections collide, RFC 4271 6.8),
// each announcing its own prefix to the other.
class PairSpeaker : public core::Engine {
 public:
  PairSpeaker(int self, bool restarted) : self_(self), restarted_(restarted) {}
  void Handle(core::TimePoint now, const core::Input& input, core::Outbox& out) override {
    sessions_.Handle(now, input, out);
    if (std::holds_alternative<core::InterfacesChanged>(input) && !started_) {
      started_ = true;
      int other = 1 - self_;
      SessionConfig c =
          Peer("other", core::Asn(64600 + self_), 10 + self_, core::Asn(64600 + other),
               A("10.0.0." + std::to_string(other + 1)), false);
      c.local.graceful_restart = true;
      c.local.restarting = restarted_;
      sessions_.SetPeers(now, {c}, out);
      RibOut r;
      r[core::Prefix::Parse("198.51.100." + std::to_string(self_) + "/32").value()] = {};
      sessions_.SetDesired(now, "other", r, out);
    }
  }
  void Advance(core::TimePoint now, core::Outbox& out) override { sessions_.Advance(now, out); }
  core::TimePoint NextDeadline() const override { return sessions_.NextDeadline(); }
  SessionSet& sessions() { return sessions_; }

 private:
  int self_;
  bool restarted_;
  bool started_ = false;
  SessionSet sessions_;
};

RC_GTEST_PROP(BgpConvergence, TwoActiveSpeakersEstablishAndExchange, ()) {
  harness::HarnessOptions options;
  options.seed = *rc::gen::inRange<uint64_t>(1, 1u << 30);
  options.streams.max_pieces = *rc::gen::inRange(1, 8);
  harness::Harness h(options);
  std::vector<harness::NodeId> nodes;
  for (int i = 0; i < 2; ++i) {
    nodes.push_back(
        h.AddNode({"speaker-" + std::to_string(i),
                   {{"eth0", Mac(i + 1), {A("10.0.0." + std::to_string(i + 1))}, "lan"}}}));
  }
  std::vector<std::unique_ptr<PairSpeaker>> engines;
  std::vector<PairSpeaker*> current(2);
  for (int i = 0; i < 2; ++i) {
    engines.push_back(std::make_unique<PairSpeaker>(i, false));
    current[static_cast<size_t>(i)] = engines.back().get();
    h.Start(nodes[static_cast<size_t>(i)], engines.back().get());
  }
  h.RunFor(Duration::Milliseconds(*rc::gen::inRange(0, 10000)));
  const int restarts = *rc::gen::inRange(0, 3);
  for (int k = 0; k < restarts; ++k) {
    const int i = *rc::gen::inRange(0, 2);
    h.Crash(nodes[static_cast<size_t>(i)]);
    h.RunFor(Duration::Milliseconds(*rc::gen::inRange(0, 5000)));
    engines.push_back(std::make_unique<PairSpeaker>(i, true));
    current[static_cast<size_t>(i)] = engines.back().get();
    h.Start(nodes[static_cast<size_t>(i)], engines.back().get());
    h.RunFor(Duration::Milliseconds(*rc::gen::inRange(0, 10000)));
  }
  h.RunFor(Duration::Seconds(90));
  for (int i = 0; i < 2; ++i) {
    Session* s = current[static_cast<size_t>(i)]->sessions().Find("other");
    RC_ASSERT(s != nullptr);
    RC_ASSERT(s->state() == FsmState::kEstablished);
    const auto& routes = s->rib_in().routes();
    RC_ASSERT(routes.size() == 1u);
    RC_ASSERT(routes.begin()->first ==
              core::Prefix::Parse("198.51.100." + std::to_string(1 - i) + "/32").value());
    RC_ASSERT(s->rib_in().stale_count() == 0u);
  }
  RC_ASSERT(h.violations().empty());
}

}  // namespace
}  // namespace vipcast::bgp
