#include "sim/runner/run_scenario.h"

#include <algorithm>
#include <map>
#include <optional>
#include <string>

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
                   [&](const LinkDown& f) { OnLink(fired, f.host, f.peer, /*cut=*/true); },
                   [&](const LinkUp& f) { OnLink(fired, f.host, f.peer, /*cut=*/false); },
                   [&](const Partition& f) { Note(fired, world_.Partition(f.groups)); },
                   [&](const Heal&) { world_.Heal(); },
                   [&](const Loss& f) {
                     if (f.link) {
                       const std::string a = f.link->first;
                       const std::string b = f.link->second;
                       Note(fired, world_.SetLinkLoss(a, b, f.rate));
                       if (f.until) {
                         world_.At(At(*f.until),
                                   [this, a, b] { (void)world_.SetLinkLoss(a, b, 0); });
                       }
                       return;
                     }
                     const std::string host = Resolve(fired, *f.host);
                     if (host.empty()) return;
                     Note(fired, world_.SetLoss(host, f.rate));
                     if (f.until) {
                       world_.At(At(*f.until), [this, host] { (void)world_.SetLoss(host, 0); });
                     }
                   },
                   [&](const Delay& f) {
                     std::string host;
                     std::optional<std::string> peer;
                     if (f.link) {
                       host = f.link->first;
                       peer = f.link->second;
                     } else {
                       host = Resolve(fired, *f.host);
                       if (host.empty()) return;
                     }
                     Note(fired, world_.SetDelay(host, peer, f.delay));
                     if (f.until) {
                       world_.At(At(*f.until), [this, host, peer] {
                         (void)world_.SetDelay(host, peer, core::Duration());
                       });
                     }
                   },
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

  // link_down/link_up: the host's every link (its carrier), or with a peer
  // the one link to it.
  void OnLink(FiredFault& fired, const HostRef& ref, const std::optional<HostRef>& peer,
              bool cut) {
    if (!peer) {
      OnHost(fired, ref, cut ? &World::LinkDown : &World::LinkUp);
      return;
    }
    fired.host = Resolve(fired, ref);
    if (fired.host.empty()) return;
    Note(fired, world_.SetLinkCut(fired.host, peer->name, cut));
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

// The switch (index) a host of an l2 topology is wired to.
size_t SwitchOf(const TopologyParams& p, const std::string& host) {
  return host.rfind("node-", 0) == 0 ? NodeSwitch(p, std::stoul(host.substr(5))) : 0;
}

// Why [a, b] is not a link of the topology (the loader has checked that both
// names exist), or nullopt when it is one.
std::optional<std::string> LinkProblem(const TopologyParams& p, const std::string& a,
                                       const std::string& b) {
  auto is = [](const std::string& name, const char* prefix) { return name.rfind(prefix, 0) == 0; };
  const std::string no_link = "no link joins " + a + " and " + b + " in " + p.kind + ": ";
  if (p.kind == "l2-switch" || p.kind == "l2-two-switches") {
    if (is(a, "switch-") && is(b, "switch-")) return std::nullopt;  // the inter-switch link
    const std::string& host = is(a, "switch-") ? b : a;
    const std::string& sw = is(a, "switch-") ? a : b;
    const std::string wired = "switch-" + std::to_string(SwitchOf(p, host));
    if (!is(sw, "switch-")) return no_link + "every link joins a host to its switch";
    if (sw != wired) return no_link + host + " is wired to " + wired;
    return std::nullopt;
  }
  if (p.kind == "leaf-spine") {
    if ((is(a, "spine-") && is(b, "leaf-")) || (is(a, "leaf-") && is(b, "spine-"))) {
      return std::nullopt;
    }
    return no_link + "named links join a spine and a leaf; cut a host's links with link_down: HOST";
  }
  return no_link + "its switches have no names; cut a host's links with link_down: HOST";
}

std::vector<Problem> Unsupported(const Scenario& scenario) {
  std::vector<Problem> problems;
  auto add = [&](int line, const std::string& field, const std::string& message) {
    problems.push_back({scenario.file, line, field, message});
  };
  const std::string& kind = scenario.topology.kind;
  const bool has_routers = kind == "bgp-router" || kind == "leaf-spine";
  for (size_t i = 0; i < scenario.faults.size(); ++i) {
    const Fault& f = scenario.faults[i];
    const std::string field = "faults[" + std::to_string(i) + "]";
    auto check_link = [&](const std::string& sub, const std::string& a, const std::string& b) {
      if (auto why = LinkProblem(scenario.topology, a, b)) add(f.line, field + sub, *why);
    };
    std::visit(Overloaded{
                   [&](const LinkDown& l) {
                     if (l.peer && l.host.announcer_of.empty())
                       check_link(".link_down.peer", l.host.name, l.peer->name);
                   },
                   [&](const LinkUp& l) {
                     if (l.peer && l.host.announcer_of.empty())
                       check_link(".link_up.peer", l.host.name, l.peer->name);
                   },
                   [&](const Loss& l) {
                     if (l.link) check_link(".loss.link", l.link->first, l.link->second);
                   },
                   [&](const Delay& d) {
                     if (d.link) check_link(".delay.link", d.link->first, d.link->second);
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

// Whether the scenario uses IPv6: a pool with IPv6 addresses (at the start
// or applied by a fault) or an IPv6 probe target. Only then do the l2
// topologies get their IPv6 side: ns-3 walks a host's whole neighbour cache
// for every IPv6 frame it receives, and at 1000 nodes the start-up IPv6
// chatter alone took most of a run.
bool UsesIpv6(const Scenario& scenario) {
  auto pools_v6 = [](const config::Resources& r) {
    for (const config::IPAddressPool& pool : r.config.pools) {
      for (const core::IpRange& range : pool.ranges) {
        if (range.family() == core::IpFamily::kV6) return true;
      }
    }
    return false;
  };
  if (pools_v6(scenario.resources)) return true;
  for (const Fault& f : scenario.faults) {
    if (const auto* apply = std::get_if<Apply>(&f.action); apply && pools_v6(apply->resources)) {
      return true;
    }
  }
  for (const Probe& probe : scenario.traffic) {
    if (probe.address && probe.address->is_v6()) return true;
  }
  return false;
}

core::Result<RunOutput> RunScenario(const Scenario& scenario, const RunOptions& options) {
  WorldOptions wo;
  wo.topology = scenario.topology;
  wo.topology.ipv6 = UsesIpv6(scenario);
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
