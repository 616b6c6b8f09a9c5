// A tiny deterministic network for BFD engines: every SendDatagram an engine
// emits is delivered to the engine owning the destination address after a
// delay chosen by a policy (or dropped), in simulated time. Used by the unit
// and property tests; no real clock or socket is involved.
#pragma once

#include <algorithm>
#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <optional>
#include <type_traits>
#include <utility>
#include <variant>
#include <vector>

#include "engine/bfd/bfd_engine.h"
#include "engine/core/io.h"
#include "engine/core/rng.h"
#include "engine/wire/bfd/codec.h"

namespace vipcast::bfd::testing {

struct LoopNode {
  LoopNode(uint64_t seed, core::IpAddr addr) : rng(seed), engine(rng), address(addr) {}
  core::Rng rng;
  BfdEngine engine;
  core::IpAddr address;
  // Every action the engine emitted, with the time it was emitted.
  std::vector<std::pair<core::TimePoint, core::Action>> log;
  // Every state change, drained after each step.
  std::vector<StateChange> changes;

  std::vector<std::pair<core::TimePoint, wire::bfd::ControlPacket>> SentPackets() const {
    std::vector<std::pair<core::TimePoint, wire::bfd::ControlPacket>> out;
    for (const auto& [at, action] : log) {
      if (const auto* send = std::get_if<core::SendDatagram>(&action)) {
        auto packet = wire::bfd::Decode(send->payload);
        if (packet.ok()) out.emplace_back(at, packet.value());
      }
    }
    return out;
  }
};

class DatagramLoop {
 public:
  // Decides the fate of one datagram: a delivery delay, or nullopt to drop.
  using Policy = std::function<std::optional<core::Duration>(
      size_t from, size_t to, const core::SendDatagram&, core::TimePoint sent_at)>;

  DatagramLoop() = default;

  size_t AddNode(uint64_t seed, core::IpAddr address) {
    nodes_.push_back(std::make_unique<LoopNode>(seed, address));
    return nodes_.size() - 1;
  }
  LoopNode& node(size_t i) { return *nodes_[i]; }
  core::TimePoint now() const { return now_; }

  void set_policy(Policy policy) { policy_ = std::move(policy); }
  // Subtracted from the sent TTL on delivery (routers crossed).
  void set_ttl_decrement(uint8_t decrement) { ttl_decrement_ = decrement; }

  // Runs `fn(engine, outbox)` on node i at the current time and routes what
  // it emits (AddSession, SetAdminDown, ...).
  template <typename Fn>
  auto With(size_t i, Fn&& fn) {
    core::Outbox out;
    if constexpr (std::is_void_v<decltype(fn(node(i).engine, out))>) {
      fn(node(i).engine, out);
      Collect(i, out);
    } else {
      auto result = fn(node(i).engine, out);
      Collect(i, out);
      return result;
    }
  }

  // Processes every delivery and timer due up to `end`, then sets now to end.
  void RunUntil(core::TimePoint end) {
    for (;;) {
      core::TimePoint next = core::TimePoint::Never();
      if (!in_flight_.empty()) next = in_flight_.begin()->first.first;
      for (const auto& n : nodes_) next = std::min(next, n->engine.NextDeadline());
      if (next > end) break;
      now_ = std::max(now_, next);
      while (!in_flight_.empty() && in_flight_.begin()->first.first <= now_) {
        auto delivery = std::move(in_flight_.begin()->second);
        in_flight_.erase(in_flight_.begin());
        core::Outbox out;
        node(delivery.first).engine.Handle(now_, delivery.second, out);
        Collect(delivery.first, out);
      }
      for (size_t i = 0; i < nodes_.size(); ++i) {
        if (node(i).engine.NextDeadline() <= now_) {
          core::Outbox out;
          node(i).engine.Advance(now_, out);
          Collect(i, out);
        }
      }
    }
    now_ = std::max(now_, end);
  }
  void RunFor(core::Duration d) { RunUntil(now_ + d); }

  // Runs until `predicate()` holds, checking after every event; returns the
  // time it first held, or nullopt if it did not by `deadline`.
  std::optional<core::TimePoint> RunUntilTrue(const std::function<bool()>& predicate,
                                              core::TimePoint deadline) {
    if (predicate()) return now_;
    for (;;) {
      core::TimePoint next = core::TimePoint::Never();
      if (!in_flight_.empty()) next = in_flight_.begin()->first.first;
      for (const auto& n : nodes_) next = std::min(next, n->engine.NextDeadline());
      if (next > deadline) {
        now_ = deadline;
        return std::nullopt;
      }
      RunUntil(next);
      if (predicate()) return now_;
    }
  }

  size_t in_flight() const { return in_flight_.size(); }

 private:
  void Collect(size_t from, core::Outbox& out) {
    for (core::Action& action : out.Drain()) {
      if (const auto* send = std::get_if<core::SendDatagram>(&action)) Route(from, *send);
      node(from).log.emplace_back(now_, std::move(action));
    }
    for (StateChange& c : node(from).engine.DrainStateChanges()) {
      node(from).changes.push_back(std::move(c));
    }
  }

  void Route(size_t from, const core::SendDatagram& send) {
    for (size_t to = 0; to < nodes_.size(); ++to) {
      if (to == from || node(to).address != send.remote.address) continue;
      std::optional<core::Duration> delay = core::Duration::Milliseconds(1);
      if (policy_) delay = policy_(from, to, send, now_);
      if (!delay) return;
      core::DatagramReceived received;
      received.local = send.remote;
      received.remote = send.local;
      received.ttl =
          static_cast<uint8_t>(send.ttl > ttl_decrement_ ? send.ttl - ttl_decrement_ : 0);
      received.payload = send.payload;
      in_flight_.emplace(std::make_pair(now_ + *delay, sequence_++),
                         std::make_pair(to, core::Input(std::move(received))));
      return;
    }
  }

  std::vector<std::unique_ptr<LoopNode>> nodes_;
  // (delivery time, sequence) -> (destination node, input): FIFO among ties.
  std::map<std::pair<core::TimePoint, uint64_t>, std::pair<size_t, core::Input>> in_flight_;
  uint64_t sequence_ = 0;
  core::TimePoint now_ = core::TimePoint::Epoch();
  Policy policy_;
  uint8_t ttl_decrement_ = 0;
};

inline core::IpAddr Ip(const char* text) { return core::IpAddr::Parse(text).value(); }

// A session from `local` to `peer` with `params`.
inline SessionConfig Config(const char* local, const char* peer, HopMode hop = HopMode::kSingleHop,
                            SessionParameters params = {}) {
  SessionConfig config;
  config.key = SessionKey{Ip(peer), Ip(local), hop};
  config.params = params;
  return config;
}

}  // namespace vipcast::bfd::testing
