// Replays every committed fuzz input (fuzz/regressions/<target>/ and the
// seed corpus fuzz/corpus/<target>/) through the same checks the fuzzers
// run, so a crash found once stays fixed.
#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <functional>
#include <iterator>

#include "fuzz/bgp_checks.h"

namespace vipcast::fuzz {
namespace {

namespace fs = std::filesystem;

int ReplayDir(const fs::path& dir, const std::function<std::string(core::ByteSpan)>& check) {
  int count = 0;
  if (!fs::is_directory(dir)) return 0;
  for (const auto& entry : fs::directory_iterator(dir)) {
    if (!entry.is_regular_file() || entry.path().filename().string().front() == '.') continue;
    std::ifstream in(entry.path(), std::ios::binary);
    core::Bytes data((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
    EXPECT_EQ(check(data), "") << entry.path();
    ++count;
  }
  return count;
}

int Replay(const std::string& target, const std::function<std::string(core::ByteSpan)>& check) {
  return ReplayDir(fs::path("fuzz/regressions") / target, check) +
         ReplayDir(fs::path("fuzz/corpus") / target, check);
}

TEST(BgpFuzzRegressions, Message) {
  int n = Replay("bgp_message", CheckBgpMessageInput);
  std::cout << "bgp_message inputs replayed: " << n << "\n";
  EXPECT_GT(n, 0) << "expected the seed corpus in fuzz/corpus/bgp_message";
}

TEST(BgpFuzzRegressions, Open) {
  int n = Replay("bgp_open", CheckBgpOpenInput);
  std::cout << "bgp_open inputs replayed: " << n << "\n";
  EXPECT_GT(n, 0);
}

TEST(BgpFuzzRegressions, Update) {
  int n = Replay("bgp_update", CheckBgpUpdateInput);
  std::cout << "bgp_update inputs replayed: " << n << "\n";
  EXPECT_GT(n, 0);
}

}  // namespace
}  // namespace vipcast::fuzz
