// Random allocator scenarios for the property tests: a sequence of
// operations, each decoded from a few small integers so rapidcheck can
// shrink a failure to a short, readable sequence. Addresses come from a
// tiny universe so that services contend for them, share them and run out.
#pragma once

#include <rapidcheck.h>

#include <map>
#include <string>
#include <vector>

#include "engine/config/model.h"
#include "engine/ipam/allocator.h"
#include "engine/ipam/results.h"

namespace vipcast::ipam::scenario {

enum class OpKind { kUpsert, kDelete, kSetConfig, kReplaceServices };

struct Op {
  int kind = 0;            // decoded by KindOf: mostly upserts
  int key = 0;             // which of the service keys
  std::vector<int> knobs;  // 0..99 each
};

OpKind KindOf(const Op& op);
rc::Gen<Op> GenOp();
rc::Gen<std::vector<int>> GenKnobs();  // kKnobs values, each 0..99 at any size
rc::Gen<std::vector<Op>> GenOps();

// The services a scenario can name: "ns<k%3>/s<k/3>".
std::string ServiceKey(int key);
config::Service DecodeService(int key, const std::vector<int>& knobs);
config::ClusterConfig DecodeConfig(const std::vector<int>& knobs);

// The world the allocator is told about, as the test tracks it.
struct World {
  config::ClusterConfig config;
  std::map<std::string, config::Service> services;  // every service, handled or not
};

// Applies `op` to both the world and the allocator; returns the change log.
std::vector<Change> Apply(const Op& op, World& world, Allocator& allocator);

// Empty when the allocator's state satisfies every invariant; otherwise a
// description of the first violation. Independent of the allocator's own
// helpers: pools, families, selectors and sharing are re-derived naively.
std::string CheckInvariants(const World& world, const Allocator& allocator);

// Readable dump of a scenario for failure messages.
std::string Describe(const std::vector<Op>& ops);

}  // namespace vipcast::ipam::scenario
