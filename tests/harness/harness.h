// The deterministic in-process runtime for engine tests: a manual clock, a set
// of engine instances on named L2 segments, a seeded network with delay,
// jitter, loss and duplication, partitions and crashes, an in-process stream
// model, and an ordered trace of everything the engines reported.
//
// Typical use:
//
//   Harness h({.seed = 7});
//   NodeId a = h.AddNode({"node-a", {{"eth0", mac_a, {ip_a}, "lan"}}});
//   MyEngine engine_a(h.rng(a), ...);
//   h.Start(a, &engine_a);
//   h.RunFor(core::Duration::Seconds(30));
//   EXPECT_THAT(h.trace().Facts<core::VipAnnounced>(a), ...);
#pragma once

#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "engine/core/io.h"
#include "engine/core/node_name.h"
#include "engine/core/rng.h"
#include "engine/core/time.h"
#include "tests/harness/link_model.h"
#include "tests/harness/node_id.h"
#include "tests/harness/stream_model.h"
#include "tests/harness/trace.h"

namespace vipcast::harness {

struct InterfaceSpec {
  std::string name;
  core::MacAddr mac;
  std::vector<core::IpAddr> addresses;
  std::string segment;  // the L2 segment (broadcast domain) it is plugged into
  bool up = true;
};

struct NodeSpec {
  std::string name;  // a Kubernetes node name (RFC 1123 subdomain)
  std::vector<InterfaceSpec> interfaces;
};

struct HarnessOptions {
  uint64_t seed = 1;
  // Used by segments without their own SetLinkModel.
  LinkModel default_link;
  StreamOptions streams;
  // Also record every lost, duplicated or partitioned copy in the trace.
  bool trace_network = false;
  // When set, only the facts it accepts enter the trace (the others are
  // dropped as they happen). Long or large runs that read only a few kinds
  // of fact use it to keep the trace bounded: every engine's metrics and logs
  // otherwise accumulate for the whole run. Unset: everything is recorded.
  std::function<bool(const Fact&)> trace_filter;
  core::TimePoint start = core::TimePoint::Epoch();
  // An engine whose NextDeadline() never moves past `now` would spin forever;
  // the harness aborts after this many events at one instant instead.
  uint64_t max_steps_per_instant = 100000;
};

// Counts of frame and datagram copies (one per receiver); streams are
// reliable and not counted here.
struct NetworkStats {
  uint64_t sent = 0;           // copies offered to a link
  uint64_t delivered = 0;      // copies handed to an engine
  uint64_t lost = 0;           // dropped by the link's loss probability
  uint64_t duplicated = 0;     // extra copies made by the link's duplication
  uint64_t partitioned = 0;    // dropped because a partition separated the ends
  uint64_t undeliverable = 0;  // unknown or down interface, nobody holds the
                               // address, TTL exhausted, or the receiver is down
};

// Invariants:
// - Time never goes backwards: every engine call gets a `now` at least as late
//   as the previous call's, and now() only moves forward.
// - Events run in the order (time, node index, kind, sequence): at one instant
//   lower node indices go first; for one node a due timer (Advance) runs before
//   deliveries; deliveries run in the order they were scheduled. Together with
//   drawing every random choice from one seeded Rng, this makes a run a pure
//   function of the seed and the test's calls.
// - An engine is called only while its node is running (between Start and
//   Crash), and every action it emits is processed before the next event.
// - A frame goes to every other running node with an up interface on the
//   sender's segment (engines filter by MAC); a unicast datagram to the node
//   whose up interface holds the destination address; a multicast or
//   broadcast datagram to every other running node on the egress segment.
//   Each copy independently suffers the receiving segment's loss, duplication
//   and delay. Nodes in different partition groups exchange nothing.
// - The harness makes no protocol decisions: it only moves bytes and reports
//   what engines said.
class Harness : private StreamHost {
 public:
  explicit Harness(HarnessOptions options = {});
  ~Harness() override;
  Harness(const Harness&) = delete;
  Harness& operator=(const Harness&) = delete;

  // ------------------------------------------------------------ topology

  // Adds a node, not yet running. Aborts on an invalid node name (a test bug).
  NodeId AddNode(NodeSpec spec);
  void SetLinkModel(std::string_view segment, LinkModel model);
  const LinkModel& link_model(std::string_view segment) const;
  // Changes an interface's state and tells the engine (InterfacesChanged).
  void SetInterfaceUp(NodeId node, std::string_view interface, bool up);

  size_t node_count() const { return nodes_.size(); }
  const core::NodeName& name(NodeId node) const;
  std::vector<core::InterfaceInfo> interfaces(NodeId node) const;
  // The node's own generator, forked from the seed by node index: hand it to
  // the engine. Stable for the harness's lifetime, and independent of the
  // network's draws, so adding loss does not change what engines draw.
  core::Rng& rng(NodeId node);

  // ------------------------------------------------------------ lifecycle

  // Starts driving `engine` (not owned; must outlive its running time) as
  // this node, first with InterfacesChanged at now(). Also restarts a crashed
  // node with a fresh engine.
  void Start(NodeId node, core::Engine* engine);
  // Stops calling the node's engine and drops everything on its way to it.
  void Crash(NodeId node);
  bool running(NodeId node) const;

  // ------------------------------------------------------------ inputs

  // Hands an input (configuration, services, nodes, shutdown...) to a node's
  // engine at now() or at a later time; dropped if the node is not running
  // when it falls due.
  void Inject(NodeId node, core::Input input) { InjectAt(now_, node, std::move(input)); }
  void InjectAt(core::TimePoint at, NodeId node, core::Input input);

  // ------------------------------------------------------------ faults

  // Splits the nodes into groups that cannot reach each other. Nodes not
  // named in any group form one more group together. Replaces any earlier
  // partition.
  void Partition(const std::vector<std::vector<NodeId>>& groups);
  void Heal();
  bool Reachable(NodeId a, NodeId b) const override;

  // ------------------------------------------------------------ running

  core::TimePoint now() const override { return now_; }
  // Runs the earliest event due at or before `limit`; false when there is none.
  bool Step(core::TimePoint limit = core::TimePoint::Never());
  // Runs every event due at or before `t`, then sets the clock to `t`. With
  // periodic timers, `t` must be finite.
  void RunUntil(core::TimePoint t);
  void RunFor(core::Duration d) { RunUntil(now_ + d); }
  // Runs until `done()` holds (checked before each event) or the clock would
  // pass `limit`; returns whether `done()` held.
  bool RunUntil(const std::function<bool()>& done, core::TimePoint limit);

  // ------------------------------------------------------------ observing

  const Trace& trace() const { return trace_; }
  Trace& trace() { return trace_; }
  const NetworkStats& stats() const { return stats_; }
  // Engine contract breaches noticed so far (e.g. writing past the reported
  // stream capacity); tests should expect none.
  const std::vector<std::string>& violations() const { return violations_; }
  size_t open_streams() const { return streams_.open_connections(); }
  // Sees every action an engine emits, before the harness acts on it.
  using ActionObserver = std::function<void(core::TimePoint, NodeId, const core::Action&)>;
  void SetActionObserver(ActionObserver observer) { observer_ = std::move(observer); }

 private:
  struct Node;
  struct PendingKey {
    core::TimePoint at;
    uint32_t node = 0;
    uint64_t seq = 0;
    auto operator<=>(const PendingKey&) const = default;
  };
  struct Pending {
    std::optional<NodeId> from;  // set for network copies, checked against partitions
    Deliverable what;
  };
  struct Attachment {
    NodeId node;
    size_t interface = 0;
  };

  // StreamHost
  core::Rng& network_rng() override { return network_rng_; }
  const LinkModel& default_link() const override { return options_.default_link; }
  bool Alive(NodeId node) const override { return running(node); }
  std::optional<Path> Route(NodeId from, const core::IpAddr& to, uint8_t ttl) const override;
  void Schedule(core::TimePoint at, NodeId to, Deliverable what) override;
  void Violation(NodeId node, std::string what) override;

  Node& NodeAt(NodeId node);
  const Node& NodeAt(NodeId node) const;
  std::optional<Attachment> Owner(const core::IpAddr& address) const;
  std::optional<core::IpAddr> SourceAddress(NodeId from, core::IpFamily family,
                                            std::optional<std::string> segment) const;
  void Call(NodeId node, const std::function<void(core::Engine&, core::Outbox&)>& call);
  void Dispatch(NodeId node, Pending pending);
  void Process(NodeId node, core::Action action);
  void SendFrame(NodeId from, const core::SendFrame& frame);
  void SendDatagram(NodeId from, const core::SendDatagram& datagram);
  // Offers one copy to a link: partition, loss and duplication, then delay.
  void Transmit(NodeId from, NodeId to, const LinkModel& link, const core::Input& input);
  void Record(std::optional<NodeId> node, Fact fact);
  void NetworkEvent(NodeId from, NodeId to, std::string_view what);
  void TellInterfaces(NodeId node);

  HarnessOptions options_;
  core::TimePoint now_;
  core::Rng network_rng_;
  std::vector<std::unique_ptr<Node>> nodes_;
  std::map<std::string, LinkModel, std::less<>> links_;
  // The delivery queue: ordered like a priority queue by (time, node, seq),
  // but a map so that a crash can remove the node's entries.
  std::map<PendingKey, Pending> pending_;
  uint64_t next_seq_ = 0;
  core::TimePoint instant_;
  uint64_t steps_at_instant_ = 0;
  StreamModel streams_;
  Trace trace_;
  NetworkStats stats_;
  std::vector<std::string> violations_;
  ActionObserver observer_;
};

}  // namespace vipcast::harness
