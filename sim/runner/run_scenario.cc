#include "sim/runner/run_scenario.h"

#include <algorithm>
#include <map>

#include "engine/wire/bgp/overloaded.h"
#include "sim/runner/analysis.h"
#include "sim/runner/expectations.h"

namespace vipcast::sim {

namespace {

using wire::bgp::Overloaded;

core::TimePoint At(core::Duration d) { return core::TimePoint::Epoch() + d; }

// The YAML key of a fault kind, for the report and the analysis.
std::string KindOf(const FaultAction& action) {
  return std::visit(Overloaded{
                        [](const Crash&) { return "crash"; },
                        [](const Recover&) { return "recover"; },
                        [](const SpeakerStop&) { return "speaker_stop"; },
                        [](const SpeakerKill&) { return "speaker_kill"; },
                        [](const LinkDown&) { return "link_down"; },
                        [](const LinkUp&) { return "link_up"; },
                        [](const Partition&) { return "partition"; },
                        [](const Heal&) { return "heal"; },
                        [](const Loss&) { return "loss"; },
                        [](const Delay&) { return "delay"; },
                        [](const Apply&) { return "apply"; },
                        [](const Delete&) { return "delete"; },
                        [](const SetEndpoints&) { return "endpoints"; },
                        [](const RouterRestart&) { return "router_restart"; },
                    },
                    action);
}

// Fires one fault on the world; returns what it did for the report.
class FaultFirer {
 public:
  FaultFirer(World& world, std::map<std::string, std::vector<std::string>> endpoints)
      : world_(world), endpoints_(std::move(endpoints)) {}

  FiredFault Fire(const Fault& fault) {
    FiredFault fired;
    fired.at = fault.at;
    fired.text = fault.text;
    fired.kind = KindOf(fault.action);
    fired.justifies_failover = fired.kind != "loss" && fired.kind != "delay";
    std::visit(Overloaded{
                   [&](const Crash& f) { OnHost(fired, f.host, &World::Crash); },
                   [&](const Recover& f) { OnHost(fired, f.host, &World::Recover); },
                   [&](const SpeakerStop& f) { OnHost(fired, f.host, &World::SpeakerStop); },
                   [&](const SpeakerKill& f) { OnHost(fired, f.host, &World::SpeakerKill); },
                   [&](const LinkDown& f) { OnHost(fired, f.host, &World::LinkDown); },
                   [&](const LinkUp& f) { OnHost(fired, f.host, &World::LinkUp); },
                   [&](const Partition& f) { Note(fired, world_.Partition(f.groups)); },
                   [&](const Heal&) { world_.Heal(); },
                   [&](const Loss& f) {
                     const std::string host = Resolve(fired, *f.host);
                     if (host.empty()) return;
                     Note(fired, world_.SetLoss(host, f.rate));
                     if (f.until) {
                       world_.At(At(*f.until), [this, host] { (void)world_.SetLoss(host, 0); });
                     }
                   },
                   [&](const Delay&) {},  // rejected by Unsupported()
                   [&](const Apply& f) { world_.ApplyResources(f.resources); },
                   [&](const Delete& f) { world_.ApplyResources(f.resources); },
                   [&](const SetEndpoints& f) {
                     for (const auto& [service, nodes] : f.endpoints) endpoints_[service] = nodes;
                     world_.SetEndpoints(endpoints_);
                   },
                   [&](const RouterRestart& f) { OnHost(fired, f.host, &World::RouterRestart); },
               },
               fault.action);
    return fired;
  }

 private:
  std::string Resolve(FiredFault& fired, const HostRef& ref) {
    if (ref.announcer_of.empty()) return ref.name;
    const std::set<std::string> now = world_.Announcers(ref.announcer_of);
    if (now.empty()) {
      fired.note = "announcer(" + ref.announcer_of + ") had no announcer: nothing happened";
      return {};
    }
    // Deterministic choice when several announce (during a partition).
    if (now.size() > 1) fired.note = std::to_string(now.size()) + " announcers, took the first";
    return *now.begin();
  }

  void OnHost(FiredFault& fired, const HostRef& ref,
              core::Status<> (World::*op)(const std::string&)) {
    fired.host = Resolve(fired, ref);
    if (fired.host.empty()) return;
    Note(fired, (world_.*op)(fired.host));
  }

  static void Note(FiredFault& fired, const core::Status<>& result) {
    if (!result.ok()) fired.note = result.error();
  }

  World& world_;
  std::map<std::string, std::vector<std::string>> endpoints_;
};

}  // namespace

std::vector<Problem> Unsupported(const Scenario& scenario) {
  std::vector<Problem> problems;
  auto add = [&](int line, const std::string& field, const std::string& message) {
    problems.push_back({scenario.file, line, field, message});
  };
  const std::string& kind = scenario.topology.kind;
  const bool has_routers = kind == "bgp-router" || kind == "leaf-spine";
  for (size_t i = 0; i < scenario.traffic.size(); ++i) {
    if (scenario.traffic[i].protocol == Probe::Protocol::kTcp) {
      add(scenario.traffic[i].line, "traffic[" + std::to_string(i) + "].protocol",
          "tcp probes are not simulated yet; use udp");
    }
  }
  for (size_t i = 0; i < scenario.faults.size(); ++i) {
    const Fault& f = scenario.faults[i];
    const std::string field = "faults[" + std::to_string(i) + "]";
    std::visit(Overloaded{
                   [&](const LinkDown& l) {
                     if (l.peer)
                       add(f.line, field + ".link_down.peer",
                           "per-link faults are not simulated yet; omit peer to cut all of the "
                           "host's links");
                   },
                   [&](const LinkUp& l) {
                     if (l.peer)
                       add(f.line, field + ".link_up.peer",
                           "per-link faults are not simulated yet; omit peer");
                   },
                   [&](const Loss& l) {
                     if (l.link)
                       add(f.line, field + ".loss.link",
                           "loss on one named link is not simulated yet; name a node instead");
                   },
                   [&](const Delay&) {
                     add(f.line, field + ".delay",
                         "delay faults are not simulated yet; set link_delay in params");
                   },
                   [&](const RouterRestart&) {
                     if (!has_routers)
                       add(f.line, field + ".router_restart",
                           "topology '" + kind + "' has no routers");
                   },
                   [](const auto&) {},
               },
               f.action);
  }
  for (size_t i = 0; i < scenario.expect.size(); ++i) {
    const Expectation& e = scenario.expect[i];
    if ((std::holds_alternative<BgpSessions>(e.check) || std::holds_alternative<Routes>(e.check)) &&
        !has_routers) {
      add(e.line, "expect[" + std::to_string(i) + "]",
          "BGP expectations need a topology with routers (bgp-router, leaf-spine); '" + kind +
              "' has none");
    }
  }
  return problems;
}

core::Result<RunOutput> RunScenario(const Scenario& scenario, const RunOptions& options) {
  WorldOptions wo;
  wo.topology = scenario.topology;
  wo.seed = options.seed;
  wo.profile = scenario.profile;
  wo.speaker = scenario.speaker;
  wo.pcap_prefix = options.pcap_prefix;
  auto built = World::Build(wo);
  if (!built.ok()) return core::MakeErr(built.error());
  World& world = **built;

  world.ApplyResources(scenario.resources);
  world.SetEndpoints(scenario.endpoints);
  for (const Probe& probe : scenario.traffic) {
    auto added = world.AddProbe(probe);
    if (!added.ok()) return core::MakeErr("traffic " + probe.name + ": " + added.error());
  }
  RunOutput out;
  out.result.seed = options.seed;
  FaultFirer firer(world, scenario.endpoints);
  for (const Fault& fault : scenario.faults) {
    world.At(At(fault.at),
             [&out, &firer, &fault] { out.result.faults.push_back(firer.Fire(fault)); });
  }
  world.RunUntil(At(scenario.duration));

  RunResult& r = out.result;
  out.timeline = world.Timeline();
  out.hosts = world.Hosts();
  for (const Probe& probe : scenario.traffic) {
    r.probes.push_back(AnalyzeProbe(out.timeline, probe.name, scenario.duration));
  }
  r.announcers = AnnouncerHistory(out.timeline, r.faults);
  r.failovers = Failovers(AnnouncerHistory(out.timeline, r.faults, /*layer2_only=*/true), r.faults,
                          ClusterFormedAt(out.timeline));
  r.bgp_sessions = RouterSessionHistory(out.timeline);
  r.routes = RouteHistory(out.timeline);
  for (const config::Service& service : scenario.resources.services.services) {
    if (service.type != config::ServiceType::kLoadBalancer) continue;
    r.assignments[service.meta.Key()] = world.Assignment(service.meta.Key());
  }
  const CheckInputs in{scenario, r, scenario.duration};
  for (const Expectation& e : scenario.expect) r.checks.push_back(Evaluate(e, in));
  return out;
}

}  // namespace vipcast::sim
