// Properties of the allocator over random sequences of service creates,
// updates, deletes, resyncs and config changes.
#include <gtest/gtest.h>
// rapidcheck/gtest.h needs gtest/gtest.h first.
#include <rapidcheck/gtest.h>

#include <algorithm>

#include "engine/ipam/allocate_all.h"
#include "engine/ipam/allocator.h"
#include "tests/property/ipam/ipam_scenario.h"

namespace vipcast::ipam {
namespace {

using scenario::Op;
using scenario::World;

// After every operation: no incompatible sharing, every address in a pool
// that exists, contains it, allows the service and has the right family,
// and the pool counters equal a recount.
RC_GTEST_PROP(AllocatorProperty, InvariantsHoldAfterEveryOperation, ()) {
  const auto ops = *scenario::GenOps();
  World world;
  Allocator allocator;
  bool moved = false, shared = false, pending = false, dual = false;
  for (size_t i = 0; i < ops.size(); ++i) {
    for (const auto& change : scenario::Apply(ops[i], world, allocator)) {
      moved = moved || change.kind == ChangeKind::kMoved;
    }
    for (const auto& pool : allocator.PoolStats()) {
      shared = shared || pool.services > pool.addresses_in_use;
    }
    for (const auto& result : allocator.Results()) {
      pending = pending || result.pending();
      dual = dual || result.ips.size() == 2;
    }
    const std::string violation = scenario::CheckInvariants(world, allocator);
    if (!violation.empty()) {
      RC_FAIL("after op " + std::to_string(i) + ": " + violation + "\n" + scenario::Describe(ops));
    }
  }
  // Shows in the output how often the interesting situations occur.
  RC_CLASSIFY(moved, "moved");
  RC_CLASSIFY(shared, "shared");
  RC_CLASSIFY(pending, "pending");
  RC_CLASSIFY(dual, "dual-stack");
}

// Same operations, same change logs and results, byte for byte.
RC_GTEST_PROP(AllocatorProperty, ReplayingTheSameSequenceGivesTheSameResults, ()) {
  const auto ops = *scenario::GenOps();
  World world_a, world_b;
  Allocator a, b;
  for (const auto& op : ops) {
    RC_ASSERT(scenario::Apply(op, world_a, a) == scenario::Apply(op, world_b, b));
  }
  RC_ASSERT(a.Results() == b.Results());
  RC_ASSERT(a.PoolStats() == b.PoolStats());
}

// The oracle for the incremental bookkeeping: a fresh allocator that is
// given the final config and the services with their current addresses as
// status (a controller restart) must reach exactly the same state. This
// holds only if the incremental allocator kept no stale address, missed no
// retry (a pending service that could be served), and its claims are all
// mutually compatible.
RC_GTEST_PROP(AllocatorProperty, RestartFromStatusReproducesTheState, ()) {
  const auto ops = *scenario::GenOps();
  World world;
  Allocator live;
  for (const auto& op : ops) scenario::Apply(op, world, live);

  std::vector<config::Service> with_status;
  for (auto [key, service] : world.services) {
    auto result = live.Find(key);
    service.ingress_ips = result ? result->ips : std::vector<core::IpAddr>{};
    with_status.push_back(service);
  }
  Allocator restarted;
  restarted.SetConfig(world.config);
  restarted.ReplaceServices(with_status);
  const auto expected = live.Results();
  const auto actual = restarted.Results();
  RC_ASSERT(expected.size() == actual.size());
  for (size_t i = 0; i < expected.size(); ++i) {
    // Reasons are not compared: a pending reason describes the pools as
    // they were when the service was last tried, and a restart tries it
    // against the final state.
    if (expected[i].service != actual[i].service || expected[i].ips != actual[i].ips ||
        expected[i].pool != actual[i].pool || expected[i].pending() != actual[i].pending()) {
      RC_FAIL(expected[i].service + ": live " + IpsText(expected[i].ips) +
              " pool=" + expected[i].pool + " reason=" + expected[i].pending_reason +
              " vs restarted " + IpsText(actual[i].ips) + " pool=" + actual[i].pool +
              " reason=" + actual[i].pending_reason + "\n" + scenario::Describe(ops));
    }
  }
  RC_ASSERT(live.PoolStats() == restarted.PoolStats());
}

// One-shot allocation does not depend on the order services are listed in.
RC_GTEST_PROP(AllocatorProperty, AllocateAllIgnoresServiceOrder, ()) {
  const auto config_knobs = *scenario::GenKnobs();
  const auto service_ops =
      *rc::gen::resize(30, rc::gen::container<std::vector<Op>>(scenario::GenOp()));
  config::Resources resources;
  resources.config = scenario::DecodeConfig(config_knobs);
  std::map<std::string, config::Service> by_key;  // one spec per key
  for (const auto& op : service_ops) {
    auto s = scenario::DecodeService(op.key, op.knobs);
    by_key[s.meta.Key()] = s;
  }
  for (const auto& [key, s] : by_key) resources.services.services.push_back(s);
  const auto first = AllocateAll(resources, {});
  const auto seed = *rc::gen::inRange<size_t>(0, 1000);
  std::rotate(
      resources.services.services.begin(),
      resources.services.services.begin() +
          (resources.services.services.empty() ? 0 : seed % resources.services.services.size()),
      resources.services.services.end());
  std::reverse(resources.services.services.begin(), resources.services.services.end());
  const auto second = AllocateAll(resources, {});
  RC_ASSERT(first.services == second.services);
  RC_ASSERT(first.pools == second.pools);
}

}  // namespace
}  // namespace vipcast::ipam
