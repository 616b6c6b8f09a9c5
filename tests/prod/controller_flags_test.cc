// vipcast-controller's flags: required ones, values, and the status file
// kept out of the manifests it would otherwise read back.
#include "prod/controller/controller_flags.h"

#include <gtest/gtest.h>
#include <unistd.h>

#include <filesystem>

namespace vipcast::controller_main {
namespace {

TEST(ControllerFlagsTest, ParsesEveryFlag) {
  auto f = ParseControllerFlags({"--manifests", "a", "--manifests=b", "--status", "s.yaml",
                                 "--log-level=debug", "--once", "--lb-class", "vipcast"});
  ASSERT_TRUE(f) << f.error();
  EXPECT_EQ(f->manifests, (std::vector<std::string>{"a", "b"}));
  EXPECT_EQ(f->status, "s.yaml");
  EXPECT_EQ(f->log_level, core::LogLevel::kDebug);
  EXPECT_TRUE(f->once);
  EXPECT_EQ(f->lb_class, "vipcast");
}

TEST(ControllerFlagsTest, MetricsAddressDefaultsToMetalLBPortAndCanBeDisabled) {
  auto f = ParseControllerFlags({"--manifests", "m", "--status", "s"});
  ASSERT_TRUE(f) << f.error();
  ASSERT_TRUE(f->metrics_address);
  EXPECT_EQ(f->metrics_address->ToString(), "0.0.0.0:7472");
  f = ParseControllerFlags({"--manifests", "m", "--status", "s", "--metrics-address=127.0.0.1:0"});
  ASSERT_TRUE(f) << f.error();
  ASSERT_TRUE(f->metrics_address);
  EXPECT_EQ(f->metrics_address->ToString(), "127.0.0.1:0");
  f = ParseControllerFlags({"--manifests", "m", "--status", "s", "--metrics-address", "[::1]"});
  ASSERT_TRUE(f) << f.error();
  EXPECT_EQ(f->metrics_address->ToString(), "[::1]:7472");
  f = ParseControllerFlags({"--manifests", "m", "--status", "s", "--metrics-address", "none"});
  ASSERT_TRUE(f) << f.error();
  EXPECT_FALSE(f->metrics_address);
}

TEST(ControllerFlagsTest, RejectsBadInputWithAReason) {
  const std::vector<std::pair<std::vector<std::string>, std::string>> cases = {
      {{"--status", "s"}, "--manifests is required"},
      {{"--manifests", "m"}, "--status is required"},
      {{"--manifests", "m", "--status"}, "--status needs a value"},
      {{"--manifests", "m", "--status", "s", "--frobnicate"}, "unknown flag --frobnicate"},
      {{"--manifests", "m", "--status", "s", "--log-level", "loud"}, "--log-level"},
      {{"--manifests", "m", "--status", "s", "--once=yes"}, "--once takes no value"},
      {{"--manifests", "m", "--status", "s", "--status", "t"}, "--status given twice"},
      {{"--manifests=", "--status", "s"}, "--manifests needs a non-empty value"},
      {{"--manifests", "m", "--status", "s", "--metrics-address", "localhost:1"},
       "--metrics-address"},
      {{"--manifests", "m", "--status", "s", "--metrics-address", "10.0.0.1:99999"},
       "--metrics-address"},
  };
  for (const auto& [args, expected] : cases) {
    auto f = ParseControllerFlags(args);
    ASSERT_FALSE(f) << expected;
    EXPECT_NE(f.error().find(expected), std::string::npos) << f.error();
  }
}

TEST(ControllerFlagsTest, HelpNeedsNothingElse) {
  auto f = ParseControllerFlags({"--help"});
  ASSERT_TRUE(f);
  EXPECT_TRUE(f->help);
}

TEST(ControllerFlagsTest, StatusFileMustNotBeAManifest) {
  namespace fs = std::filesystem;
  const fs::path dir =
      fs::temp_directory_path() / ("vipcast-controller-flags-" + std::to_string(getpid()));
  fs::create_directories(dir / "m");
  ControllerFlags f;
  f.manifests = {(dir / "m").string()};
  f.status = (dir / "status.yaml").string();
  EXPECT_TRUE(CheckStatusOutsideManifests(f));
  f.status = (dir / "m" / "status.yaml").string();
  EXPECT_FALSE(CheckStatusOutsideManifests(f));
  f.manifests = {(dir / "m" / "status.yaml").string()};
  EXPECT_FALSE(CheckStatusOutsideManifests(f));
  f.manifests = {(dir / "m" / "pool.yaml").string()};
  EXPECT_TRUE(CheckStatusOutsideManifests(f));
  fs::remove_all(dir);
}

}  // namespace
}  // namespace vipcast::controller_main
