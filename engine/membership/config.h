// Everything a Membership engine is constructed with.
#pragma once

#include <cstddef>
#include <cstdint>
#include <vector>

#include "engine/core/bytes.h"
#include "engine/core/io.h"
#include "engine/core/node_name.h"
#include "engine/core/result.h"
#include "engine/membership/profile.h"

namespace vipcast::membership {

// Hard bounds on every table and queue (ARCHITECTURE.md: bounded everything).
struct Limits {
  size_t max_members = 4096;          // member table, including dead and left
  size_t max_gossip_queue = 1024;     // pending updates (one per member at most)
  size_t max_watched = 8;             // SetWatched keeps the first this many
  size_t max_relays = 256;            // ping-req probes in flight for others
  size_t max_pending_changes = 8192;  // DrainChanges backlog; oldest dropped
  size_t max_replay_senders = 8192;   // anti-replay state, least recent evicted
};

struct MembershipConfig {
  core::NodeName self;
  // Where this node receives membership datagrams; advertised to the others.
  core::Endpoint endpoint;
  // Members to contact until one answers (their names are learnt from them).
  std::vector<core::Endpoint> seeds;
  TimingProfile profile = DefaultProfile();
  // The cluster's shared secret (at least wire::membership::kMinKeySize bytes).
  core::Bytes key;
  // Grows across restarts of this node (e.g. start time in ns since the Unix
  // epoch); receivers drop datagrams carrying a lower boot id than they have
  // seen from this node. 0 is reserved.
  uint64_t boot_id = 1;
  Limits limits;
};

core::Status<> Validate(const MembershipConfig& config);

}  // namespace vipcast::membership
