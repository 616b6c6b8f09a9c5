// Replays every committed fuzz input (seed corpus and crash regressions)
// through the same checks the l2 fuzz targets run, so a fixed crash stays
// fixed. Runs from the repository root (vipcast_test sets the directory).
#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <iterator>
#include <string>
#include <vector>

#include "fuzz/l2_frame_check.h"
#include "fuzz/responder_check.h"

namespace vipcast::fuzz {
namespace {

namespace fs = std::filesystem;

std::vector<fs::path> Inputs(const std::string& target) {
  std::vector<fs::path> files;
  for (const char* kind : {"corpus", "regressions"}) {
    const fs::path dir = fs::path("fuzz") / kind / target;
    if (!fs::is_directory(dir)) continue;
    for (const auto& entry : fs::directory_iterator(dir)) {
      if (entry.is_regular_file() && entry.path().filename().string()[0] != '.') {
        files.push_back(entry.path());
      }
    }
  }
  std::sort(files.begin(), files.end());
  return files;
}

core::Bytes Read(const fs::path& path) {
  std::ifstream in(path, std::ios::binary);
  return core::Bytes(std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>());
}

TEST(FuzzRegressions, L2FrameInputs) {
  const auto files = Inputs("l2_frame");
  EXPECT_FALSE(files.empty()) << "fuzz/corpus/l2_frame has no seeds";
  for (const auto& f : files) {
    SCOPED_TRACE(f.string());
    CheckL2Frame(Read(f));
  }
}

TEST(FuzzRegressions, ResponderInputs) {
  for (const char* target : {"responder", "l2_frame"}) {
    for (const auto& f : Inputs(target)) {
      SCOPED_TRACE(f.string());
      CheckResponder(Read(f));
    }
  }
}

TEST(FuzzRegressions, SeedsAreValidFrames) {
  // The seed corpus is meant to start the fuzzer from frames that parse.
  for (const auto& f : Inputs("l2_frame")) {
    if (f.parent_path().filename() != "l2_frame" ||
        f.parent_path().parent_path().filename() != "corpus") {
      continue;
    }
    EXPECT_TRUE(wire::ParseFrame(Read(f)).ok()) << f;
  }
}

}  // namespace
}  // namespace vipcast::fuzz
