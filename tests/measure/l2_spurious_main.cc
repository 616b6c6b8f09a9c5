// l2_spurious: spurious failovers, false suspicions and false dead
// declarations of a cluster that runs for a simulated hour with uniform
// random loss and no crash, for each profile, cluster size and loss rate.
// Prints a Markdown table for reports/l2-engine.md (tools/measure-l2.sh).
//   l2_spurious [--level membership|speaker] [--profiles default,metallb] [--nodes 10,100]
//               [--loss 0.05,0.2] [--minutes 60] [--seed 1]
#include <chrono>
#include <cstdio>
#include <string>

#include "tests/measure/args.h"
#include "tests/measure/spurious.h"
#include "tests/measure/stats.h"

int main(int argc, char** argv) {
  using namespace vipcast;
  using namespace vipcast::measure;
  Args args;
  if (!args.Parse(argc, argv,
                  {{"level", "membership"},
                   {"profiles", "default,metallb"},
                   {"nodes", "10,100"},
                   {"loss", "0.05,0.2"},
                   {"minutes", "60"},
                   {"seed", "1"}})) {
    return 2;
  }
  const std::string level = args.Get("level");
  auto measure = MeasureSpuriousMembership;
  if (level == "speaker") {
#ifdef VIPCAST_MEASURE_SPEAKER
    measure = MeasureSpuriousSpeaker;
#else
    std::fprintf(stderr, "built without engine/speaker: only --level membership\n");
    return 2;
#endif
  } else if (level != "membership") {
    std::fprintf(stderr, "--level is membership or speaker\n");
    return 2;
  }
  std::printf(
      "| profile | nodes | loss | spurious failovers | longest (ms) | total (ms) | "
      "suspicion episodes | suspect transitions | dead episodes | dead transitions | "
      "refutations | probe failures | datagrams/node/s | agree after | wall s |\n"
      "|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---|---:|\n");
  int failures = 0;
  for (const membership::TimingProfile& p : args.Profiles("profiles")) {
    for (uint64_t n : args.Numbers("nodes")) {
      for (double loss : args.Reals("loss")) {
        const auto wall0 = std::chrono::steady_clock::now();
        SpuriousCase c;
        c.nodes = n;
        c.profile = p;
        c.loss = loss;
        c.duration = core::Duration::Minutes(static_cast<int64_t>(args.Number("minutes")));
        c.seed = args.Number("seed");
        const SpuriousResult r = measure(c);
        const double wall =
            std::chrono::duration<double>(std::chrono::steady_clock::now() - wall0).count();
        if (!r.formed) {
          std::printf("| %s | %zu | %.0f%% | cluster did not form |||||||||||\n", p.name.c_str(),
                      static_cast<size_t>(n), loss * 100);
          ++failures;
          continue;
        }
        std::printf(
            "| %s | %zu | %.0f%% | %llu | %s | %s | %llu | %llu | %llu | %llu | %llu | %llu | "
            "%.1f | %s | %.1f |\n",
            p.name.c_str(), static_cast<size_t>(n), loss * 100,
            static_cast<unsigned long long>(r.failovers), Ms(r.longest_failover).c_str(),
            Ms(r.failover_time).c_str(), static_cast<unsigned long long>(r.suspicion_episodes),
            static_cast<unsigned long long>(r.suspect_transitions),
            static_cast<unsigned long long>(r.dead_episodes),
            static_cast<unsigned long long>(r.dead_transitions),
            static_cast<unsigned long long>(r.refutations),
            static_cast<unsigned long long>(r.probe_failures), r.datagrams_per_node_per_s,
            r.converged_after ? "yes" : "NO", wall);
        if (!r.converged_after) ++failures;
        std::fflush(stdout);
      }
    }
  }
  return failures == 0 ? 0 : 1;
}
