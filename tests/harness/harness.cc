#include "tests/harness/harness.h"

#include <algorithm>
#include <cstdio>
#include <cstdlib>
#include <utility>

namespace vipcast::harness {
namespace {

// Limited broadcast, IPv4 multicast (224.0.0.0/4) or IPv6 multicast (ff00::/8):
// delivered to the whole segment rather than to one owner.
bool IsGroupAddress(const core::IpAddr& a) {
  if (a.is_v4()) {
    const uint32_t v = a.v4().value();
    return v == 0xffffffffu || (v >> 28) == 0xe;
  }
  return a.v6().IsMulticast();
}

bool IsUnspecified(const core::IpAddr& a) { return a.ToUint128() == 0; }

core::IpAddr Unspecified(core::IpFamily family) { return core::IpAddr::FromUint128(family, 0); }

// Test-setup mistakes are not recoverable conditions of the system under test.
[[noreturn]] void Fatal(const std::string& message) {
  std::fprintf(stderr, "harness: %s\n", message.c_str());
  std::abort();
}

template <typename... F>
struct Overloaded : F... {
  using F::operator()...;
};
template <typename... F>
Overloaded(F...) -> Overloaded<F...>;

}  // namespace

struct Harness::Node {
  core::NodeName name;
  std::vector<InterfaceSpec> interfaces;
  core::Rng rng;
  core::Engine* engine = nullptr;  // non-null exactly while running
  int group = 0;                   // partition group; equal groups reach each other
};

Harness::Harness(HarnessOptions options)
    : options_(std::move(options)),
      now_(options_.start),
      network_rng_(options_.seed),
      instant_(options_.start),
      streams_(*this, options_.streams) {}

Harness::~Harness() = default;

// ---------------------------------------------------------------- topology

NodeId Harness::AddNode(NodeSpec spec) {
  auto name = core::NodeName::Parse(spec.name);
  if (!name) Fatal(name.error());
  const NodeId node{static_cast<uint32_t>(nodes_.size())};
  // Forked by index from the seed alone, so a node's draws do not depend on
  // how much randomness the network or other nodes consumed.
  nodes_.push_back(std::make_unique<Node>(
      Node{*name, std::move(spec.interfaces), network_rng_.Fork(1 + node.index)}));
  return node;
}

void Harness::SetLinkModel(std::string_view segment, LinkModel model) {
  links_.insert_or_assign(std::string(segment), model);
}

const LinkModel& Harness::link_model(std::string_view segment) const {
  auto it = links_.find(segment);
  return it == links_.end() ? options_.default_link : it->second;
}

void Harness::SetInterfaceUp(NodeId node, std::string_view interface, bool up) {
  Node& n = NodeAt(node);
  auto it = std::find_if(n.interfaces.begin(), n.interfaces.end(),
                         [&](const InterfaceSpec& i) { return i.name == interface; });
  if (it == n.interfaces.end()) Fatal("no interface " + std::string(interface));
  it->up = up;
  Record(node, HarnessEvent{"interface " + it->name + (up ? " up" : " down")});
  if (running(node)) TellInterfaces(node);
}

Harness::Node& Harness::NodeAt(NodeId node) {
  if (node.index >= nodes_.size()) Fatal("no node " + std::to_string(node.index));
  return *nodes_[node.index];
}

const Harness::Node& Harness::NodeAt(NodeId node) const {
  if (node.index >= nodes_.size()) Fatal("no node " + std::to_string(node.index));
  return *nodes_[node.index];
}

const core::NodeName& Harness::name(NodeId node) const { return NodeAt(node).name; }

core::Rng& Harness::rng(NodeId node) { return NodeAt(node).rng; }

std::vector<core::InterfaceInfo> Harness::interfaces(NodeId node) const {
  std::vector<core::InterfaceInfo> out;
  for (const InterfaceSpec& i : NodeAt(node).interfaces) {
    out.push_back(core::InterfaceInfo{i.name, i.mac, i.addresses, i.up});
  }
  return out;
}

void Harness::TellInterfaces(NodeId node) {
  Schedule(now_, node, core::Input(core::InterfacesChanged{interfaces(node)}));
}

// ---------------------------------------------------------------- lifecycle

void Harness::Start(NodeId node, core::Engine* engine) {
  if (engine == nullptr) Fatal("Start without an engine");
  Node& n = NodeAt(node);
  if (n.engine != nullptr) Fatal(n.name.str() + " is already running");
  n.engine = engine;
  Record(node, HarnessEvent{"started"});
  TellInterfaces(node);
}

void Harness::Crash(NodeId node) {
  Node& n = NodeAt(node);
  if (n.engine == nullptr) return;
  n.engine = nullptr;
  std::erase_if(pending_, [&](const auto& entry) {
    if (entry.first.node != node.index) return false;
    if (entry.second.from) ++stats_.undeliverable;  // a network copy lost with the node
    return true;
  });
  streams_.OnCrash(node);
  Record(node, HarnessEvent{"crashed"});
}

bool Harness::running(NodeId node) const { return NodeAt(node).engine != nullptr; }

void Harness::InjectAt(core::TimePoint at, NodeId node, core::Input input) {
  Schedule(at, node, std::move(input));
}

// ---------------------------------------------------------------- faults

void Harness::Partition(const std::vector<std::vector<NodeId>>& groups) {
  for (auto& n : nodes_) n->group = 0;
  std::string text = "partition";
  for (size_t g = 0; g < groups.size(); ++g) {
    text += " {";
    for (size_t k = 0; k < groups[g].size(); ++k) {
      NodeAt(groups[g][k]).group = static_cast<int>(g + 1);
      text += (k ? "," : "") + name(groups[g][k]).str();
    }
    text += "}";
  }
  Record(std::nullopt, HarnessEvent{text});
  streams_.OnReachabilityChanged();
}

void Harness::Heal() {
  for (auto& n : nodes_) n->group = 0;
  Record(std::nullopt, HarnessEvent{"healed"});
  streams_.OnReachabilityChanged();
}

bool Harness::Reachable(NodeId a, NodeId b) const { return NodeAt(a).group == NodeAt(b).group; }

// ---------------------------------------------------------------- running

bool Harness::Step(core::TimePoint limit) {
  // The earliest due timer; the lowest node index wins a tie.
  std::optional<std::pair<core::TimePoint, uint32_t>> timer;
  for (uint32_t i = 0; i < nodes_.size(); ++i) {
    const core::Engine* engine = nodes_[i]->engine;
    if (engine == nullptr) continue;
    const core::TimePoint deadline = engine->NextDeadline();
    if (deadline.IsNever()) continue;
    const core::TimePoint at = std::max(deadline, now_);  // overdue timers run now
    if (!timer || at < timer->first) timer = {at, i};
  }
  auto next = pending_.begin();
  const bool have_delivery = next != pending_.end();
  if (!timer && !have_delivery) return false;
  const bool use_timer =
      timer && (!have_delivery || std::pair(timer->first, timer->second) <=
                                      std::pair(next->first.at, next->first.node));
  const core::TimePoint at = use_timer ? timer->first : next->first.at;
  if (at > limit) return false;

  if (at == instant_) {
    if (++steps_at_instant_ > options_.max_steps_per_instant) {
      Fatal("more than " + std::to_string(options_.max_steps_per_instant) + " events at " +
            at.ToString() + ": an engine's NextDeadline() is not moving past now");
    }
  } else {
    instant_ = at;
    steps_at_instant_ = 1;
  }
  now_ = at;

  if (use_timer) {
    Call(NodeId{timer->second},
         [this](core::Engine& engine, core::Outbox& out) { engine.Advance(now_, out); });
  } else {
    const NodeId to{next->first.node};
    Pending pending = std::move(next->second);
    pending_.erase(next);
    Dispatch(to, std::move(pending));
  }
  return true;
}

void Harness::RunUntil(core::TimePoint t) {
  while (Step(t)) {
  }
  if (t > now_) now_ = t;
}

bool Harness::RunUntil(const std::function<bool()>& done, core::TimePoint limit) {
  while (!done()) {
    if (!Step(limit)) {
      if (limit > now_) now_ = limit;
      return done();
    }
  }
  return true;
}

void Harness::Schedule(core::TimePoint at, NodeId to, Deliverable what) {
  pending_.emplace(PendingKey{std::max(at, now_), to.index, next_seq_++},
                   Pending{std::nullopt, std::move(what)});
}

void Harness::Dispatch(NodeId node, Pending pending) {
  if (!running(node)) {
    if (pending.from) ++stats_.undeliverable;
    return;
  }
  // A partition that began while the copy was in flight cuts it too.
  if (pending.from && !Reachable(*pending.from, node)) {
    ++stats_.partitioned;
    NetworkEvent(*pending.from, node, "partitioned in flight");
    return;
  }
  if (auto* input = std::get_if<core::Input>(&pending.what)) {
    if (pending.from) ++stats_.delivered;
    Call(node, [&](core::Engine& engine, core::Outbox& out) { engine.Handle(now_, *input, out); });
    return;
  }
  for (const core::Input& input : streams_.OnTick(std::get<StreamTick>(pending.what))) {
    if (!running(node)) break;
    Call(node, [&](core::Engine& engine, core::Outbox& out) { engine.Handle(now_, input, out); });
  }
}

void Harness::Call(NodeId node, const std::function<void(core::Engine&, core::Outbox&)>& call) {
  core::Outbox out;
  call(*NodeAt(node).engine, out);
  for (core::Action& action : out.Drain()) Process(node, std::move(action));
}

void Harness::Process(NodeId node, core::Action action) {
  if (observer_) observer_(now_, node, action);
  std::visit(Overloaded{
                 [&](const core::SendFrame& a) { SendFrame(node, a); },
                 [&](const core::SendDatagram& a) { SendDatagram(node, a); },
                 [&](const core::Listen& a) { streams_.OnListen(node, a); },
                 [&](const core::StopListening& a) { streams_.OnStopListening(node, a); },
                 [&](const core::Connect& a) { streams_.OnConnect(node, a); },
                 [&](const core::WriteStream& a) { streams_.OnWrite(node, a); },
                 [&](const core::CloseStream& a) { streams_.OnClose(node, a); },
                 // Group datagrams reach the whole segment; engines filter.
                 [&](const core::JoinMulticast&) {},
                 [&](const core::LeaveMulticast&) {},
                 [&](core::VipAnnounced& a) { Record(node, std::move(a)); },
                 [&](core::VipWithdrawn& a) { Record(node, std::move(a)); },
                 [&](core::SessionStateChanged& a) { Record(node, std::move(a)); },
                 [&](core::MetricChanged& a) { Record(node, std::move(a)); },
                 [&](core::Log& a) { Record(node, std::move(a)); },
             },
             action);
}

// ---------------------------------------------------------------- network

std::optional<Harness::Attachment> Harness::Owner(const core::IpAddr& address) const {
  for (uint32_t n = 0; n < nodes_.size(); ++n) {
    const auto& interfaces = nodes_[n]->interfaces;
    for (size_t i = 0; i < interfaces.size(); ++i) {
      if (!interfaces[i].up) continue;
      const auto& addresses = interfaces[i].addresses;
      if (std::find(addresses.begin(), addresses.end(), address) != addresses.end()) {
        return Attachment{NodeId{n}, i};
      }
    }
  }
  return std::nullopt;
}

std::optional<core::IpAddr> Harness::SourceAddress(NodeId from, core::IpFamily family,
                                                   std::optional<std::string> segment) const {
  // Prefer an address on the segment the packet leaves by, as the kernel's
  // source selection would; otherwise any address of the family.
  for (int pass = segment ? 0 : 1; pass < 2; ++pass) {
    for (const InterfaceSpec& i : NodeAt(from).interfaces) {
      if (!i.up || (pass == 0 && i.segment != *segment)) continue;
      for (const core::IpAddr& a : i.addresses) {
        if (a.family() == family) return a;
      }
    }
  }
  return std::nullopt;
}

std::optional<Path> Harness::Route(NodeId from, const core::IpAddr& to, uint8_t ttl) const {
  auto owner = Owner(to);
  if (!owner) return std::nullopt;
  const InterfaceSpec& in = NodeAt(owner->node).interfaces[owner->interface];
  Path path;
  path.to = owner->node;
  path.to_interface = in.name;
  path.link = link_model(in.segment);
  if (owner->node == from) {  // loopback: instant and lossless
    path.source = to;
    path.received_ttl = ttl;
    path.link = LinkModel{.delay = core::Duration::Zero()};
    return path;
  }
  const auto& mine = NodeAt(from).interfaces;
  const bool direct = std::any_of(mine.begin(), mine.end(), [&](const InterfaceSpec& i) {
    return i.up && i.segment == in.segment;
  });
  // Off-segment destinations are one router away, which costs one TTL: what
  // RFC 5881 single-hop BFD and RFC 5082 GTSM checks look at.
  if (!direct && ttl <= 1) return std::nullopt;
  path.received_ttl = direct ? ttl : static_cast<uint8_t>(ttl - 1);
  path.source = SourceAddress(from, to.family(), direct ? std::optional(in.segment) : std::nullopt)
                    .value_or(Unspecified(to.family()));
  return path;
}

void Harness::SendFrame(NodeId from, const core::SendFrame& frame) {
  const auto& mine = NodeAt(from).interfaces;
  auto out = std::find_if(mine.begin(), mine.end(),
                          [&](const InterfaceSpec& i) { return i.name == frame.interface; });
  if (out == mine.end()) {
    Violation(from, "SendFrame on unknown interface \"" + frame.interface + "\"");
    return;
  }
  if (!out->up) {
    ++stats_.undeliverable;
    return;
  }
  const LinkModel& link = link_model(out->segment);
  for (uint32_t n = 0; n < nodes_.size(); ++n) {
    if (n == from.index) continue;
    for (const InterfaceSpec& in : nodes_[n]->interfaces) {
      if (!in.up || in.segment != out->segment) continue;
      Transmit(from, NodeId{n}, link, core::FrameReceived{in.name, frame.frame});
    }
  }
}

void Harness::SendDatagram(NodeId from, const core::SendDatagram& d) {
  const core::IpFamily family = d.remote.address.family();
  if (IsGroupAddress(d.remote.address)) {
    // The egress interface: named, else the one holding the source address,
    // else the first with an address of the family.
    const auto& mine = NodeAt(from).interfaces;
    auto out = std::find_if(mine.begin(), mine.end(), [&](const InterfaceSpec& i) {
      if (!d.interface.empty()) return i.name == d.interface;
      return std::find(i.addresses.begin(), i.addresses.end(), d.local.address) !=
             i.addresses.end();
    });
    if (out == mine.end() && !d.interface.empty()) {
      Violation(from, "SendDatagram on unknown interface \"" + d.interface + "\"");
      return;
    }
    if (out == mine.end()) {
      out = std::find_if(mine.begin(), mine.end(), [&](const InterfaceSpec& i) {
        return i.up && std::any_of(i.addresses.begin(), i.addresses.end(),
                                   [&](const core::IpAddr& a) { return a.family() == family; });
      });
    }
    if (out == mine.end() || !out->up) {
      ++stats_.undeliverable;
      return;
    }
    core::IpAddr source = d.local.address;
    if (IsUnspecified(source) || source.family() != family) {
      source = SourceAddress(from, family, out->segment).value_or(Unspecified(family));
    }
    const LinkModel& link = link_model(out->segment);
    for (uint32_t n = 0; n < nodes_.size(); ++n) {
      if (n == from.index) continue;
      for (const InterfaceSpec& in : nodes_[n]->interfaces) {
        if (!in.up || in.segment != out->segment) continue;
        Transmit(from, NodeId{n}, link,
                 core::DatagramReceived{d.remote, core::Endpoint{source, d.local.port}, d.ttl,
                                        d.payload, in.name});
      }
    }
    return;
  }

  auto path = Route(from, d.remote.address, d.ttl);
  if (!path) {
    ++stats_.undeliverable;
    return;
  }
  const core::IpAddr source = IsUnspecified(d.local.address) ? path->source : d.local.address;
  Transmit(from, path->to, path->link,
           core::DatagramReceived{d.remote, core::Endpoint{source, d.local.port},
                                  path->received_ttl, d.payload, path->to_interface});
}

void Harness::Transmit(NodeId from, NodeId to, const LinkModel& link, const core::Input& input) {
  ++stats_.sent;
  if (!running(to)) {
    ++stats_.undeliverable;
    return;
  }
  if (!Reachable(from, to)) {
    ++stats_.partitioned;
    NetworkEvent(from, to, "partitioned");
    return;
  }
  // Draw only for non-zero probabilities: perfect links consume no randomness.
  if (link.loss > 0 && network_rng_.Bernoulli(link.loss)) {
    ++stats_.lost;
    NetworkEvent(from, to, "lost");
    return;
  }
  int copies = 1;
  if (link.duplicate > 0 && network_rng_.Bernoulli(link.duplicate)) {
    ++stats_.duplicated;
    NetworkEvent(from, to, "duplicated");
    copies = 2;
  }
  for (int c = 0; c < copies; ++c) {
    pending_.emplace(PendingKey{now_ + DrawDelay(link, network_rng_), to.index, next_seq_++},
                     Pending{from, input});
  }
}

// ---------------------------------------------------------------- observing

void Harness::Record(std::optional<NodeId> node, Fact fact) {
  if (options_.trace_filter && !options_.trace_filter(fact)) return;
  trace_.Record(TraceEntry{now_, node, node ? name(*node).str() : std::string(), std::move(fact)});
}

void Harness::NetworkEvent(NodeId from, NodeId to, std::string_view what) {
  if (!options_.trace_network) return;
  Record(from, HarnessEvent{std::string(what) + " copy to " + name(to).str()});
}

void Harness::Violation(NodeId node, std::string what) {
  violations_.push_back(name(node).str() + ": " + what);
  Record(node, HarnessEvent{"contract violation: " + what});
}

}  // namespace vipcast::harness
