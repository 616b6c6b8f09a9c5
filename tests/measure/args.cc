#include "tests/measure/args.h"

#include <cstdio>
#include <cstdlib>
#include <sstream>

namespace vipcast::measure {

namespace {
std::vector<std::string> Split(const std::string& s) {
  std::vector<std::string> out;
  std::stringstream in(s);
  std::string item;
  while (std::getline(in, item, ',')) {
    if (!item.empty()) out.push_back(item);
  }
  return out;
}
}  // namespace

bool Args::Parse(int argc, char** argv, const std::map<std::string, std::string>& defaults) {
  values_ = defaults;
  for (int i = 1; i < argc; i += 2) {
    const std::string flag = argv[i];
    if (flag.rfind("--", 0) != 0 || i + 1 >= argc || !values_.count(flag.substr(2))) {
      std::fprintf(stderr, "usage: %s", argv[0]);
      for (const auto& [k, v] : defaults) std::fprintf(stderr, " [--%s %s]", k.c_str(), v.c_str());
      std::fprintf(stderr, "\n");
      return false;
    }
    values_[flag.substr(2)] = argv[i + 1];
  }
  for (const std::string& p : Split(values_.count("profiles") ? values_["profiles"] : "")) {
    if (!membership::ProfileByName(p).ok()) {
      std::fprintf(stderr, "unknown profile %s\n", p.c_str());
      return false;
    }
  }
  return true;
}

uint64_t Args::Number(const std::string& name) const {
  return std::strtoull(values_.at(name).c_str(), nullptr, 10);
}

std::vector<uint64_t> Args::Numbers(const std::string& name) const {
  std::vector<uint64_t> out;
  for (const std::string& s : Split(values_.at(name)))
    out.push_back(std::strtoull(s.c_str(), nullptr, 10));
  return out;
}

std::vector<double> Args::Reals(const std::string& name) const {
  std::vector<double> out;
  for (const std::string& s : Split(values_.at(name)))
    out.push_back(std::strtod(s.c_str(), nullptr));
  return out;
}

std::vector<membership::TimingProfile> Args::Profiles(const std::string& name) const {
  std::vector<membership::TimingProfile> out;
  for (const std::string& s : Split(values_.at(name)))
    out.push_back(membership::ProfileByName(s).value());
  return out;
}

}  // namespace vipcast::measure
