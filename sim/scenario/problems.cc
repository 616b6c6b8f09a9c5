#include "sim/scenario/problems.h"

#include <algorithm>
#include <tuple>

namespace vipcast::sim::detail {

std::vector<Problem> ToProblems(const std::vector<config::Diagnostic>& diagnostics,
                                const std::map<std::string, std::string>& inline_files,
                                config::Severity severity) {
  std::vector<Problem> out;
  for (const auto& d : diagnostics) {
    if (d.severity != severity) continue;
    Problem p;
    auto it = inline_files.find(d.file);
    p.file = it != inline_files.end() ? it->second : d.file;
    p.line = d.line;
    if (!d.kind.empty()) {
      p.field = d.kind;
      if (!d.name.empty())
        p.field += " " + (d.namespace_.empty() ? d.name : d.namespace_ + "/" + d.name);
      if (!d.field.empty()) p.field += ": " + d.field;
    } else {
      p.field = d.field;
    }
    p.message = d.message;
    out.push_back(std::move(p));
  }
  return out;
}

void SortProblems(const std::string& scenario_file, std::vector<Problem>& problems) {
  std::stable_sort(problems.begin(), problems.end(), [&](const Problem& a, const Problem& b) {
    return std::make_tuple(a.file != scenario_file, a.file, a.line) <
           std::make_tuple(b.file != scenario_file, b.file, b.line);
  });
}

}  // namespace vipcast::sim::detail
