// Tiny "--name value" command-line parsing shared by the measurement tools.
#pragma once

#include <cstdint>
#include <map>
#include <string>
#include <vector>

#include "engine/membership/profile.h"

namespace vipcast::measure {

class Args {
 public:
  // Returns false (with a message on stderr) on a malformed command line.
  bool Parse(int argc, char** argv, const std::map<std::string, std::string>& defaults);
  std::string Get(const std::string& name) const { return values_.at(name); }
  uint64_t Number(const std::string& name) const;
  std::vector<uint64_t> Numbers(const std::string& name) const;  // "3,10,100"
  std::vector<double> Reals(const std::string& name) const;      // "0.05,0.2"
  std::vector<membership::TimingProfile> Profiles(const std::string& name) const;

 private:
  std::map<std::string, std::string> values_;
};

}  // namespace vipcast::measure
