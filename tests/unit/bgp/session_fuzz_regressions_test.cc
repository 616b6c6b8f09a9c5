// Replays every committed bgp_session fuzz input (fuzz/regressions/ and the
// seed corpus fuzz/corpus/) through the harness the fuzzer runs, so a
// session bug found once stays fixed and the seeds keep passing the checks.
#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <iostream>
#include <iterator>

#include "fuzz/bgp_session_fuzz.h"

namespace vipcast::fuzz {
namespace {

namespace fs = std::filesystem;

int ReplayDir(const fs::path& dir) {
  int count = 0;
  if (!fs::is_directory(dir)) return 0;
  for (const auto& entry : fs::directory_iterator(dir)) {
    if (!entry.is_regular_file() || entry.path().filename().string().front() == '.') continue;
    std::ifstream in(entry.path(), std::ios::binary);
    core::Bytes data((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
    EXPECT_EQ(CheckBgpSessionInput(data), "") << entry.path();
    ++count;
  }
  return count;
}

TEST(BgpSessionFuzzRegressions, Regressions) {
  int n = ReplayDir("fuzz/regressions/bgp_session");
  std::cout << "bgp_session regressions replayed: " << n << "\n";
}

TEST(BgpSessionFuzzRegressions, SeedCorpus) {
  int n = ReplayDir("fuzz/corpus/bgp_session");
  std::cout << "bgp_session seeds replayed: " << n << "\n";
  EXPECT_GT(n, 0) << "expected the seed corpus in fuzz/corpus/bgp_session";
}

}  // namespace
}  // namespace vipcast::fuzz
