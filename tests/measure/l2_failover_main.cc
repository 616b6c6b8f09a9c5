// l2_failover: VIP failover time after an owner crash, p50/p99/max over many
// seeds, for each timing profile and cluster size, in simulated time. Prints
// a Markdown table for reports/l2-engine.md (tools/measure-l2.sh).
//   l2_failover [--level membership|speaker] [--profiles default,metallb]
//               [--nodes 3,10,100] [--seeds 1000,1000,1000] [--first-seed 1]
//               [--samples 0|1]
// --samples 1 also prints one line per seed on stderr ("sample <profile>
// <nodes> <seed> <takeover ns>", -1 for a cluster that did not form), so that
// runs split over several processes can be summarized together.
#include <chrono>
#include <cstdio>
#include <map>
#include <string>
#include <utility>
#include <vector>

#include "tests/measure/args.h"
#include "tests/measure/failover.h"
#include "tests/measure/stats.h"

int main(int argc, char** argv) {
  using namespace vipcast;
  using namespace vipcast::measure;
  Args args;
  if (!args.Parse(argc, argv,
                  {{"level", "membership"},
                   {"profiles", "default,metallb"},
                   {"nodes", "3,10,100"},
                   {"seeds", "1000,1000,1000"},
                   {"first-seed", "1"},
                   {"samples", "0"}})) {
    return 2;
  }
  const std::string level = args.Get("level");
  auto measure = MeasureFailoverMembership;
  if (level == "speaker") {
#ifdef VIPCAST_MEASURE_SPEAKER
    measure = MeasureFailoverSpeaker;
#else
    std::fprintf(stderr, "built without engine/speaker: only --level membership\n");
    return 2;
#endif
  } else if (level != "membership") {
    std::fprintf(stderr, "--level is membership or speaker\n");
    return 2;
  }
  const std::vector<uint64_t> sizes = args.Numbers("nodes");
  std::vector<uint64_t> seeds = args.Numbers("seeds");
  seeds.resize(sizes.size(), seeds.empty() ? 1000 : seeds.back());
  const uint64_t first = args.Number("first-seed");
  const bool samples = args.Number("samples") != 0;

  std::printf(
      "| profile | nodes | seeds | takeover p50 | p99 | max | mean | bound | over bound | "
      "suspect p50 | all nodes p99 | wall s |\n"
      "|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|\n");
  int failures = 0;
  std::map<std::pair<std::string, size_t>, Summary> results;
  for (const membership::TimingProfile& p : args.Profiles("profiles")) {
    for (size_t k = 0; k < sizes.size(); ++k) {
      const auto wall0 = std::chrono::steady_clock::now();
      std::vector<core::Duration> takeover, suspected, everyone;
      size_t unformed = 0;
      const core::Duration bound = membership::WatchedDetectionBound(p, sizes[k]);
      size_t over = 0;
      for (uint64_t s = first; s < first + seeds[k]; ++s) {
        FailoverCase c;
        c.nodes = sizes[k];
        c.profile = p;
        c.seed = s;
        const FailoverSample r = measure(c);
        if (samples) {
          std::fprintf(stderr, "sample %s %zu %llu %lld\n", p.name.c_str(),
                       static_cast<size_t>(sizes[k]), static_cast<unsigned long long>(s),
                       r.formed ? static_cast<long long>(r.takeover.nanoseconds()) : -1LL);
        }
        if (!r.formed) {
          ++unformed;
          continue;
        }
        takeover.push_back(r.takeover);
        suspected.push_back(r.suspected);
        everyone.push_back(r.everyone);
        if (r.takeover > bound) ++over;
      }
      const double wall =
          std::chrono::duration<double>(std::chrono::steady_clock::now() - wall0).count();
      const Summary t = Summarize(takeover);
      const Summary sus = Summarize(suspected);
      const Summary all = Summarize(everyone);
      results[{p.name, static_cast<size_t>(sizes[k])}] = t;
      // Only the membership level observes suspicion and the other nodes.
      auto opt = [](const Summary& x, core::Duration d) { return x.count > 0 ? Ms(d) : "n/a"; };
      std::printf("| %s | %zu | %zu | %s | %s | %s | %s | %s | %zu | %s | %s | %.1f |\n",
                  p.name.c_str(), static_cast<size_t>(sizes[k]), t.count, Ms(t.p50).c_str(),
                  Ms(t.p99).c_str(), Ms(t.max).c_str(), Ms(t.mean).c_str(), Ms(bound).c_str(), over,
                  opt(sus, sus.p50).c_str(), opt(all, all.p99).c_str(), wall);
      if (unformed > 0 || t.missing > 0) {
        std::printf("\nWARNING: %s %zu nodes: %zu seeds did not form, %zu never failed over\n\n",
                    p.name.c_str(), static_cast<size_t>(sizes[k]), unformed, t.missing);
        ++failures;
      }
      std::fflush(stdout);
    }
  }
  // metallb / default, per size, when both profiles were measured.
  bool header = false;
  for (uint64_t n : sizes) {
    auto d = results.find({"default", static_cast<size_t>(n)});
    auto m = results.find({"metallb", static_cast<size_t>(n)});
    if (d == results.end() || m == results.end() || d->second.count == 0) continue;
    if (!header) {
      std::printf("\n| nodes | metallb/default p50 | p99 | max |\n|---:|---:|---:|---:|\n");
      header = true;
    }
    auto ratio = [](core::Duration a, core::Duration b) {
      return static_cast<double>(a.nanoseconds()) / static_cast<double>(b.nanoseconds());
    };
    std::printf("| %zu | %.1f | %.1f | %.1f |\n", static_cast<size_t>(n),
                ratio(m->second.p50, d->second.p50), ratio(m->second.p99, d->second.p99),
                ratio(m->second.max, d->second.max));
  }
  return failures == 0 ? 0 : 1;
}
