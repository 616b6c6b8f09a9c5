// Issue 5: the layer 2 convergence properties of issue 3, through the real
// ns-3 runtime (sim/ns3) instead of the in-process harness. rapidcheck
// draws a 3..10 node l2-switch cluster with 1..3 services and a schedule of
// up to five faults in [3 s, 20 s): crashes, recoveries, speaker kills and
// graceful stops, links down and up, partitions, heals and loss up to 20%.
// At 21 s every partition heals, every link comes up and loss stops; after
// kSettle more the test checks that
//  (1) every node whose speaker runs holds the same live member set, the
//      set of those nodes;
//  (2) each service's VIP is announced by exactly one node, the winner of a
//      from-scratch election over that set (so never by an ineligible one);
//  (3) every client probe sent in the last kProbeWindow is answered (the
//      client followed the final owner's gratuitous ARP, also after a
//      healed partition).
// A failing case shrinks to the fewest, simplest faults and prints them.
#include <gtest/gtest.h>
#include <rapidcheck.h>
#include <rapidcheck/gtest.h>

#include <map>
#include <set>
#include <sstream>
#include <string>
#include <vector>

#include "engine/config/loader.h"
#include "engine/election/election.h"
#include "sim/ns3/world.h"
#include "sim/runner/analysis.h"

namespace vipcast::sim {
namespace {

using core::Duration;

constexpr Duration kFaultsEnd = Duration::Seconds(21);
// Bound after the last fault: a healed partition is found by push-pull
// (5 s in the default profile), then detection (< 0.5 s), join quiet and
// an announcement round; 10 s leaves margin for loss during the faults.
constexpr Duration kSettle = Duration::Seconds(12);
constexpr Duration kProbeWindow = Duration::Seconds(3);

enum class Kind { kCrash, kRecover, kKill, kStop, kLinkDown, kLinkUp, kPartition, kHeal, kLoss };

struct Step {
  int at_ms = 0;
  Kind kind = Kind::kCrash;
  int node = 0;        // index modulo the cluster size
  int split = 1;       // partition: nodes below split (mod n) on one side
  int loss_pct = 0;    // 0..20
};

std::string Name(int i) { return "node-" + std::to_string(i); }

std::ostream& operator<<(std::ostream& os, const Step& s) {
  static const char* kNames[] = {"crash",   "recover", "speaker_kill", "speaker_stop", "link_down",
                                 "link_up", "partition", "heal",       "loss"};
  return os << "{" << s.at_ms << "ms " << kNames[static_cast<int>(s.kind)] << " node=" << s.node
            << " split=" << s.split << " loss=" << s.loss_pct << "%}";
}

}  // namespace
}  // namespace vipcast::sim

namespace rc {
template <>
struct Arbitrary<vipcast::sim::Step> {
  static Gen<vipcast::sim::Step> arbitrary() {
    using vipcast::sim::Kind;
    using vipcast::sim::Step;
    return gen::build<Step>(
        gen::set(&Step::at_ms, gen::inRange(3000, 20000)),
        gen::set(&Step::kind, gen::element(Kind::kCrash, Kind::kRecover, Kind::kKill, Kind::kStop,
                                           Kind::kLinkDown, Kind::kLinkUp, Kind::kPartition,
                                           Kind::kHeal, Kind::kLoss)),
        gen::set(&Step::node, gen::inRange(0, 10)), gen::set(&Step::split, gen::inRange(1, 10)),
        gen::set(&Step::loss_pct, gen::inRange(0, 21)));
  }
};
}  // namespace rc

namespace vipcast::sim {
namespace {

std::string Manifests(int services) {
  std::string y = R"(apiVersion: metallb.io/v1beta1
kind: IPAddressPool
metadata: {name: pool, namespace: metallb-system}
spec:
  addresses: [192.168.1.240-192.168.1.250]
---
apiVersion: metallb.io/v1beta1
kind: L2Advertisement
metadata: {name: l2, namespace: metallb-system}
)";
  for (int s = 0; s < services; ++s) {
    y += "---\napiVersion: v1\nkind: Service\nmetadata: {name: svc" + std::to_string(s) +
         ", namespace: default}\nspec:\n  type: LoadBalancer\n  ports: [{port: 80, protocol: TCP}]\n";
  }
  return y;
}

RC_GTEST_PROP(Ns3Convergence, FaultSchedulesEndConvergedAndServing, ()) {
  const int n = *rc::gen::inRange(3, 11);
  const int services = *rc::gen::inRange(1, 4);
  const uint64_t seed = *rc::gen::inRange<uint64_t>(1, 1000000);
  auto steps = *rc::gen::container<std::vector<Step>>(*rc::gen::inRange(0, 6),
                                                      rc::gen::arbitrary<Step>());
  std::stable_sort(steps.begin(), steps.end(),
                   [](const Step& a, const Step& b) { return a.at_ms < b.at_ms; });
  std::ostringstream what;
  what << "nodes=" << n << " services=" << services << " seed=" << seed << " faults:";
  for (const Step& s : steps) what << " " << s;
  RC_TAG(n);
  RC_LOG() << what.str() << "\n";

  WorldOptions options;
  options.topology.kind = "l2-switch";
  options.topology.nodes = static_cast<size_t>(n);
  options.topology.clients = 1;
  options.seed = seed;
  auto built = World::Build(options);
  RC_ASSERT(built.ok());
  World& world = **built;
  const config::LoadResult loaded = config::LoadManifests({{"property.yaml", Manifests(services)}});
  RC_ASSERT(loaded.ok());
  world.ApplyResources(loaded.resources);
  std::map<std::string, std::vector<std::string>> endpoints;
  std::vector<std::string> all;
  for (int i = 0; i < n; ++i) all.push_back(Name(i));
  for (int s = 0; s < services; ++s) endpoints["default/svc" + std::to_string(s)] = all;
  world.SetEndpoints(endpoints);
  Probe probe;
  probe.name = "probe";
  probe.from = "client-0";
  probe.service = "default/svc0";
  probe.every = Duration::Milliseconds(20);
  RC_ASSERT(world.AddProbe(probe).ok());

  // The model of which speakers run, updated as faults fire (a fault the
  // world refuses, e.g. recovering a node that is not crashed, changes
  // nothing).
  std::set<int> crashed, gone;  // gone: speaker killed or stopped for good
  std::set<std::string> lossy;
  for (const Step& s : steps) {
    world.At(core::TimePoint::Epoch() + Duration::Milliseconds(s.at_ms), [&, s] {
      const int node = s.node % n;
      const std::string name = Name(node);
      switch (s.kind) {
        case Kind::kCrash:
          if (world.Crash(name).ok()) crashed.insert(node);
          break;
        case Kind::kRecover:
          // Recovery reboots the host and with it a fresh speaker, also on a
          // node whose speaker had been killed or stopped before the crash.
          if (world.Recover(name).ok()) {
            crashed.erase(node);
            gone.erase(node);
          }
          break;
        case Kind::kKill:
          if (world.SpeakerKill(name).ok()) gone.insert(node);
          break;
        case Kind::kStop:
          if (world.SpeakerStop(name).ok()) gone.insert(node);
          break;
        case Kind::kLinkDown:
          (void)world.LinkDown(name);
          break;
        case Kind::kLinkUp:
          (void)world.LinkUp(name);
          break;
        case Kind::kPartition: {
          std::vector<std::vector<std::string>> groups(2);
          const int split = 1 + s.split % (n - 1);
          for (int i = 0; i < n; ++i) groups[i < split ? 0 : 1].push_back(Name(i));
          (void)world.Partition(groups);
          break;
        }
        case Kind::kHeal:
          world.Heal();
          break;
        case Kind::kLoss:
          if (world.SetLoss(name, s.loss_pct / 100.0).ok()) lossy.insert(name);
          break;
      }
    });
  }
  world.At(core::TimePoint::Epoch() + kFaultsEnd, [&] {
    world.Heal();
    for (int i = 0; i < n; ++i) (void)world.LinkUp(Name(i));
    for (const std::string& name : lossy) (void)world.SetLoss(name, 0);
  });
  const Duration end = kFaultsEnd + kSettle;
  world.RunUntil(core::TimePoint::Epoch() + end);

  // (1) one view: the nodes whose speaker runs.
  std::set<std::string> running;
  for (int i = 0; i < n; ++i) {
    if (!crashed.count(i) && !gone.count(i)) running.insert(Name(i));
  }
  for (const std::string& node : running) {
    const auto view = world.LiveMembers(node);
    RC_ASSERT(view.has_value());
    if (*view != running) {
      std::string got;
      for (const auto& m : *view) got += m + " ";
      RC_FAIL(node + " sees live: " + got);
    }
  }
  // (2) the reference election's winner announces each VIP, alone.
  const ControllerView controller = world.Controller();
  election::Election reference;
  reference.SetConfig(*controller.config);
  reference.SetNodes(*controller.nodes);
  reference.SetServices(*controller.services);
  std::set<core::NodeName> members;
  for (const std::string& r : running) members.insert(core::NodeName::Parse(r).value());
  reference.SetMembers(members);
  for (int s = 0; s < services; ++s) {
    const std::string service = "default/svc" + std::to_string(s);
    const auto winner = reference.Winner(service);
    const std::set<std::string> announcers = world.Announcers(service);
    if (winner) {
      RC_ASSERT(announcers == std::set<std::string>{*winner});
    } else {
      RC_ASSERT(announcers.empty());
    }
  }
  // (3) the client is served at the end (when anyone can serve it).
  if (!running.empty()) {
    std::vector<TimelineEvent> window;
    for (const TimelineEvent& e : world.Timeline()) {
      if (e.at.SinceEpoch() >= end - kProbeWindow) window.push_back(e);
    }
    const ProbeStats stats = AnalyzeProbe(window, "probe", end);
    RC_ASSERT(stats.sent > 0u);
    if (stats.answered != stats.sent) {
      RC_FAIL("probes in the last " + kProbeWindow.ToString() + ": " +
              std::to_string(stats.sent - stats.answered) + " of " + std::to_string(stats.sent) +
              " lost");
    }
  }
}

}  // namespace
}  // namespace vipcast::sim
