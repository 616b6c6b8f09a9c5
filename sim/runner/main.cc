// vipcast-sim: runs scenario files in ns-3 with the engine unchanged and
// writes reports (../shared/specs/scenario-format.md).
#include <unistd.h>

#include <cstdio>
#include <filesystem>
#include <string>
#include <vector>

#include "sim/runner/cli.h"
#include "sim/runner/report.h"
#include "sim/runner/run_scenario.h"
#include "sim/scenario/loader.h"

#ifndef VIPCAST_TOPOLOGIES_DIR
#error "VIPCAST_TOPOLOGIES_DIR must name sim/topologies"
#endif

namespace vipcast::sim {
namespace {

void Progress(bool show, const std::string& name, size_t done, size_t total) {
  if (!show) return;
  constexpr int kWidth = 30;
  const int filled = total == 0 ? kWidth : static_cast<int>(done * kWidth / total);
  std::fprintf(stderr, "\r%s [%s%s] %zu/%zu seeds", name.c_str(), std::string(filled, '#').c_str(),
               std::string(kWidth - filled, ' ').c_str(), done, total);
  if (done == total) std::fputc('\n', stderr);
  std::fflush(stderr);
}

// 0 pass, 1 some expectation failed, 2 invalid.
int RunOne(const CliOptions& cli, const std::string& file, bool many) {
  auto loaded = LoadScenarioFile(file, cli.topologies);
  if (!loaded.ok()) {
    for (const Problem& p : loaded.error()) std::fprintf(stderr, "%s\n", p.ToString().c_str());
    return 2;
  }
  const Scenario& scenario = *loaded;
  const std::vector<Problem> unsupported = Unsupported(scenario);
  if (!unsupported.empty()) {
    for (const Problem& p : unsupported) std::fprintf(stderr, "%s\n", p.ToString().c_str());
    return 2;
  }
  if (cli.command == "validate") {
    std::printf("%s: valid (%zu faults, %zu expectations)\n", file.c_str(), scenario.faults.size(),
                scenario.expect.size());
    return 0;
  }
  std::string out = cli.out.empty() ? "reports/sim/" + scenario.name
                                    : (many ? cli.out + "/" + scenario.name : cli.out);
  const uint64_t first = cli.has_seeds ? cli.first_seed : scenario.seed;
  const uint64_t last = cli.has_seeds ? cli.last_seed : scenario.seed;
  const bool bar = !cli.quiet && isatty(STDERR_FILENO) && last > first;
  std::vector<RunResult> runs;
  RunOutput detailed;
  const size_t total = last - first + 1;
  for (uint64_t seed = first;; ++seed) {
    Progress(bar, scenario.name, runs.size(), total);
    RunOptions ro;
    ro.seed = seed;
    if (cli.pcap && seed == first) {
      std::filesystem::create_directories(out + "/pcap");
      ro.pcap_prefix = out + "/pcap/" + scenario.name;
    }
    auto run = RunScenario(scenario, ro);
    if (!run.ok()) {
      std::fprintf(stderr, "%s: seed %llu: %s\n", file.c_str(),
                   static_cast<unsigned long long>(seed), run.error().c_str());
      return 2;
    }
    runs.push_back(run->result);
    if (seed == first) detailed = std::move(*run);
    if (seed == last) break;
  }
  Progress(bar, scenario.name, runs.size(), total);
  for (const std::string& e : WriteReport(scenario, runs, detailed, out)) {
    std::fprintf(stderr, "%s: %s\n", file.c_str(), e.c_str());
  }
  std::printf("%s (%s)\n%s", scenario.name.c_str(), file.c_str(),
              SummaryTable(scenario, runs).c_str());
  bool passed = true;
  for (const auto& r : runs) passed = passed && r.passed();
  std::printf("%s; report: %s/report.md\n", passed ? "PASS" : "FAIL", out.c_str());
  return passed ? 0 : 1;
}

}  // namespace
}  // namespace vipcast::sim

int main(int argc, char** argv) {
  using namespace vipcast::sim;
  auto cli = ParseCli(std::vector<std::string>(argv + 1, argv + argc));
  if (!cli.ok()) {
    std::fprintf(stderr, "vipcast-sim: %s\n\n%s", cli.error().c_str(), kUsage);
    return 2;
  }
  if (cli->topologies.empty()) cli->topologies = VIPCAST_TOPOLOGIES_DIR;
  int status = 0;
  for (const std::string& file : cli->files) {
    status = std::max(status, RunOne(*cli, file, cli->files.size() > 1));
  }
  return status;
}
