// Measures the membership protocol's steady-state traffic: datagrams sent and
// received per node per second, over a simulated window, with a VIP-like
// watch assignment (each VIP's next-in-line backup watches its owner). Used
// by message_rate_test.cc and by the membership_message_rates tool whose
// output goes into reports/l2-engine.md.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>

#include "engine/core/time.h"
#include "engine/membership/profile.h"

namespace vipcast::membership::testing {

struct RateOptions {
  size_t nodes = 10;
  TimingProfile profile = DefaultProfile();
  core::Duration window = core::Duration::Seconds(60);  // measured, after warm-up
  size_t vips = 0;  // VIPs whose backups watch their owners; 0 means one per node
  bool watch = true;
  uint64_t seed = 1;
};

struct RateResult {
  size_t nodes = 0;
  double sent_per_node_per_s = 0;      // mean over nodes
  double max_sent_per_node_per_s = 0;  // busiest node
  double received_per_node_per_s = 0;
  double bytes_per_node_per_s = 0;
  double max_watched = 0;          // most members one node watches
  double max_watchers = 0;         // most watchers one node has
  core::Duration converged_after;  // time to form the cluster
  bool converged = false;
  std::string ToString() const;
};

RateResult MeasureMessageRates(const RateOptions& options);

}  // namespace vipcast::membership::testing
