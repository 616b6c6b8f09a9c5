// The ordered record of what happened in a harness run: every observable fact
// an engine emitted (VIP announcements, session changes, metrics, logs) and
// every fault or contract violation the harness saw, each with its time and
// node. Two runs with the same seed produce identical traces; ToString() makes
// that comparison (and a failing run's story) one string.
#pragma once

#include <optional>
#include <string>
#include <variant>
#include <vector>

#include "engine/core/io.h"
#include "engine/core/time.h"
#include "tests/harness/node_id.h"

namespace vipcast::harness {

// Something the harness did or noticed: a crash, restart, partition or heal, a
// contract violation by an engine, and (with HarnessOptions::trace_network)
// each lost, duplicated or partitioned copy.
struct HarnessEvent {
  std::string what;
};

using Fact = std::variant<core::VipAnnounced, core::VipWithdrawn, core::SessionStateChanged,
                          core::MetricChanged, core::Log, HarnessEvent>;

struct TraceEntry {
  core::TimePoint at;
  std::optional<NodeId> node;  // nullopt for harness-wide events such as a partition
  std::string node_name;
  Fact fact;

  // "1.250000000s node-a: vip-announced 10.0.0.1 ns/svc layer2 eth0"
  std::string ToString() const;
};

std::string ToString(const Fact& fact);

// Invariant: entries are in the order they happened, so `at` never decreases.
class Trace {
 public:
  void Record(TraceEntry entry) { entries_.push_back(std::move(entry)); }
  void Clear() { entries_.clear(); }

  const std::vector<TraceEntry>& entries() const { return entries_; }
  size_t size() const { return entries_.size(); }
  bool empty() const { return entries_.empty(); }

  // The facts of type F, optionally only those of one node, in order.
  template <typename F>
  std::vector<F> Facts(std::optional<NodeId> node = std::nullopt) const {
    std::vector<F> out;
    for (const auto& e : entries_) {
      if (node && e.node != node) continue;
      if (const F* f = std::get_if<F>(&e.fact)) out.push_back(*f);
    }
    return out;
  }

  // One line per entry.
  std::string ToString() const;

 private:
  std::vector<TraceEntry> entries_;
};

}  // namespace vipcast::harness
