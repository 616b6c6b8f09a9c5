// The simulated world of one scenario run: an ns-3 topology of cluster
// nodes, clients, switches (and later routers), one engine instance
// (speaker::NodeSpeaker) per cluster node run unchanged by an ns-3
// Application, the controller's allocation (engine/ipam) applied to
// Services, probe traffic, fault operations, and a timeline of everything a
// report needs. sim/runner drives it; it makes no protocol decisions.
//
// Time: scenario time 0 = ns-3 time 0. All times are core::TimePoint
// (Epoch + ns-3 time).
#pragma once

#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <optional>
#include <set>
#include <string>
#include <vector>

#include "engine/config/model.h"
#include "engine/core/ip.h"
#include "engine/core/result.h"
#include "engine/core/time.h"
#include "sim/ns3/world_resources.h"
#include "sim/scenario/scenario.h"

namespace vipcast::sim {

struct WorldOptions {
  TopologyParams topology;
  uint64_t seed = 1;
  std::string profile = "default";  // speaker timing profile: "default" | "metallb"
  SpeakerOverrides speaker;
  std::string pcap_prefix;  // non-empty: one pcap per device, "<prefix>-<host>-<dev>.pcap"
};

// One line of the timeline, in time order. Deterministic for a given
// options + call sequence.
struct TimelineEvent {
  core::TimePoint at;
  enum class Kind : uint8_t {
    kVipAnnounced,   // host announces vip (service); detail = interface or mode
    kVipWithdrawn,   // detail = reason ("bgp <reason>" for a BGP advertisement)
    kSession,        // detail = "bgp|bfd|membership peer from->to reason"
    kProbeSent,      // host = probe source, detail = probe name, seq = sequence
    kProbeAnswered,  // host = answering node (who received the request), detail = probe name, seq
                     // (recorded when the answer reaches the probe's source)
    kFault,          // detail = fault text
    kAssignment,     // service -> vip ("pending" when none), by the controller
    kRoute,          // host = router, service = prefix, detail = next-hop hosts
                     // "node-0,node-2" (sorted; empty: no route any more)
  } kind;
  std::string host;
  std::string service;
  std::optional<core::IpAddr> vip;
  uint64_t seq = 0;
  std::string detail;
};

class World {
 public:
  // Builds the topology (hosts named node-<i>, client-<j>, router-<r>) and
  // the engines, not yet started. Errors name the parameter at fault.
  static core::Result<std::unique_ptr<World>> Build(const WorldOptions& options);
  virtual ~World() = default;

  // The controller: allocates VIPs for the Services (ipam::AllocateAll, as
  // vipcast-controller does), writes them as status ingress, and tells every
  // running speaker the new config, services and nodes (Nodes not in
  // `resources` get default Node objects). Effective at the current time.
  virtual void ApplyResources(const config::Resources& resources) = 0;
  // Ready endpoints per service ("ns/name" -> node names), as EndpointSlices.
  virtual void SetEndpoints(const std::map<std::string, std::vector<std::string>>& endpoints) = 0;

  // Faults, effective at the current simulated time.
  virtual core::Status<> Crash(const std::string& host) = 0;  // devices detached, engine gone
  // Reattached with a fresh engine; on a node whose speaker was killed or
  // stopped (host up), a fresh speaker.
  virtual core::Status<> Recover(const std::string& host) = 0;
  virtual core::Status<> SpeakerStop(const std::string& node) = 0;  // ShutdownRequested
  virtual core::Status<> SpeakerKill(const std::string& node) = 0;  // engine gone, host up
  virtual core::Status<> LinkDown(const std::string& host) = 0;
  virtual core::Status<> LinkUp(const std::string& host) = 0;
  virtual core::Status<> Partition(const std::vector<std::vector<std::string>>& groups) = 0;
  virtual void Heal() = 0;
  virtual core::Status<> SetLoss(const std::string& host, double rate) = 0;
  // One link, named by its two ends (hosts, or "switch-<k>"): cut (every
  // frame dropped both ways; the hosts' engines are not told, as with a
  // fault past the first hop), restored, or lossy both ways.
  virtual core::Status<> SetLinkCut(const std::string& a, const std::string& b, bool cut) = 0;
  virtual core::Status<> SetLinkLoss(const std::string& a, const std::string& b, double rate) = 0;
  // Extra delay each way on every link of `host` (no `peer`) or on the one
  // link joining them, on top of params.link_delay; zero removes it.
  virtual core::Status<> SetDelay(const std::string& host, const std::optional<std::string>& peer,
                                  core::Duration delay) = 0;
  // The router's BGP process restarts: every session and route is lost and
  // the router starts over (its links stay up, as a routing daemon restart).
  virtual core::Status<> RouterRestart(const std::string& router) = 0;

  // A request/response probe from `from` to `target` every `every`, from the
  // current time until the end. The target address is resolved at each send
  // when `service` is set (its first assigned VIP; no send while pending).
  virtual core::Status<> AddProbe(const Probe& probe) = 0;

  // Runs `fn` at simulated time `at` (>= now), in schedule order for ties.
  virtual void At(core::TimePoint at, std::function<void()> fn) = 0;
  // Runs the simulation until `end`.
  virtual void RunUntil(core::TimePoint end) = 0;
  virtual core::TimePoint Now() const = 0;

  // Which nodes announce `service`'s VIPs now: its layer 2 owner, and the
  // nodes whose BGP speaker advertises it.
  virtual std::set<std::string> Announcers(const std::string& service) const = 0;
  // The controller's current assignment, nullopt = pending.
  virtual std::optional<core::IpAddr> Assignment(const std::string& service) const = 0;
  virtual const std::vector<TimelineEvent>& Timeline() const = 0;
  virtual std::vector<std::string> Hosts() const = 0;

  // The members `node`'s speaker counts as live (itself included); nullopt
  // when no speaker runs there (crashed, killed).
  virtual std::optional<std::set<std::string>> LiveMembers(const std::string& node) const = 0;
  // What the controller currently hands the speakers (config, Services with
  // their assigned VIPs, Nodes): for tests that compute the expected outcome.
  virtual ControllerView Controller() const = 0;

  // BGP routers: sessions in Established now (0 for an unknown or crashed
  // router), and the hosts whose addresses are `prefix`'s ECMP next hops
  // in the router's FIB now (sorted).
  virtual size_t BgpSessionsEstablished(const std::string& router) const = 0;
  virtual std::vector<std::string> Routes(const std::string& router,
                                          const core::Prefix& prefix) const = 0;
};

}  // namespace vipcast::sim
