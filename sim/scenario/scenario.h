// The typed form of a scenario file (../shared/specs/scenario-format.md):
// what sim/scenario's loader produces from YAML and what sim/runner executes.
// Every value here has been validated; references to hosts are resolved
// against the topology's parameters (node-0..node-N-1, client-0.., router-0..)
// except `announcer(NS/SVC)`, which is resolved when the fault fires.
#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <variant>
#include <vector>

#include "engine/config/loader.h"
#include "engine/core/ip.h"
#include "engine/core/time.h"

namespace vipcast::sim {

// How a client's ARP cache reacts to gratuitous ARP (issue 5).
enum class ClientArp : uint8_t {
  kLinux,       // an existing entry follows a gratuitous ARP, as Linux does
  kIgnoreGarp,  // entries change only on expiry (clients/routers that ignore GARP)
};

// The resolved parameters of a topology: the topology file's defaults,
// overridden by the scenario's `params`.
struct TopologyParams {
  std::string kind;  // "l2-switch", "l2-two-switches", "bgp-router", "leaf-spine"
  size_t nodes = 3;
  size_t clients = 1;
  size_t routers = 1;         // bgp-router
  size_t spines = 2;          // leaf-spine
  size_t leaves = 2;          // leaf-spine
  size_t nodes_per_leaf = 2;  // leaf-spine (nodes = leaves * nodes_per_leaf)
  uint64_t link_rate_bps = 1'000'000'000;
  // ns-3's CSMA channel stays busy for the propagation delay after every
  // frame, so link_delay also caps a link at one frame per (serialisation +
  // delay): 50us allowed about 15,000 frames/s, and the 2,000 gratuitous ARPs
  // of 1,000 VIPs queued membership acks for 100 ms and more. 1us (a short
  // cable and a cut-through switch) keeps bursts from queueing.
  core::Duration link_delay = core::Duration::Microseconds(1);
  double link_loss = 0;  // random loss on every host link, both directions
  core::Duration switch_mac_aging = core::Duration::Seconds(300);
  ClientArp client_arp = ClientArp::kLinux;
  core::Duration client_arp_timeout = core::Duration::Seconds(60);
  // Not read from the file: the runner sets it when the scenario uses IPv6
  // (sim/runner UsesIpv6), and only then do the l2 topologies get IPv6.
  bool ipv6 = false;
  // ASNs for BGP topologies (nodes share one, as MetalLB's myASN).
  uint32_t node_asn = 64500;
  uint32_t router_asn = 64501;
};

// The switch node-<index> of an l2 topology is wired to: l2-two-switches
// puts the first ceil(N/2) nodes on switch 0 and the rest on switch 1
// (clients are on switch 0); every other kind has one node switch, 0.
inline size_t NodeSwitch(const TopologyParams& params, size_t index) {
  return params.kind == "l2-two-switches" && index >= (params.nodes + 1) / 2 ? 1 : 0;
}

// A host named in a scenario: "node-3", "client-0", "router-1", or
// `announcer(NS/SVC)` (service set, name empty) resolved at fault time.
struct HostRef {
  std::string name;
  std::string announcer_of;  // "default/web" when this is announcer(...)
  bool operator==(const HostRef&) const = default;
};

struct Probe {
  std::string name;
  std::string from;  // host name
  // Exactly one of: a service ("default/web", its first ingress IP when the
  // probe fires) or a literal address.
  std::string service;
  std::optional<core::IpAddr> address;
  uint16_t port = 80;
  core::Duration every = core::Duration::Milliseconds(10);
  enum class Protocol : uint8_t { kUdp, kTcp } protocol = Protocol::kUdp;
  int line = 0;  // for messages at run time
};

// --- faults (spec "faults"); `at` is relative to the scenario start.
struct Crash { HostRef host; };
struct Recover { HostRef host; };
struct SpeakerStop { HostRef host; };
struct SpeakerKill { HostRef host; };
struct LinkDown { HostRef host; std::optional<HostRef> peer; };
struct LinkUp { HostRef host; std::optional<HostRef> peer; };
struct Partition { std::vector<std::vector<std::string>> groups; };
struct Heal {};
struct Loss {
  std::optional<HostRef> host;            // a host's link(s)
  std::optional<std::pair<std::string, std::string>> link;  // one link
  double rate = 0;
  std::optional<core::Duration> until;  // relative to scenario start
};
struct Delay {
  std::optional<HostRef> host;
  std::optional<std::pair<std::string, std::string>> link;
  core::Duration delay;
  std::optional<core::Duration> until;
};
struct Apply { std::vector<config::ManifestText> manifests; config::Resources resources; };
struct Delete {
  std::string kind, namespace_, name;  // namespace_ empty for Node and Namespace
  config::Resources resources;         // everything applied so far, without this object
};
struct SetEndpoints { std::map<std::string, std::vector<std::string>> endpoints; };
struct RouterRestart { HostRef host; };

using FaultAction = std::variant<Crash, Recover, SpeakerStop, SpeakerKill, LinkDown, LinkUp,
                                 Partition, Heal, Loss, Delay, Apply, Delete, SetEndpoints,
                                 RouterRestart>;
struct Fault {
  core::Duration at;
  FaultAction action;
  std::string text;  // as written, for the report's fault timeline ("crash: announcer(default/web)")
  int line = 0;
};

// --- expectations (spec "expect")
struct MaxOutage { std::string traffic; core::Duration limit; };
struct MaxLoss { std::string traffic; double limit = 0; };
struct Announcers {
  std::string service;
  std::optional<size_t> exactly;
  std::optional<size_t> at_most;
  core::Duration from;
};
struct ConvergedWithin { core::Duration limit; };
struct NoSpuriousFailover {};
struct BgpSessions { std::string router; size_t established = 0; core::Duration from; };
struct Routes {
  std::string router;
  core::Prefix prefix;
  std::vector<std::string> nexthops;  // host names whose address must be the ECMP set
  core::Duration from;
};
struct Assignments { std::map<std::string, std::optional<core::IpAddr>> expected; };  // nullopt = pending

using ExpectationKind = std::variant<MaxOutage, MaxLoss, Announcers, ConvergedWithin,
                                     NoSpuriousFailover, BgpSessions, Routes, Assignments>;
struct Expectation {
  ExpectationKind check;
  std::string text;  // as written, for the report ("max_outage: {traffic: probe, limit: 1s}")
  int line = 0;
};

// Timing overrides from `speaker:` (any unset field keeps the profile's value).
struct SpeakerOverrides {
  std::optional<core::Duration> probe_interval;
  std::optional<core::Duration> probe_timeout;
  std::optional<core::Duration> suspicion_min;
  std::optional<core::Duration> garp_interval;
  std::optional<core::Duration> garp_duration;
  std::optional<core::Duration> garp_refresh;
};

// One problem in a scenario file, printed as "FILE:LINE: FIELD: MESSAGE".
struct Problem {
  std::string file;
  int line = 0;
  std::string field;  // "faults[0].crash", "params.nodes"
  std::string message;
  std::string ToString() const;
};

struct Scenario {
  std::string file;  // the path it was loaded from
  std::string name;
  std::string description;
  uint64_t seed = 1;
  core::Duration duration = core::Duration::Seconds(30);
  TopologyParams topology;
  std::string profile = "default";  // "default" | "metallb"
  SpeakerOverrides speaker;
  std::vector<config::ManifestText> manifests;  // in order, inline ones named "FILE:LINE"
  config::Resources resources;                  // loaded and validated
  std::map<std::string, std::vector<std::string>> endpoints;  // "ns/name" -> node names
  std::vector<Probe> traffic;
  std::vector<Fault> faults;  // sorted by `at`, stable
  std::vector<Expectation> expect;
  // Config warnings (severity warning) from the manifests; a valid scenario
  // may have some. "FILE:LINE: FIELD: warning text" via Problem::ToString.
  std::vector<Problem> warnings;
};

}  // namespace vipcast::sim
