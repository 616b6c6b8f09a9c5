// The timeline plot: probe success over time with fault markers, and the
// announcer of each service, drawn by gnuplot (Debian gnuplot-nox) from a
// data file and a script written next to it.
#pragma once

#include <string>
#include <vector>

#include "sim/runner/run_scenario.h"

namespace vipcast::sim {

struct PlotFiles {
  std::string data;    // timeline.dat contents
  std::string script;  // timeline.gp contents (reads timeline.dat, writes timeline.svg)
};

PlotFiles TimelinePlot(const Scenario& scenario, const RunOutput& run);

}  // namespace vipcast::sim
