// Scenario loading (sim/scenario): the spec's example gives the expected
// model, every topology file loads, and each kind of invalid scenario gets
// exactly the problem lines a user would see.
#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>
#include <vector>

#include "sim/scenario/loader.h"
#include "sim/scenario/manifest_set.h"
#include "sim/scenario/topology.h"
#include "sim/scenario/yaml_text.h"

namespace vipcast::sim {
namespace {

using core::Duration;

const std::string kSource = VIPCAST_SOURCE_DIR;
const std::string kTopologies = kSource + "/sim/topologies";
const std::string kScenarios = kSource + "/sim/scenarios";

std::vector<std::string> Lines(const std::vector<Problem>& problems) {
  std::vector<std::string> out;
  for (const auto& p : problems) out.push_back(p.ToString());
  return out;
}

// Fails with the problems' text when the scenario does not load.
Scenario MustLoad(const ScenarioResult& result) {
  if (!result.ok()) {
    for (const auto& line : Lines(result.error())) ADD_FAILURE() << line;
    return Scenario{};
  }
  return *result;
}

ScenarioResult LoadText(const std::string& text) {
  return LoadScenarioText("t.yaml", text, kScenarios, kTopologies);
}

// A small valid scenario; the table below edits one line of it at a time.
// Line numbers matter: the expected messages name them.
const std::string kBase =
    "name: t\n"                                                          // 1
    "topology: l2-switch\n"                                              // 2
    "params: {nodes: 3, clients: 1}\n"                                   // 3
    "duration: 30s\n"                                                    // 4
    "manifests:\n"                                                       // 5
    "  - manifests/l2-basic.yaml\n"                                      // 6
    "  - apiVersion: v1\n"                                               // 7
    "    kind: Service\n"                                                // 8
    "    metadata: {name: web, namespace: default}\n"                    // 9
    "    spec:\n"                                                        // 10
    "      type: LoadBalancer\n"                                         // 11
    "      ports: [{port: 80, protocol: TCP}]\n"                         // 12
    "endpoints:\n"                                                       // 13
    "  default/web: [node-0, node-1, node-2]\n"                          // 14
    "traffic:\n"                                                         // 15
    "  - {name: probe, from: client-0, to: default/web, every: 10ms}\n"  // 16
    "faults:\n"                                                          // 17
    "  - {at: 10s, crash: announcer(default/web)}\n"                     // 18
    "expect:\n"                                                          // 19
    "  - max_outage: {traffic: probe, limit: 1s}\n";                     // 20

// `text` with `from` replaced by `to` (which must occur exactly once).
std::string Replace(std::string text, const std::string& from, const std::string& to) {
  const size_t at = text.find(from);
  EXPECT_NE(at, std::string::npos) << from;
  if (at == std::string::npos) return text;
  EXPECT_EQ(text.find(from, at + 1), std::string::npos) << from;
  text.replace(at, from.size(), to);
  return text;
}

std::string With(const std::string& from, const std::string& to) {
  return Replace(kBase, from, to);
}

TEST(ScenarioFile, SpecExampleGivesTheModel) {
  const std::string path = kScenarios + "/l2-announcer-crash.yaml";
  const Scenario s = MustLoad(LoadScenarioFile(path, kTopologies));
  EXPECT_EQ(s.file, path);
  EXPECT_EQ(s.name, "l2-announcer-crash");
  EXPECT_EQ(s.description,
            "Three nodes behind one switch announce a LoadBalancer VIP in layer 2 mode. The node "
            "announcing it crashes at 10 s; another must take over.\n");
  EXPECT_EQ(s.seed, 1u);
  EXPECT_EQ(s.duration, Duration::Seconds(30));
  EXPECT_EQ(s.profile, "default");
  EXPECT_FALSE(s.speaker.probe_interval.has_value());

  EXPECT_EQ(s.topology.kind, "l2-switch");
  EXPECT_EQ(s.topology.nodes, 3u);
  EXPECT_EQ(s.topology.clients, 1u);
  EXPECT_EQ(s.topology.link_rate_bps, 1'000'000'000u);
  EXPECT_EQ(s.topology.link_delay, Duration::Microseconds(1));
  EXPECT_EQ(s.topology.link_loss, 0.0);
  EXPECT_EQ(s.topology.switch_mac_aging, Duration::Seconds(300));
  EXPECT_EQ(s.topology.client_arp, ClientArp::kLinux);
  EXPECT_EQ(s.topology.client_arp_timeout, Duration::Seconds(60));

  ASSERT_EQ(s.manifests.size(), 2u);
  EXPECT_EQ(s.manifests[0].file, kScenarios + "/manifests/l2-basic.yaml");
  EXPECT_EQ(s.manifests[1].file, path + ":12");
  ASSERT_EQ(s.resources.config.pools.size(), 1u);
  EXPECT_EQ(s.resources.config.pools[0].meta.Key(), "metallb-system/first-pool");
  ASSERT_EQ(s.resources.config.l2_advertisements.size(), 1u);
  ASSERT_EQ(s.resources.services.services.size(), 1u);
  const config::Service& web = s.resources.services.services[0];
  EXPECT_EQ(web.meta.Key(), "default/web");
  EXPECT_EQ(web.type, config::ServiceType::kLoadBalancer);
  ASSERT_EQ(web.ports.size(), 1u);
  EXPECT_EQ(web.ports[0].port, 80);
  // The inline document keeps the scenario's line numbers.
  EXPECT_EQ(web.meta.source.file, path + ":12");
  EXPECT_EQ(web.meta.source.line, 12);
  EXPECT_TRUE(s.warnings.empty());

  const std::map<std::string, std::vector<std::string>> endpoints = {
      {"default/web", {"node-0", "node-1", "node-2"}}};
  EXPECT_EQ(s.endpoints, endpoints);

  ASSERT_EQ(s.traffic.size(), 1u);
  const Probe& probe = s.traffic[0];
  EXPECT_EQ(probe.name, "probe");
  EXPECT_EQ(probe.from, "client-0");
  EXPECT_EQ(probe.service, "default/web");
  EXPECT_FALSE(probe.address.has_value());
  EXPECT_EQ(probe.port, 80);
  EXPECT_EQ(probe.every, Duration::Milliseconds(10));
  EXPECT_EQ(probe.protocol, Probe::Protocol::kUdp);
  EXPECT_EQ(probe.line, 22);

  ASSERT_EQ(s.faults.size(), 1u);
  EXPECT_EQ(s.faults[0].at, Duration::Seconds(10));
  EXPECT_EQ(s.faults[0].text, "crash: announcer(default/web)");
  EXPECT_EQ(s.faults[0].line, 28);
  const auto* crash = std::get_if<Crash>(&s.faults[0].action);
  ASSERT_NE(crash, nullptr);
  EXPECT_EQ(crash->host, (HostRef{"", "default/web"}));

  ASSERT_EQ(s.expect.size(), 3u);
  EXPECT_EQ(s.expect[0].text, "max_outage: {traffic: probe, limit: 1s}");
  EXPECT_EQ(s.expect[0].line, 31);
  const auto* outage = std::get_if<MaxOutage>(&s.expect[0].check);
  ASSERT_NE(outage, nullptr);
  EXPECT_EQ(outage->traffic, "probe");
  EXPECT_EQ(outage->limit, Duration::Seconds(1));
  EXPECT_EQ(s.expect[1].text, "announcers: {service: default/web, exactly: 1, from: 15s}");
  const auto* announcers = std::get_if<Announcers>(&s.expect[1].check);
  ASSERT_NE(announcers, nullptr);
  EXPECT_EQ(announcers->service, "default/web");
  EXPECT_EQ(announcers->exactly, std::optional<size_t>(1));
  EXPECT_FALSE(announcers->at_most.has_value());
  EXPECT_EQ(announcers->from, Duration::Seconds(15));
  EXPECT_EQ(s.expect[2].text, "no_spurious_failover: {}");
  EXPECT_TRUE(std::holds_alternative<NoSpuriousFailover>(s.expect[2].check));
}

TEST(ScenarioFile, BaseOfTheTableIsValid) { MustLoad(LoadText(kBase)); }

TEST(ScenarioFile, UnreadableFile) {
  auto result = LoadScenarioFile(kScenarios + "/does-not-exist.yaml", kTopologies);
  ASSERT_FALSE(result.ok());
  EXPECT_EQ(
      Lines(result.error()),
      std::vector<std::string>{kScenarios + "/does-not-exist.yaml: cannot read " + kScenarios +
                               "/does-not-exist.yaml: No such file or directory"});
}

TEST(TopologyFiles, EveryFileLoads) {
  struct Expected {
    std::string name;
    size_t nodes;
    std::string hosts;
  };
  const std::vector<Expected> expected = {
      {"l2-switch", 3, "node-0..node-2, client-0"},
      {"l2-two-switches", 4, "node-0..node-3, client-0"},
      {"bgp-router", 3, "node-0..node-2, client-0, router-0"},
      {"leaf-spine", 4, "node-0..node-3, client-0, spine-0..spine-1, leaf-0..leaf-1"},
  };
  for (const auto& e : expected) {
    SCOPED_TRACE(e.name);
    auto t = LoadTopologyFile(kTopologies + "/" + e.name + ".yaml");
    if (!t.ok()) {
      for (const auto& line : Lines(t.error())) ADD_FAILURE() << line;
      continue;
    }
    EXPECT_EQ(t->name, e.name);
    EXPECT_EQ(t->params.kind, e.name);
    EXPECT_FALSE(t->description.empty());
    EXPECT_EQ(t->params.nodes, e.nodes);
    EXPECT_EQ(HostSet(t->params).Describe(), e.hosts);
  }
  auto leaf_spine = LoadTopologyFile(kTopologies + "/leaf-spine.yaml");
  ASSERT_TRUE(leaf_spine.ok());
  EXPECT_EQ(leaf_spine->params.link_rate_bps, 10'000'000'000u);
  EXPECT_EQ(leaf_spine->params.router_asn, 64501u);
  // Every kind has a file.
  for (const auto& kind : TopologyKinds()) {
    EXPECT_TRUE(LoadTopologyFile(kTopologies + "/" + kind + ".yaml").ok()) << kind;
  }
}

TEST(TopologyFiles, HostRoles) {
  TopologyParams p;
  p.kind = "l2-two-switches";
  p.nodes = 12;
  p.clients = 2;
  const HostSet hosts(p);
  EXPECT_EQ(hosts.RoleOf("node-11"), HostSet::Role::kNode);
  EXPECT_EQ(hosts.RoleOf("node-12"), std::nullopt);
  EXPECT_EQ(hosts.RoleOf("node-01"), std::nullopt);
  EXPECT_EQ(hosts.RoleOf("client-1"), HostSet::Role::kClient);
  EXPECT_EQ(hosts.RoleOf("switch-1"), HostSet::Role::kSwitch);
  EXPECT_EQ(hosts.RoleOf("router-0"), std::nullopt);
  EXPECT_EQ(hosts.RoleOf("node-"), std::nullopt);
  EXPECT_EQ(hosts.RoleOf("node-99999999999999999999"), std::nullopt);
  EXPECT_EQ(hosts.Describe(true), "node-0..node-11, client-0..client-1, switch-0..switch-1");
}

TEST(ScenarioParams, OverridesAndInlineTopology) {
  const Scenario s = MustLoad(
      LoadText(With("params: {nodes: 3, clients: 1}",
                    "params: {nodes: 2000, clients: 2, link_rate: 2.5Gbps, link_delay: 1ms,"
                    " link_loss: 0.01, switch_mac_aging: 5m, client_arp: ignore-garp,"
                    " client_arp_timeout: 1m30s}")));
  EXPECT_EQ(s.topology.nodes, 2000u);
  EXPECT_EQ(s.topology.clients, 2u);
  EXPECT_EQ(s.topology.link_rate_bps, 2'500'000'000u);
  EXPECT_EQ(s.topology.link_delay, Duration::Milliseconds(1));
  EXPECT_DOUBLE_EQ(s.topology.link_loss, 0.01);
  EXPECT_EQ(s.topology.switch_mac_aging, Duration::Minutes(5));
  EXPECT_EQ(s.topology.client_arp, ClientArp::kIgnoreGarp);
  EXPECT_EQ(s.topology.client_arp_timeout, Duration::Seconds(90));

  const Scenario inline_topology = MustLoad(LoadText(
      With("topology: l2-switch\nparams: {nodes: 3, clients: 1}\n",
           "topology: {name: mine, kind: leaf-spine, params: {leaves: 3, nodes_per_leaf: 2}}\n")));
  EXPECT_EQ(inline_topology.topology.kind, "leaf-spine");
  EXPECT_EQ(inline_topology.topology.nodes, 6u);
  EXPECT_EQ(inline_topology.topology.spines, 2u);  // TopologyParams' default
}

TEST(ScenarioFaults, EveryKindSortedByTime) {
  const std::string faults =
      "faults:\n"                                                                  // 17
      "  - {at: 20s, delete: Service/default/web}\n"                               // 18
      "  - at: 5s\n"                                                               // 19
      "    apply:\n"                                                               // 20
      "      - apiVersion: v1\n"                                                   // 21
      "        kind: Service\n"                                                    // 22
      "        metadata: {name: web2, namespace: default}\n"                       // 23
      "        spec: {type: LoadBalancer, ports: [{port: 443, protocol: TCP}]}\n"  // 24
      "  - {at: 5s, crash: node-1}\n"                                              // 25
      "  - {at: 6s, recover: node-1}\n"                                            // 26
      "  - {at: 7s, speaker_stop: announcer(default/web2)}\n"                      // 27
      "  - {at: 7s, speaker_kill: node-2}\n"                                       // 28
      "  - {at: 8s, link_down: {node: node-0, peer: switch-0}}\n"                  // 29
      "  - {at: 8s, link_up: node-0}\n"                                            // 30
      "  - {at: 9s, partition: [[node-0], [node-1, node-2, client-0]]}\n"          // 31
      "  - {at: 9s, heal: {}}\n"                                                   // 32
      "  - {at: 9s, loss: {node: client-0, rate: 0.5, until: 12s}}\n"              // 33
      "  - {at: 9s, delay: {link: [node-1, switch-0], delay: 5ms}}\n"              // 34
      "  - {at: 11s, endpoints: {default/web: [node-0], default/web2: []}}\n"      // 35
      "  - {at: 1s, heal: }\n";                                                    // 36
  const Scenario s =
      MustLoad(LoadText(With("faults:\n  - {at: 10s, crash: announcer(default/web)}\n", faults)));
  std::vector<std::string> texts;
  for (const auto& f : s.faults) texts.push_back(f.at.ToString() + " " + f.text);
  EXPECT_EQ(texts, (std::vector<std::string>{
                       "1s heal: {}",
                       "5s apply: [Service default/web2]",
                       "5s crash: node-1",
                       "6s recover: node-1",
                       "7s speaker_stop: announcer(default/web2)",
                       "7s speaker_kill: node-2",
                       "8s link_down: {node: node-0, peer: switch-0}",
                       "8s link_up: node-0",
                       "9s partition: [[node-0], [node-1, node-2, client-0]]",
                       "9s heal: {}",
                       "9s loss: {node: client-0, rate: 0.5, until: 12s}",
                       "9s delay: {link: [node-1, switch-0], delay: 5ms}",
                       "11s endpoints: {default/web: [node-0], default/web2: []}",
                       "20s delete: Service/default/web",
                   }));
  ASSERT_EQ(s.faults.size(), 14u);
  const auto& apply = std::get<Apply>(s.faults[1].action);
  ASSERT_EQ(apply.manifests.size(), 1u);
  EXPECT_EQ(apply.manifests[0].file, "t.yaml:21");
  // The applied state: the scenario's Service and the new one.
  ASSERT_EQ(apply.resources.services.services.size(), 2u);
  EXPECT_EQ(apply.resources.services.services[1].meta.Key(), "default/web2");
  EXPECT_EQ(apply.resources.config.pools.size(), 1u);
  EXPECT_EQ(std::get<LinkDown>(s.faults[6].action).peer, (HostRef{"switch-0", ""}));
  EXPECT_EQ(std::get<LinkUp>(s.faults[7].action).host, (HostRef{"node-0", ""}));
  EXPECT_FALSE(std::get<LinkUp>(s.faults[7].action).peer.has_value());
  const auto& partition = std::get<Partition>(s.faults[8].action);
  EXPECT_EQ(partition.groups,
            (std::vector<std::vector<std::string>>{{"node-0"}, {"node-1", "node-2", "client-0"}}));
  const auto& loss = std::get<Loss>(s.faults[10].action);
  EXPECT_EQ(loss.host, (HostRef{"client-0", ""}));
  EXPECT_DOUBLE_EQ(loss.rate, 0.5);
  EXPECT_EQ(loss.until, Duration::Seconds(12));
  const auto& delay = std::get<Delay>(s.faults[11].action);
  EXPECT_EQ(delay.link, (std::pair<std::string, std::string>{"node-1", "switch-0"}));
  EXPECT_EQ(delay.delay, Duration::Milliseconds(5));
  const auto& endpoints = std::get<SetEndpoints>(s.faults[12].action);
  EXPECT_EQ(endpoints.endpoints.at("default/web2"), std::vector<std::string>{});
  const auto& del = std::get<Delete>(s.faults[13].action);
  EXPECT_EQ(del.kind, "Service");
  EXPECT_EQ(del.namespace_, "default");
  EXPECT_EQ(del.name, "web");
  // After the delete only the applied Service is left.
  ASSERT_EQ(del.resources.services.services.size(), 1u);
  EXPECT_EQ(del.resources.services.services[0].meta.Key(), "default/web2");
}

TEST(ScenarioFaults, ApplyReplacesAnObject) {
  const std::string faults =
      "faults:\n"
      "  - at: 5s\n"
      "    apply:\n"
      "      - apiVersion: v1\n"
      "        kind: Service\n"
      "        metadata: {name: web, namespace: default}\n"
      "        spec: {type: LoadBalancer, externalTrafficPolicy: Local, ports: [{port: 80}]}\n";
  const Scenario s =
      MustLoad(LoadText(With("faults:\n  - {at: 10s, crash: announcer(default/web)}\n", faults)));
  ASSERT_EQ(s.faults.size(), 1u);
  const auto& apply = std::get<Apply>(s.faults[0].action);
  ASSERT_EQ(apply.resources.services.services.size(), 1u);
  EXPECT_EQ(apply.resources.services.services[0].external_traffic_policy,
            config::TrafficPolicy::kLocal);
}

TEST(ScenarioExpect, EveryKind) {
  const std::string expect =
      "  - max_outage: {traffic: probe, limit: 1s}\n"         // 20
      "  - max_loss: {traffic: probe, limit: 0.05}\n"         // 21
      "  - announcers: {service: default/web, at_most: 1}\n"  // 22
      "  - converged_within: 3s\n"                            // 23
      "  - converged_within: {limit: 2s}\n"                   // 24
      "  - no_spurious_failover:\n"                           // 25
      "  - assignments: {default/web: 192.168.1.240}\n"       // 26
      "  - assignments: {default/web: pending}\n";            // 27
  const Scenario s =
      MustLoad(LoadText(With("  - max_outage: {traffic: probe, limit: 1s}\n", expect)));
  ASSERT_EQ(s.expect.size(), 8u);
  EXPECT_DOUBLE_EQ(std::get<MaxLoss>(s.expect[1].check).limit, 0.05);
  EXPECT_EQ(std::get<Announcers>(s.expect[2].check).at_most, std::optional<size_t>(1));
  EXPECT_EQ(std::get<Announcers>(s.expect[2].check).from, Duration::Zero());
  EXPECT_EQ(std::get<ConvergedWithin>(s.expect[3].check).limit, Duration::Seconds(3));
  EXPECT_EQ(std::get<ConvergedWithin>(s.expect[4].check).limit, Duration::Seconds(2));
  EXPECT_EQ(s.expect[5].text, "no_spurious_failover: {}");
  EXPECT_EQ(std::get<Assignments>(s.expect[6].check).expected.at("default/web"),
            core::IpAddr::Parse("192.168.1.240").value());
  EXPECT_EQ(std::get<Assignments>(s.expect[7].check).expected.at("default/web"), std::nullopt);

  // The BGP checks, on a BGP topology.
  const std::string bgp =
      "  - bgp_sessions: {router: router-0, established: 3, from: 5s}\n"
      "  - routes: {router: router-0, prefix: 192.168.1.240/32, nexthops: [node-0, node-1]}\n";
  const Scenario b =
      MustLoad(LoadText(Replace(With("topology: l2-switch", "topology: bgp-router"),
                                "  - max_outage: {traffic: probe, limit: 1s}\n", bgp)));
  ASSERT_EQ(b.expect.size(), 2u);
  const auto& sessions = std::get<BgpSessions>(b.expect[0].check);
  EXPECT_EQ(sessions.router, "router-0");
  EXPECT_EQ(sessions.established, 3u);
  EXPECT_EQ(sessions.from, Duration::Seconds(5));
  const auto& routes = std::get<Routes>(b.expect[1].check);
  EXPECT_EQ(routes.prefix.ToString(), "192.168.1.240/32");
  EXPECT_EQ(routes.nexthops, (std::vector<std::string>{"node-0", "node-1"}));
}

TEST(ScenarioTraffic, AddressProtocolAndSpeaker) {
  const Scenario s = MustLoad(
      LoadText(With("  - {name: probe, from: client-0, to: default/web, every: 10ms}\n",
                    "  - {name: probe, from: client-0, to: default/web, every: 10ms}\n"
                    "  - {name: direct, from: node-1, to: 10.0.0.1, port: 8080, protocol: tcp}\n"
                    "speaker: {probe_interval: 500ms, garp_refresh: 1m}\n")));
  ASSERT_EQ(s.traffic.size(), 2u);
  EXPECT_EQ(s.traffic[1].address, core::IpAddr::Parse("10.0.0.1").value());
  EXPECT_TRUE(s.traffic[1].service.empty());
  EXPECT_EQ(s.traffic[1].port, 8080);
  EXPECT_EQ(s.traffic[1].every, Duration::Milliseconds(10));
  EXPECT_EQ(s.traffic[1].protocol, Probe::Protocol::kTcp);
  EXPECT_EQ(s.speaker.probe_interval, Duration::Milliseconds(500));
  EXPECT_EQ(s.speaker.garp_refresh, Duration::Minutes(1));
  EXPECT_FALSE(s.speaker.garp_interval.has_value());
}

struct InvalidCase {
  std::string name;
  std::string text;
  std::vector<std::string> problems;
};

class InvalidScenario : public testing::TestWithParam<InvalidCase> {};

TEST_P(InvalidScenario, ReportsExactly) {
  const auto& c = GetParam();
  auto result = LoadText(c.text);
  ASSERT_FALSE(result.ok());
  EXPECT_EQ(Lines(result.error()), c.problems);
}

const std::string kNoSuchFile = kScenarios + "/manifests/nope.yaml";

INSTANTIATE_TEST_SUITE_P(
    Table, InvalidScenario,
    testing::Values(
        InvalidCase{"UnknownTopLevelField",
                    With("duration: 30s", "durration: 30s"),
                    {"t.yaml:4: durration: unknown field; did you mean \"duration\"?"}},
        InvalidCase{"BadDurationUnit",
                    With("duration: 30s", "duration: 30x"),
                    {"t.yaml:4: duration: unknown unit \"x\" in duration \"30x\""}},
        InvalidCase{"DurationWithoutUnit",
                    With("duration: 30s", "duration: 30"),
                    {"t.yaml:4: duration: missing unit in duration \"30\""}},
        InvalidCase{"ZeroDuration",
                    With("duration: 30s", "duration: 0s"),
                    {"t.yaml:4: duration: must be more than 0s"}},
        InvalidCase{"NegativeDuration",
                    With("duration: 30s", "duration: -5s"),
                    {"t.yaml:4: duration: negative duration \"-5s\""}},
        InvalidCase{
            "UnknownTopology",
            With("topology: l2-switch", "topology: l2-swich"),
            {"t.yaml:2: topology: unknown topology \"l2-swich\"; did you mean \"l2-switch\"?"}},
        InvalidCase{"TopologyPath",
                    With("topology: l2-switch", "topology: ../topologies/l2-switch"),
                    {"t.yaml:2: topology: unknown topology \"../topologies/l2-switch\" (" +
                     kTopologies + " has bgp-router, l2-switch, l2-two-switches, leaf-spine)"}},
        InvalidCase{"UnknownProfile",
                    With("duration: 30s", "duration: 30s\nprofile: metalb"),
                    {"t.yaml:5: profile: \"metalb\" is not one of default, metallb; did you mean "
                     "\"metallb\"?"}},
        InvalidCase{"UnknownHost",
                    With("[node-0, node-1, node-2]", "[node-0, node-1, node-7]"),
                    {"t.yaml:14: endpoints[\"default/web\"][2]: unknown host \"node-7\" (this "
                     "topology has node-0..node-2, client-0)"}},
        InvalidCase{"TooManyNodes",
                    With("{nodes: 3,", "{nodes: 5000,"),
                    {"t.yaml:3: params.nodes: 5000 is out of range (1-2000)"}},
        InvalidCase{"WrongType",
                    With("{nodes: 3,", "{nodes: three,"),
                    {"t.yaml:3: params.nodes: expected an integer, got \"three\""}},
        InvalidCase{"ParamOfAnotherKind",
                    With("clients: 1}", "clients: 1, routers: 2}"),
                    {"t.yaml:3: params.routers: not a parameter of l2-switch topologies "
                     "(parameters: nodes, clients, link_rate, link_delay, link_loss, "
                     "switch_mac_aging, client_arp, client_arp_timeout)"}},
        InvalidCase{"ParamTypo",
                    With("clients: 1}", "clients: 1, link_rat: 1Gbps}"),
                    {"t.yaml:3: params.link_rat: not a parameter of l2-switch topologies; did you "
                     "mean \"link_rate\"?"}},
        InvalidCase{"BadLinkRate",
                    With("clients: 1}", "clients: 1, link_rate: 1GB}"),
                    {"t.yaml:3: params.link_rate: invalid link rate \"1GB\"; expected a number "
                     "and bps, kbps, Mbps or Gbps, e.g. 1Gbps"}},
        InvalidCase{"BadClientArp",
                    With("clients: 1}", "clients: 1, client_arp: windows}"),
                    {"t.yaml:3: params.client_arp: \"windows\" is not one of linux, ignore-garp"}},
        InvalidCase{"UnknownTraffic",
                    With("{traffic: probe,", "{traffic: prob,"),
                    {"t.yaml:20: expect[0].max_outage.traffic: unknown traffic \"prob\"; did you "
                     "mean \"probe\"?"}},
        InvalidCase{"UnknownServiceInEndpoints",
                    With("  default/web: [", "  default/wbe: ["),
                    {"t.yaml:14: endpoints: unknown service \"default/wbe\"; did you mean "
                     "\"default/web\"?"}},
        InvalidCase{"UnknownServiceInAnnouncer",
                    With("announcer(default/web)", "announcer(default/nope)"),
                    {"t.yaml:18: faults[0].crash: unknown service \"default/nope\" (the manifests "
                     "define default/web)"}},
        InvalidCase{"ServiceNotNamespaced",
                    With("to: default/web", "to: web"),
                    {"t.yaml:16: traffic[0].to: expected a service (NAMESPACE/NAME) or an IP "
                     "address, got \"web\""}},
        InvalidCase{"FaultAfterTheEnd",
                    With("{at: 10s,", "{at: 40s,"),
                    {"t.yaml:18: faults[0].at: 40s is after the end of the scenario (duration: "
                     "30s)"}},
        InvalidCase{"FaultWithoutAt",
                    With("{at: 10s, ", "{"),
                    {"t.yaml:18: faults[0].at: required field is missing"}},
        InvalidCase{"TwoActions",
                    With("crash: announcer(default/web)}", "crash: node-0, recover: node-1}"),
                    {"t.yaml:18: faults[0].recover: a fault has one action; this one also has "
                     "\"crash\""}},
        InvalidCase{"ActionTypo",
                    With("crash: announcer", "crsh: announcer"),
                    {"t.yaml:18: faults[0].crsh: unknown field; did you mean \"crash\"?"}},
        InvalidCase{"NoAction",
                    With(", crash: announcer(default/web)", ""),
                    {"t.yaml:18: faults[0]: a fault needs an action, one of crash, recover, "
                     "speaker_stop, speaker_kill, link_down, link_up, partition, heal, loss, "
                     "delay, apply, delete, endpoints, router_restart"}},
        InvalidCase{"RepeatedAction",
                    With("crash: announcer(default/web)}", "crash: node-0, crash: node-1}"),
                    {"t.yaml:18: faults[0].crash: duplicate field (first set at line 18)"}},
        InvalidCase{
            "LinkToItself",
            With("crash: announcer(default/web)}", "link_down: {node: node-0, peer: node-0}}"),
            {"t.yaml:18: faults[0].link_down.peer: a link joins two different hosts"}},
        InvalidCase{"LossWithoutRate",
                    With("crash: announcer(default/web)}", "loss: {node: node-0}}"),
                    {"t.yaml:18: faults[0].loss.rate: required field is missing"}},
        InvalidCase{"HealWithFields",
                    With("crash: announcer(default/web)}", "heal: {now: true}}"),
                    {"t.yaml:18: faults[0].heal.now: unknown field"}},
        InvalidCase{"UnknownFaultField",
                    With("crash: announcer(default/web)", "seed: 2"),
                    {"t.yaml:18: faults[0].seed: unknown field"}},
        InvalidCase{"SpeakerStopOnClient",
                    With("crash: announcer(default/web)", "speaker_stop: client-0"),
                    {"t.yaml:18: faults[0].speaker_stop: \"client-0\" is a client; expected a "
                     "cluster node"}},
        InvalidCase{"RouterRestartOnL2",
                    With("crash: announcer(default/web)", "router_restart: router-0"),
                    {"t.yaml:18: faults[0].router_restart: unknown host \"router-0\" (this "
                     "topology has node-0..node-2, client-0)"}},
        InvalidCase{"DeleteMissingObject",
                    With("crash: announcer(default/web)", "delete: Service/default/nope"),
                    {"t.yaml:18: faults[0].delete: no Service default/nope exists at 10s (in the "
                     "manifests or applied before)"}},
        InvalidCase{"DeleteUnknownKind",
                    With("crash: announcer(default/web)", "delete: Servce/default/web"),
                    {"t.yaml:18: faults[0].delete: unknown kind \"Servce\"; did you mean "
                     "\"Service\"?"}},
        InvalidCase{"DeleteNodeWithNamespace",
                    With("crash: announcer(default/web)", "delete: Node/default/node-0"),
                    {"t.yaml:18: faults[0].delete: Node objects have no namespace: expected "
                     "Node/NAME"}},
        InvalidCase{"LossRate",
                    With("crash: announcer(default/web)}", "loss: {node: node-0, rate: 1.5}}"),
                    {"t.yaml:18: faults[0].loss.rate: 1.5 is out of range (0-1)"}},
        InvalidCase{
            "LossUntilBeforeAt",
            With("crash: announcer(default/web)}", "loss: {node: node-0, rate: 0.1, until: 5s}}"),
            {"t.yaml:18: faults[0].loss.until: until 5s is not after at 10s"}},
        InvalidCase{"PartitionOverlap",
                    With("crash: announcer(default/web)}",
                         "partition: [[node-0, node-1], [node-1, node-2]]}"),
                    {"t.yaml:18: faults[0].partition[1][0]: \"node-1\" is already in "
                     "faults[0].partition[0][1]"}},
        InvalidCase{"ExactlyAndAtMost",
                    With("max_outage: {traffic: probe, limit: 1s}",
                         "announcers: {service: default/web, exactly: 1, at_most: 2}"),
                    {"t.yaml:20: expect[0].announcers.at_most: set exactly or at_most, not both"}},
        InvalidCase{"NeitherExactlyNorAtMost",
                    With("max_outage: {traffic: probe, limit: 1s}",
                         "announcers: {service: default/web, from: 5s}"),
                    {"t.yaml:20: expect[0].announcers: set exactly or at_most"}},
        InvalidCase{
            "CheckTypo",
            With("max_outage:", "max_outgae:"),
            {"t.yaml:20: expect[0].max_outgae: unknown field; did you mean \"max_outage\"?"}},
        InvalidCase{"BadAssignment",
                    With("max_outage: {traffic: probe, limit: 1s}",
                         "assignments: {default/web: 192.168.1.300}"),
                    {"t.yaml:20: expect[0].assignments[\"default/web\"]: expected an IP address "
                     "or pending, got \"192.168.1.300\""}},
        InvalidCase{"DuplicateTraffic",
                    With("every: 10ms}\n",
                         "every: 10ms}\n  - {name: probe, from: node-0, to: default/web}\n"),
                    {"t.yaml:17: traffic[1].name: duplicate traffic name \"probe\""}},
        InvalidCase{"ProbeTooOften",
                    With("every: 10ms", "every: 100us"),
                    {"t.yaml:16: traffic[0].every: must be at least 1ms"}},
        InvalidCase{
            "InlineManifestError",
            With("type: LoadBalancer", "type: LoadBalancr"),
            {"t.yaml:11: Service default/web: spec.type: expected one of ClusterIP, NodePort, "
             "LoadBalancer, ExternalName, got \"LoadBalancr\"; did you mean "
             "\"LoadBalancer\"?"}},
        InvalidCase{
            "MissingManifestFile",
            With("manifests/l2-basic.yaml", "manifests/nope.yaml"),
            {"t.yaml:6: manifests[0]: cannot read " + kNoSuchFile + ": No such file or directory"}},
        InvalidCase{"NotYaml",
                    "name: [t\n",
                    {"t.yaml:2: YAML syntax error: end of sequence flow not found"}},
        InvalidCase{
            "NotAMap", "- a\n- b\n", {"t.yaml:1: expected a map at the top level, got a list"}},
        InvalidCase{"InlineTopologyKind",
                    With("topology: l2-switch", "topology: {name: x, kind: l3-switch}"),
                    {"t.yaml:2: topology.kind: \"l3-switch\" is not one of l2-switch, "
                     "l2-two-switches, bgp-router, leaf-spine; did you mean \"l2-switch\"?"}},
        InvalidCase{"LeafSpineNodes",
                    With("topology: l2-switch", "topology: leaf-spine"),
                    {"t.yaml:3: params.nodes: not a parameter of leaf-spine topologies (there "
                     "nodes = leaves * nodes_per_leaf)"}},
        InvalidCase{
            "MissingName", With("name: t\n", ""), {"t.yaml:1: name: required field is missing"}}),
    [](const testing::TestParamInfo<InvalidCase>& info) { return info.param.name; });

TEST(InvalidScenario, ReportsEveryProblemInLineOrder) {
  std::string text = With("duration: 30s", "durration: 30s");
  text = Replace(text, "node-2]", "node-7]");
  text = Replace(text, "{at: 10s", "{at: 45s");
  text = Replace(text, "traffic: probe,", "traffic: prob,");
  text = Replace(text, "type: LoadBalancer", "type: LoadBalancr");
  auto result = LoadText(text);
  ASSERT_FALSE(result.ok());
  EXPECT_EQ(Lines(result.error()),
            (std::vector<std::string>{
                "t.yaml:4: durration: unknown field; did you mean \"duration\"?",
                "t.yaml:11: Service default/web: spec.type: expected one of ClusterIP, NodePort, "
                "LoadBalancer, ExternalName, got \"LoadBalancr\"; did you mean \"LoadBalancer\"?",
                "t.yaml:14: endpoints[\"default/web\"][2]: unknown host \"node-7\" (this topology "
                "has node-0..node-2, client-0)",
                "t.yaml:18: faults[0].at: 45s is after the end of the scenario (duration: 30s)",
                "t.yaml:20: expect[0].max_outage.traffic: unknown traffic \"prob\"; did you mean "
                "\"probe\"?",
            }));
}

TEST(InvalidScenario, ProblemsInOtherFilesNameThem) {
  // An apply fault whose manifest file is not a manifest: problems name that
  // file and its lines, after the scenario file's own.
  auto result = LoadText(
      Replace(With("crash: announcer(default/web)}", "apply: [../topologies/l2-switch.yaml]}"),
              "durat", "durrat"));
  ASSERT_FALSE(result.ok());
  EXPECT_EQ(Lines(result.error()),
            (std::vector<std::string>{
                "t.yaml:4: durration: unknown field; did you mean \"duration\"?",
                kTopologies + "/l2-switch.yaml:3: apiVersion: required field is missing",
            }));
}

TEST(InvalidScenario, ConsequenceOfAFaultIsReportedAtTheFault) {
  auto result = LoadText(With(
      "  - {at: 10s, crash: announcer(default/web)}\n",
      "  - {at: 5s, apply: [{apiVersion: metallb.io/v1beta1, kind: L2Advertisement,"
      " metadata: {name: l2b, namespace: metallb-system}, spec: {ipAddressPools: [first-pool]}}]}\n"
      "  - {at: 10s, delete: IPAddressPool/metallb-system/first-pool}\n"
      "  - {at: 20s, delete: IPAddressPool/metallb-system/first-pool}\n"));
  ASSERT_FALSE(result.ok());
  EXPECT_EQ(Lines(result.error()),
            (std::vector<std::string>{
                "t.yaml:19: faults[1]: after this fault: t.yaml:18: L2Advertisement "
                "metallb-system/l2b: spec.ipAddressPools[0]: IPAddressPool \"first-pool\" not "
                "found in namespace metallb-system",
                "t.yaml:20: faults[2].delete: no IPAddressPool metallb-system/first-pool exists "
                "at 20s (in the manifests or applied before)",
            }));
}

TEST(YamlText, EmitKeepingLinesKeepsLinesAndTypes) {
  const std::string source =
      "# comment\n"
      "a: 1\n"
      "b:\n"
      "  - \"2\"\n"
      "  - {c: true, d: null}\n"
      "e: |\n"
      "  two\n"
      "  lines\n";
  auto stream = config::detail::ParseYaml(source);
  ASSERT_TRUE(stream.errors.empty());
  const std::string emitted = EmitKeepingLines(stream.Root(0));
  EXPECT_EQ(emitted,
            "\n"
            "{\"a\": 1,\n"
            "  \"b\":\n"
            "  [\"2\",\n"
            "  {\"c\": true, \"d\": null}],\n"
            "  \"e\": \"two\\nlines\\n\"}\n");
  auto again = config::detail::ParseYaml(emitted);
  ASSERT_TRUE(again.errors.empty());
  const auto root = again.Root(0);
  ASSERT_TRUE(root.IsMap());
  EXPECT_EQ(root.KeyAt(0).Line(), 2);
  EXPECT_EQ(root.ValueAt(1).Item(0).Tag(), "!");  // still a string
  EXPECT_EQ(root.ValueAt(1).Item(1).Line(), 5);
  EXPECT_EQ(root.KeyAt(2).Line(), 6);
  EXPECT_EQ(CompactText(stream.Root(0)),
            "{a: 1, b: [\"2\", {c: true, d: null}], e: \"two\\nlines\\n\"}");
}

// Re-emitting manifests document by document (what inline manifests and
// apply/delete faults go through) changes neither what config reads nor the
// lines of its diagnostics: every manifest in the repository's config test
// data, valid and invalid, loads the same both ways.
TEST(YamlText, ReemittedManifestsLoadTheSame) {
  namespace fs = std::filesystem;
  size_t files = 0;
  for (const char* dir : {"tests/data/config-invalid", "tests/data/metallb-docs", "examples"}) {
    for (const auto& entry : fs::recursive_directory_iterator(kSource + "/" + dir)) {
      if (entry.path().extension() != ".yaml") continue;
      SCOPED_TRACE(entry.path().string());
      std::ifstream in(entry.path());
      std::stringstream text;
      text << in.rdbuf();
      const std::vector<config::ManifestText> original = {
          {entry.path().filename().string(), text.str()}};
      const auto reemitted = detail::ManifestSet::FromTexts(original).Texts();
      const auto a = config::LoadManifests(original);
      const auto b = config::LoadManifests(reemitted);
      EXPECT_TRUE(a.resources == b.resources);
      std::vector<std::string> da, db;
      for (const auto& d : a.diagnostics) da.push_back(d.ToString());
      for (const auto& d : b.diagnostics) db.push_back(d.ToString());
      EXPECT_EQ(da, db);
      ++files;
    }
  }
  EXPECT_GT(files, 50u);
}

}  // namespace
}  // namespace vipcast::sim
