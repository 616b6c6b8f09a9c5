// membership_message_rates: prints steady-state per-node message rates of the
// membership protocol for several cluster sizes and both timing profiles, in
// simulated time (ClusterSim), for reports/l2-engine.md.
//   membership_message_rates [seconds] [sizes...]   default: 60 10 100 1000
#include <cstdio>
#include <cstdlib>
#include <vector>

#include "tests/unit/membership/message_rates.h"

int main(int argc, char** argv) {
  using namespace vipcast::membership;
  using namespace vipcast::membership::testing;
  int seconds = argc > 1 ? std::atoi(argv[1]) : 60;
  std::vector<size_t> sizes;
  for (int i = 2; i < argc; ++i) sizes.push_back(static_cast<size_t>(std::atoi(argv[i])));
  if (sizes.empty()) sizes = {10, 100, 1000};
  for (const TimingProfile& p : {DefaultProfile(), MetallbProfile()}) {
    std::printf("profile %s (probe %s, gossip %s x %d, push-pull %s), %d s window:\n",
                p.name.c_str(), p.probe_interval.ToString().c_str(),
                p.gossip_interval.ToString().c_str(), p.gossip_nodes,
                p.push_pull_interval.ToString().c_str(), seconds);
    for (size_t n : sizes) {
      RateOptions o;
      o.nodes = n;
      o.profile = p;
      o.window = vipcast::core::Duration::Seconds(seconds);
      const RateResult r = MeasureMessageRates(o);
      std::printf("  %s%s\n", r.ToString().c_str(), r.converged ? "" : "  (NOT CONVERGED)");
      // The same cluster without SetWatched: the cost of watching VIP owners.
      o.watch = false;
      const RateResult plain = MeasureMessageRates(o);
      std::printf("    without watching: sent %.1f/s per node (max %.1f), %.0f B/s%s\n",
                  plain.sent_per_node_per_s, plain.max_sent_per_node_per_s,
                  plain.bytes_per_node_per_s, plain.converged ? "" : "  (NOT CONVERGED)");
      std::fflush(stdout);
    }
  }
  return 0;
}
