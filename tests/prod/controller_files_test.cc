// The controller's output pieces on their own: the atomic writer and the
// status YAML (a file with no assignments still parses).
#include <gtest/gtest.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <iterator>

#include "prod/common/cluster_source.h"
#include "prod/controller/atomic_file.h"
#include "prod/controller/status_yaml.h"

namespace vipcast::controller_main {
namespace {

namespace fs = std::filesystem;

class ControllerFilesTest : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = fs::temp_directory_path() /
           ("vipcast-controller-files-" + std::to_string(getpid()) + "-" +
            ::testing::UnitTest::GetInstance()->current_test_info()->name());
    fs::create_directories(dir_);
  }
  void TearDown() override { fs::remove_all(dir_); }
  std::string Read(const fs::path& path) {
    std::ifstream in(path, std::ios::binary);
    return std::string((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  }
  size_t Entries() {
    return static_cast<size_t>(
        std::distance(fs::directory_iterator(dir_), fs::directory_iterator()));
  }
  fs::path dir_;
};

TEST_F(ControllerFilesTest, WritesOnlyWhenContentDiffers) {
  const std::string path = (dir_ / "status.yaml").string();
  auto first = WriteFileIfChanged(path, "one\n");
  ASSERT_TRUE(first) << first.error();
  EXPECT_TRUE(*first);
  auto same = WriteFileIfChanged(path, "one\n");
  ASSERT_TRUE(same);
  EXPECT_FALSE(*same);
  auto other = WriteFileIfChanged(path, "two\n");
  ASSERT_TRUE(other);
  EXPECT_TRUE(*other);
  EXPECT_EQ(Read(path), "two\n");
  EXPECT_EQ(Entries(), 1u);  // no FILE.tmp.<pid> left behind
}

TEST_F(ControllerFilesTest, FailedWriteNamesThePathAndLeavesNothing) {
  const std::string path = (dir_ / "absent" / "status.yaml").string();
  auto r = WriteFileIfChanged(path, "x\n");
  ASSERT_FALSE(r);
  EXPECT_NE(r.error().find("absent"), std::string::npos) << r.error();
  EXPECT_EQ(Entries(), 0u);
}

TEST_F(ControllerFilesTest, FailedRenameRemovesTheTemporaryFile) {
  // A directory where the file should be: the rename fails after the
  // temporary file was written.
  fs::create_directories(dir_ / "status.yaml" / "occupied");
  auto r = WriteFileIfChanged((dir_ / "status.yaml").string(), "x\n");
  ASSERT_FALSE(r);
  EXPECT_NE(r.error().find("rename"), std::string::npos) << r.error();
  EXPECT_EQ(Entries(), 1u);
}

TEST_F(ControllerFilesTest, StatusWithOnlyPendingServicesParses) {
  ipam::ServiceResult pending;
  pending.service = "default/p";
  pending.pending_reason = "no available IPs in pool \"lan\" for IPv4";
  const std::string text = RenderStatusYaml({pending});
  std::ofstream(dir_ / "status.yaml") << text;
  std::string read_text;
  auto status = prod::ReadStatusFile((dir_ / "status.yaml").string(), &read_text);
  ASSERT_TRUE(status) << status.error();
  EXPECT_TRUE(status->empty());
  EXPECT_EQ(read_text, text);
}

TEST_F(ControllerFilesTest, StatusRenderingIsDeterministicAndQuoted) {
  ipam::ServiceResult a;
  a.service = "team-a/web";
  a.ips = {*core::IpAddr::Parse("10.0.0.240"), *core::IpAddr::Parse("fd00::240")};
  a.pool = "lan";
  const std::string text = RenderStatusYaml({a});
  EXPECT_EQ(text, RenderStatusYaml({a}));
  EXPECT_NE(text.find("  name: \"web\"\n  namespace: \"team-a\"\n"), std::string::npos) << text;
  EXPECT_NE(text.find("    - ip: \"10.0.0.240\"\n    - ip: \"fd00::240\"\n"), std::string::npos)
      << text;
}

}  // namespace
}  // namespace vipcast::controller_main
