// Replays the membership_message fuzz target's seed corpus and every
// committed regression input (fuzz/regressions/membership_message/) through
// the same checks the fuzzer runs.
#include <gtest/gtest.h>

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <vector>

#include "fuzz/membership_message_fuzz.h"

namespace vipcast::fuzz {
namespace {

std::vector<std::filesystem::path> Inputs(const char* dir) {
  std::vector<std::filesystem::path> out;
  if (!std::filesystem::is_directory(dir)) return out;
  for (const auto& e : std::filesystem::directory_iterator(dir)) {
    if (e.is_regular_file()) out.push_back(e.path());
  }
  std::sort(out.begin(), out.end());
  return out;
}

void Replay(const char* dir, size_t min_inputs) {
  const auto inputs = Inputs(dir);
  EXPECT_GE(inputs.size(), min_inputs) << dir;
  for (const auto& path : inputs) {
    std::ifstream in(path, std::ios::binary);
    const std::vector<uint8_t> data((std::istreambuf_iterator<char>(in)),
                                    std::istreambuf_iterator<char>());
    EXPECT_EQ(FuzzMembershipMessage(data.data(), data.size()), "") << path;
  }
}

TEST(MembershipFuzzRegressions, Corpus) { Replay("fuzz/corpus/membership_message", 1); }
TEST(MembershipFuzzRegressions, Regressions) { Replay("fuzz/regressions/membership_message", 0); }

}  // namespace
}  // namespace vipcast::fuzz
