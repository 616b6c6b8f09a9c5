#include "sim/runner/cli.h"

#include <charconv>

namespace vipcast::sim {

const char kUsage[] =
    "usage: vipcast-sim run FILE... [--seed N | --seeds A-B] [--out DIR] [--pcap]\n"
    "                   [--topologies DIR] [--quiet]\n"
    "       vipcast-sim validate FILE... [--topologies DIR]\n"
    "\n"
    "run       runs each scenario in ns-3 and writes report.md, report.json, trace.jsonl and\n"
    "          timeline.svg to --out (default reports/sim/<name>/; with several files,\n"
    "          <out>/<name>/)\n"
    "validate  checks scenario files without running them\n"
    "\n"
    "exit status: 0 every expectation held, 1 some expectation failed, 2 invalid scenario or\n"
    "arguments\n";

namespace {
std::optional<uint64_t> Number(const std::string& s) {
  uint64_t v = 0;
  const auto [end, ec] = std::from_chars(s.data(), s.data() + s.size(), v);
  if (ec != std::errc() || end != s.data() + s.size() || s.empty()) return std::nullopt;
  return v;
}
}  // namespace

core::Result<CliOptions> ParseCli(const std::vector<std::string>& args) {
  CliOptions o;
  if (args.empty()) return core::MakeErr(std::string("missing command (run or validate)"));
  o.command = args[0];
  if (o.command != "run" && o.command != "validate") {
    return core::MakeErr("unknown command '" + o.command + "' (expected run or validate)");
  }
  for (size_t i = 1; i < args.size(); ++i) {
    const std::string& a = args[i];
    auto value = [&](const char* flag) -> core::Result<std::string> {
      if (i + 1 >= args.size()) return core::MakeErr(std::string(flag) + " needs a value");
      return args[++i];
    };
    if (a == "--seed" || a == "--seeds") {
      if (o.has_seeds) return core::MakeErr(std::string("--seed and --seeds given more than once"));
      auto v = value(a.c_str());
      if (!v.ok()) return core::MakeErr(v.error());
      o.has_seeds = true;
      if (a == "--seed") {
        const auto n = Number(*v);
        if (!n) return core::MakeErr("--seed " + *v + ": not a non-negative integer");
        o.first_seed = o.last_seed = *n;
      } else {
        const size_t dash = v->find('-');
        const auto lo = dash == std::string::npos ? std::nullopt : Number(v->substr(0, dash));
        const auto hi = dash == std::string::npos ? std::nullopt : Number(v->substr(dash + 1));
        if (!lo || !hi) return core::MakeErr("--seeds " + *v + ": expected A-B, e.g. 1-100");
        if (*lo > *hi) return core::MakeErr("--seeds " + *v + ": range ends before it starts");
        if (*hi - *lo >= 100000) return core::MakeErr("--seeds " + *v + ": at most 100000 seeds");
        o.first_seed = *lo;
        o.last_seed = *hi;
      }
    } else if (a == "--out") {
      auto v = value("--out");
      if (!v.ok()) return core::MakeErr(v.error());
      o.out = *v;
    } else if (a == "--topologies") {
      auto v = value("--topologies");
      if (!v.ok()) return core::MakeErr(v.error());
      o.topologies = *v;
    } else if (a == "--pcap") {
      o.pcap = true;
    } else if (a == "--quiet") {
      o.quiet = true;
    } else if (a.rfind("--", 0) == 0) {
      return core::MakeErr("unknown option " + a);
    } else {
      o.files.push_back(a);
    }
  }
  if (o.files.empty()) return core::MakeErr("no scenario file given");
  if (o.command == "validate" && (o.has_seeds || !o.out.empty() || o.pcap)) {
    return core::MakeErr(std::string("validate takes only files and --topologies"));
  }
  return o;
}

}  // namespace vipcast::sim
