#include "tests/unit/membership/cluster_sim.h"

#include <cassert>
#include <utility>

namespace vipcast::membership::testing {

using core::Duration;
using core::TimePoint;

ClusterSim::ClusterSim(SimOptions options)
    : options_(std::move(options)), net_rng_(core::Rng(options_.seed).Fork(0xC0FFEE)) {}

core::Bytes ClusterSim::DefaultKey() {
  core::Bytes key(32);
  for (size_t i = 0; i < key.size(); ++i) key[i] = static_cast<uint8_t>(0xA0 + i);
  return key;
}

size_t ClusterSim::AddNode(const std::string& name, const std::vector<size_t>& seed_nodes,
                           bool start) {
  const size_t index = nodes_.size();
  Node n;
  n.name = core::NodeName::Parse(name).value();
  n.endpoint =
      core::Endpoint{core::Ipv4Addr::FromOctets(10, static_cast<uint8_t>(index >> 8 & 0xff),
                                                static_cast<uint8_t>(index & 0xff), 1),
                     7946};
  for (size_t s : seed_nodes) n.seeds.push_back(nodes_.at(s).endpoint);
  n.key = DefaultKey();
  n.profile = options_.profile;
  by_endpoint_[n.endpoint] = index;
  nodes_.push_back(std::move(n));
  if (start) Start(index);
  return index;
}

void ClusterSim::AddNodes(size_t n) {
  for (size_t i = 0; i < n; ++i) {
    AddNode("node-" + std::to_string(i), i == 0 ? std::vector<size_t>{} : std::vector<size_t>{0});
  }
}

void ClusterSim::Start(size_t index) {
  Node& n = nodes_[index];
  assert(!n.engine);
  MembershipConfig config;
  config.self = n.name;
  config.endpoint = n.endpoint;
  config.seeds = n.seeds;
  config.profile = n.profile;
  config.key = n.key;
  config.boot_id = ++n.boot_id;
  config.limits = options_.limits;
  n.rng = std::make_unique<core::Rng>(core::Rng(options_.seed).Fork(index * 1000 + n.starts++));
  n.engine = std::make_unique<Membership>(std::move(config), *n.rng);
  Reschedule(index);
}

void ClusterSim::Crash(size_t index) {
  nodes_[index].engine.reset();
  nodes_[index].wake = TimePoint::Never();
  ++nodes_[index].wake_generation;
}

void ClusterSim::Restart(size_t index) {
  if (running(index)) Crash(index);
  Start(index);
}

void ClusterSim::Partition(const std::vector<std::vector<size_t>>& groups) {
  group_.clear();
  for (size_t g = 0; g < groups.size(); ++g) {
    for (size_t n : groups[g]) group_[n] = g;
  }
}

bool ClusterSim::Reachable(size_t a, size_t b) const {
  if (group_.empty()) return true;
  auto ga = group_.find(a);
  auto gb = group_.find(b);
  const size_t x = ga == group_.end() ? SIZE_MAX : ga->second;
  const size_t y = gb == group_.end() ? SIZE_MAX : gb->second;
  return x == y;
}

void ClusterSim::Push(Event e) {
  e.seq = ++seq_;
  queue_.push(std::move(e));
}

void ClusterSim::Reschedule(size_t index) {
  Node& n = nodes_[index];
  if (!n.engine) return;
  const TimePoint next = n.engine->NextDeadline();
  if (next == n.wake) return;
  n.wake = next;
  ++n.wake_generation;
  if (next.IsNever()) return;
  Event e;
  e.at = next < now_ ? now_ : next;
  e.node = index;
  e.wake = true;
  e.generation = n.wake_generation;
  Push(std::move(e));
}

void ClusterSim::Process(size_t index, core::Outbox& out) {
  for (core::Action& action : out.Drain()) {
    if (auto* d = std::get_if<core::SendDatagram>(&action)) {
      Node& from = nodes_[index];
      ++from.traffic.sent;
      from.traffic.sent_bytes += d->payload.size();
      if (send_observer_) send_observer_(index, *d);
      auto to = by_endpoint_.find(d->remote);
      if (to == by_endpoint_.end() || !Reachable(index, to->second)) continue;
      int copies = 1;
      if (options_.loss > 0 && net_rng_.Bernoulli(options_.loss)) copies = 0;
      if (copies == 1 && options_.duplicate > 0 && net_rng_.Bernoulli(options_.duplicate)) {
        copies = 2;
      }
      for (int i = 0; i < copies; ++i) {
        Event e;
        Duration delay = options_.delay;
        if (options_.jitter > Duration::Zero()) {
          delay += Duration::Nanoseconds(net_rng_.UniformInRange(0, options_.jitter.nanoseconds()));
        }
        e.at = now_ + delay;
        e.node = to->second;
        e.datagram.local = d->remote;
        e.datagram.remote = d->local;
        e.datagram.ttl = d->ttl;
        e.datagram.payload = i + 1 == copies ? std::move(d->payload) : d->payload;
        Push(std::move(e));
      }
    } else if (auto* s = std::get_if<core::SessionStateChanged>(&action)) {
      if (options_.record_changes) {
        changes_.push_back(ObservedChange{now_, index, s->peer, s->from, s->to});
      }
    }
  }
  Reschedule(index);
}

void ClusterSim::RunOne(Event e) {
  now_ = e.at;
  Node& n = nodes_[e.node];
  if (!n.engine) return;
  core::Outbox out;
  if (e.wake) {
    if (e.generation != n.wake_generation) return;
    n.wake = TimePoint::Never();
    n.engine->Advance(now_, out);
  } else {
    ++n.traffic.received;
    n.engine->Handle(now_, core::Input(std::move(e.datagram)), out);
  }
  Process(e.node, out);
}

void ClusterSim::RunUntil(TimePoint t) {
  while (!queue_.empty() && queue_.top().at <= t) {
    // Moving out of the top is safe: pop() only compares `at` and `seq`.
    Event e = std::move(const_cast<Event&>(queue_.top()));
    queue_.pop();
    RunOne(std::move(e));
  }
  if (t > now_) now_ = t;
}

bool ClusterSim::RunUntil(const std::function<bool()>& pred, TimePoint limit,
                          Duration check_every) {
  if (pred()) return true;
  TimePoint next_check = now_ + check_every;
  while (!queue_.empty() && queue_.top().at <= limit) {
    // Moving out of the top is safe: pop() only compares `at` and `seq`.
    Event e = std::move(const_cast<Event&>(queue_.top()));
    queue_.pop();
    RunOne(std::move(e));
    if (now_ < next_check) continue;
    if (pred()) return true;
    next_check = now_ + check_every;
  }
  if (limit > now_) now_ = limit;
  return pred();
}

std::optional<size_t> ClusterSim::IndexOf(const std::string& name) const {
  for (size_t i = 0; i < nodes_.size(); ++i) {
    if (nodes_[i].name.str() == name) return i;
  }
  return std::nullopt;
}

void ClusterSim::Leave(size_t index) {
  core::Outbox out;
  nodes_[index].engine->Leave(now_, out);
  Process(index, out);
}

void ClusterSim::SetWatched(size_t index, const std::set<std::string>& names) {
  std::set<core::NodeName> set;
  for (const auto& n : names) set.insert(core::NodeName::Parse(n).value());
  nodes_[index].engine->SetWatched(set);
}

void ClusterSim::InjectDatagram(size_t to, const core::Endpoint& from, core::Bytes payload) {
  if (!running(to)) return;
  core::Outbox out;
  core::DatagramReceived d;
  d.local = nodes_[to].endpoint;
  d.remote = from;
  d.payload = std::move(payload);
  ++nodes_[to].traffic.received;
  nodes_[to].engine->Handle(now_, core::Input(std::move(d)), out);
  Process(to, out);
}

void ClusterSim::ResetTraffic() {
  for (Node& n : nodes_) n.traffic = NodeTraffic{};
}

std::optional<MemberState> ClusterSim::StateOf(size_t observer, size_t subject) const {
  if (!running(observer)) return std::nullopt;
  auto m = nodes_[observer].engine->Member(nodes_[subject].name);
  if (!m) return std::nullopt;
  return m->state;
}

bool ClusterSim::Converged() const {
  for (size_t i = 0; i < nodes_.size(); ++i) {
    if (!running(i)) continue;
    const Membership& observer = *nodes_[i].engine;
    for (size_t j = 0; j < nodes_.size(); ++j) {
      auto m = observer.Member(nodes_[j].name);
      if (running(j)) {
        // Alive, and at the incarnation the node itself holds: then no stale
        // rumour still in some queue can disturb the agreement.
        if (!m || m->state != MemberState::kAlive) return false;
        if (m->incarnation != nodes_[j].engine->incarnation()) return false;
      } else if (m && m->state != MemberState::kDead && m->state != MemberState::kLeft) {
        return false;
      }
    }
  }
  return true;
}

std::optional<TimePoint> ClusterSim::FirstChange(size_t observer, size_t subject,
                                                 const std::string& to, TimePoint since) const {
  const std::string& peer = nodes_[subject].name.str();
  for (const ObservedChange& c : changes_) {
    if (c.node == observer && c.peer == peer && c.to == to && c.at >= since) return c.at;
  }
  return std::nullopt;
}

}  // namespace vipcast::membership::testing
