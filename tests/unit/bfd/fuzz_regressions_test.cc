// Replays the bfd_packet fuzz target's seed corpus and every committed crash
// input (fuzz/regressions/bfd_packet/) through the same body the fuzzer runs,
// so a fixed crash stays fixed.
#include <gtest/gtest.h>

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <vector>

#include "fuzz/bfd_packet_fuzz.h"

namespace vipcast::fuzz {
namespace {

std::vector<std::filesystem::path> FilesIn(const std::filesystem::path& dir) {
  std::vector<std::filesystem::path> files;
  if (!std::filesystem::is_directory(dir)) return files;
  for (const auto& entry : std::filesystem::directory_iterator(dir)) {
    if (entry.is_regular_file() && entry.path().filename().string()[0] != '.') {
      files.push_back(entry.path());
    }
  }
  std::sort(files.begin(), files.end());
  return files;
}

void ReplayAll(const std::filesystem::path& dir, size_t minimum) {
  const auto files = FilesIn(dir);
  EXPECT_GE(files.size(), minimum) << dir;
  for (const auto& path : files) {
    std::ifstream in(path, std::ios::binary);
    const std::vector<uint8_t> bytes((std::istreambuf_iterator<char>(in)),
                                     std::istreambuf_iterator<char>());
    EXPECT_EQ(FuzzBfdPacket(bytes.data(), bytes.size()), "") << path;
  }
}

TEST(BfdFuzzRegressions, SeedCorpus) { ReplayAll("fuzz/corpus/bfd_packet", 1); }

TEST(BfdFuzzRegressions, CommittedCrashes) { ReplayAll("fuzz/regressions/bfd_packet", 0); }

TEST(BfdFuzzRegressions, EmptyAndTinyInputs) {
  EXPECT_EQ(FuzzBfdPacket(nullptr, 0), "");
  const uint8_t one[] = {0xff};
  EXPECT_EQ(FuzzBfdPacket(one, 1), "");
}

}  // namespace
}  // namespace vipcast::fuzz
