// The table of invalid inputs: each tests/data/config-invalid/NAME.yaml is
// loaded on its own (as file "NAME.yaml") and its diagnostics must be exactly
// the lines of NAME.expected, in order: one Diagnostic::ToString() per line.
#include <gtest/gtest.h>

#include "test_files.h"

namespace vipcast::config {
namespace {

namespace fs = std::filesystem;
using testing::ReadFile;
using testing::YamlFiles;

const fs::path kDir = "tests/data/config-invalid";

std::vector<std::string> Lines(const std::string& text) {
  std::vector<std::string> out;
  size_t start = 0;
  while (start < text.size()) {
    size_t end = text.find('\n', start);
    if (end == std::string::npos) end = text.size();
    out.push_back(text.substr(start, end - start));
    start = end + 1;
  }
  return out;
}

class InvalidInput : public ::testing::TestWithParam<std::string> {};

TEST_P(InvalidInput, ProducesExactlyTheExpectedDiagnostics) {
  const std::string name = GetParam();
  const fs::path yaml = kDir / (name + ".yaml");
  const fs::path expected_path = kDir / (name + ".expected");
  ASSERT_TRUE(fs::exists(expected_path)) << expected_path;
  const LoadResult result = LoadManifests({{name + ".yaml", ReadFile(yaml)}});
  std::vector<std::string> got;
  for (const auto& d : result.diagnostics) got.push_back(d.ToString());
  const std::vector<std::string> expected = Lines(ReadFile(expected_path));
  EXPECT_EQ(got, expected);
  ASSERT_FALSE(expected.empty()) << "every case must expect at least one diagnostic";
  // A case is invalid exactly when it expects an error line.
  bool expects_error = false;
  for (const auto& line : expected) expects_error |= line.find(": warning: ") == std::string::npos;
  EXPECT_EQ(result.ok(), !expects_error);
}

std::vector<std::string> CaseNames() {
  std::vector<std::string> out;
  for (const auto& path : YamlFiles(kDir)) out.push_back(path.stem().string());
  return out;
}

INSTANTIATE_TEST_SUITE_P(ConfigInvalid, InvalidInput, ::testing::ValuesIn(CaseNames()),
                         [](const ::testing::TestParamInfo<std::string>& info) {
                           std::string name = info.param;
                           for (char& c : name) {
                             if (c == '-') c = '_';
                           }
                           return name;
                         });

TEST(InvalidInputTable, HasAtLeastThirtyCases) { EXPECT_GE(CaseNames().size(), 30u); }

}  // namespace
}  // namespace vipcast::config
