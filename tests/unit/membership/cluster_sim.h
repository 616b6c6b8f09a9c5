// A small deterministic network for Membership engines: a manual clock, one
// event queue of datagram deliveries and engine wake-ups, seeded loss, delay,
// jitter and duplication, partitions, crashes and restarts. Lean on purpose
// (endpoint routing is a map lookup, nothing is traced unless asked), so that
// the message-rate measurement can run 1000 engines for a simulated minute.
// Membership tests that need only a few nodes also run on the shared
// tests/harness (see harness_test.cc).
//
// Invariants: events run in (time, insertion) order; each node's engine is
// woken at exactly its NextDeadline(); a run is a pure function of the seed
// and the calls made.
#pragma once

#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <optional>
#include <queue>
#include <set>
#include <string>
#include <vector>

#include "engine/core/io.h"
#include "engine/core/rng.h"
#include "engine/core/time.h"
#include "engine/membership/membership.h"

namespace vipcast::membership::testing {

struct SimOptions {
  uint64_t seed = 1;
  TimingProfile profile = DefaultProfile();
  core::Duration delay = core::Duration::Microseconds(200);  // one way
  core::Duration jitter = core::Duration::Microseconds(100);
  double loss = 0;
  double duplicate = 0;
  bool record_changes = true;  // keep every SessionStateChanged in changes()
  Limits limits;
};

struct ObservedChange {
  core::TimePoint at;
  size_t node = 0;  // who observed
  std::string peer;
  std::string from;
  std::string to;
};

struct NodeTraffic {
  uint64_t sent = 0;
  uint64_t sent_bytes = 0;
  uint64_t received = 0;
};

class ClusterSim {
 public:
  explicit ClusterSim(SimOptions options);

  // A 32-byte test key shared by default by every node.
  static core::Bytes DefaultKey();
  // Adds a node named `name` at 10.0.x.y:7946 whose seeds are the endpoints
  // of `seed_nodes`; it starts at now() unless start is false.
  size_t AddNode(const std::string& name, const std::vector<size_t>& seed_nodes, bool start = true);
  // Adds `n` nodes "node-0".."node-<n-1>", each seeded with node 0.
  void AddNodes(size_t n);
  // Per-node overrides, applied at the next (re)start.
  void SetKey(size_t node, core::Bytes key) { nodes_[node].key = std::move(key); }
  void SetProfile(size_t node, TimingProfile p) { nodes_[node].profile = std::move(p); }

  void Start(size_t node);
  void Crash(size_t node);
  // A new engine with a higher boot id and incarnation 0, as after a reboot.
  void Restart(size_t node);
  bool running(size_t node) const { return nodes_[node].engine != nullptr; }

  void Partition(const std::vector<std::vector<size_t>>& groups);
  void Heal() { group_.clear(); }
  void SetLoss(double loss) { options_.loss = loss; }
  void SetDuplicate(double p) { options_.duplicate = p; }

  void RunUntil(core::TimePoint t);
  void RunFor(core::Duration d) { RunUntil(now_ + d); }
  // Runs until pred() holds or the clock passes `limit`; returns whether it
  // held. pred() is checked after every event, or, with a non-zero
  // `check_every`, at most once per that much simulated time (for predicates
  // that cost O(N^2) on big clusters).
  bool RunUntil(const std::function<bool()>& pred, core::TimePoint limit,
                core::Duration check_every = core::Duration::Zero());

  core::TimePoint now() const { return now_; }
  size_t size() const { return nodes_.size(); }
  Membership& engine(size_t node) { return *nodes_[node].engine; }
  const Membership& engine(size_t node) const { return *nodes_[node].engine; }
  const core::NodeName& name(size_t node) const { return nodes_[node].name; }
  const core::Endpoint& endpoint(size_t node) const { return nodes_[node].endpoint; }
  std::optional<size_t> IndexOf(const std::string& name) const;

  // Calls on a node's engine with its outbox processed like any other.
  void Leave(size_t node);
  void SetWatched(size_t node, const std::set<std::string>& names);
  // Delivers raw bytes to a node as if `from` had sent them, now.
  void InjectDatagram(size_t to, const core::Endpoint& from, core::Bytes payload);
  // Observes every datagram sent (sender index, action) before the network.
  void SetSendObserver(std::function<void(size_t, const core::SendDatagram&)> f) {
    send_observer_ = std::move(f);
  }

  const std::vector<ObservedChange>& changes() const { return changes_; }
  void ClearChanges() { changes_.clear(); }
  const NodeTraffic& traffic(size_t node) const { return nodes_[node].traffic; }
  void ResetTraffic();

  // The state `observer` holds for `subject`, if it knows it.
  std::optional<MemberState> StateOf(size_t observer, size_t subject) const;
  // True when every running node sees every running node alive, at the
  // incarnation that node holds itself, and every stopped node (that it
  // knows) dead or left.
  bool Converged() const;
  // First time `observer` recorded `subject` moving to `to` at or after `since`.
  std::optional<core::TimePoint> FirstChange(size_t observer, size_t subject, const std::string& to,
                                             core::TimePoint since) const;

 private:
  struct Node {
    core::NodeName name;
    core::Endpoint endpoint;
    std::vector<core::Endpoint> seeds;
    core::Bytes key;
    TimingProfile profile;
    uint64_t boot_id = 0;
    uint64_t starts = 0;
    std::unique_ptr<core::Rng> rng;
    std::unique_ptr<Membership> engine;
    core::TimePoint wake = core::TimePoint::Never();
    uint64_t wake_generation = 0;
    NodeTraffic traffic;
  };
  struct Event {
    core::TimePoint at;
    uint64_t seq = 0;
    size_t node = 0;
    bool wake = false;  // else a delivery
    uint64_t generation = 0;
    core::DatagramReceived datagram;
  };
  struct Later {
    bool operator()(const Event& a, const Event& b) const {
      return a.at != b.at ? a.at > b.at : a.seq > b.seq;
    }
  };

  void Push(Event e);
  void Process(size_t node, core::Outbox& out);
  void Reschedule(size_t node);
  bool Reachable(size_t a, size_t b) const;
  void RunOne(Event e);

  SimOptions options_;
  core::Rng net_rng_;
  core::TimePoint now_ = core::TimePoint::Epoch();
  uint64_t seq_ = 0;
  std::vector<Node> nodes_;
  std::map<core::Endpoint, size_t> by_endpoint_;
  std::map<size_t, size_t> group_;  // node -> partition group
  std::priority_queue<Event, std::vector<Event>, Later> queue_;
  std::vector<ObservedChange> changes_;
  std::function<void(size_t, const core::SendDatagram&)> send_observer_;
};

}  // namespace vipcast::membership::testing
