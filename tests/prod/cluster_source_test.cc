// File-mode cluster view: VIPs from the status file, then the manifests'
// status, then the allocator (around the status file's addresses); invalid
// manifests keep the last good snapshot; unchanged files are not reloaded.
#include "prod/common/cluster_source.h"

#include <gtest/gtest.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>

namespace vipcast::prod {
namespace {

namespace fs = std::filesystem;

const char kPool[] = R"(apiVersion: metallb.io/v1beta1
kind: IPAddressPool
metadata: {name: lan, namespace: metallb-system}
spec:
  addresses: [10.0.0.240/30]
---
apiVersion: metallb.io/v1beta1
kind: L2Advertisement
metadata: {name: lan, namespace: metallb-system}
)";

std::string Service(const std::string& name, const std::string& status_ip = "") {
  std::string out = "---\napiVersion: v1\nkind: Service\nmetadata: {name: " + name +
                    ", namespace: default}\nspec:\n  type: LoadBalancer\n  ports:\n  - port: 80\n";
  if (!status_ip.empty())
    out += "status:\n  loadBalancer:\n    ingress:\n    - ip: " + status_ip + "\n";
  return out;
}

class ClusterSourceTest : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = fs::temp_directory_path() /
           ("vipcast-cluster-source-" + std::to_string(getpid()) + "-" +
            ::testing::UnitTest::GetInstance()->current_test_info()->name());
    fs::create_directories(dir_ / "m");
  }
  void TearDown() override { fs::remove_all(dir_); }
  void Write(const std::string& rel, const std::string& text) {
    std::ofstream(dir_ / rel, std::ios::trunc) << text;
  }
  std::string Ip(const ClusterSource& s, const std::string& name) {
    for (const auto& svc : s.current().services->services) {
      if (svc.meta.name == name && !svc.ingress_ips.empty()) return svc.ingress_ips[0].ToString();
    }
    return "";
  }
  fs::path dir_;
};

TEST_F(ClusterSourceTest, StatusFileThenManifestStatusThenAllocator) {
  Write("m/pool.yaml", kPool);
  Write("m/svc.yaml", Service("a") + Service("b", "10.0.0.242") + Service("c"));
  Write("status.yaml", Service("c", "10.0.0.243"));
  ClusterSource source({(dir_ / "m").string()}, (dir_ / "status.yaml").string());
  const ReloadOutcome r = source.Reload();
  ASSERT_TRUE(r.accepted) << (r.errors.empty() ? "" : r.errors[0]);
  EXPECT_TRUE(r.config_changed && r.services_changed && r.nodes_changed);
  EXPECT_EQ(source.current().sources.at("default/a"), "allocated");
  EXPECT_EQ(source.current().sources.at("default/b"), "status");
  EXPECT_EQ(source.current().sources.at("default/c"), "status-file");
  EXPECT_EQ(Ip(source, "b"), "10.0.0.242");
  EXPECT_EQ(Ip(source, "c"), "10.0.0.243");
  EXPECT_FALSE(Ip(source, "a").empty());
  // Same input, same allocation: what every speaker relies on.
  ClusterSource again({(dir_ / "m").string()}, (dir_ / "status.yaml").string());
  ASSERT_TRUE(again.Reload().accepted);
  EXPECT_EQ(Ip(again, "a"), Ip(source, "a"));
}

TEST_F(ClusterSourceTest, AllocationAroundTheStatusFileNeverCollidesWithIt) {
  // The controller gave b the first address; a is not in the status file
  // yet (the controller has not seen it). Allocating a without the status
  // file's addresses would give it 10.0.0.240 too.
  Write("m/pool.yaml", kPool);
  Write("m/svc.yaml", Service("a") + Service("b"));
  Write("status.yaml", Service("b", "10.0.0.240"));
  ClusterSource source({(dir_ / "m").string()}, (dir_ / "status.yaml").string());
  ASSERT_TRUE(source.Reload().accepted);
  EXPECT_EQ(source.current().sources.at("default/a"), "allocated");
  EXPECT_EQ(Ip(source, "b"), "10.0.0.240");
  EXPECT_EQ(Ip(source, "a"), "10.0.0.241");
}

TEST_F(ClusterSourceTest, KeepsLastGoodAndSkipsUnchangedFiles) {
  Write("m/pool.yaml", kPool);
  Write("m/svc.yaml", Service("a", "10.0.0.241"));
  ClusterSource source({(dir_ / "m").string()}, std::nullopt);
  ASSERT_TRUE(source.Reload().accepted);
  EXPECT_FALSE(source.Reload().read);  // nothing changed on disk

  Write("m/pool.yaml",
        "apiVersion: metallb.io/v1beta1\nkind: IPAddressPool\nmetadata: {name: x}\n"
        "spec:\n  addresses: [10.0.0.250-10.0.0.240]\n");
  const ReloadOutcome bad = source.Reload();
  EXPECT_TRUE(bad.read);
  EXPECT_FALSE(bad.accepted);
  EXPECT_FALSE(bad.errors.empty());
  EXPECT_TRUE(source.stale());
  EXPECT_EQ(Ip(source, "a"), "10.0.0.241");  // last good still in force
  EXPECT_EQ(source.current().config->pools.size(), 1u);

  Write("m/pool.yaml", kPool);
  Write("m/svc.yaml", Service("a", "10.0.0.241") + Service("d", "10.0.0.240"));
  const ReloadOutcome good = source.Reload();
  EXPECT_TRUE(good.accepted);
  EXPECT_FALSE(good.config_changed);
  EXPECT_TRUE(good.services_changed);
  EXPECT_FALSE(source.stale());
}

TEST_F(ClusterSourceTest, UnreadableStatusFileKeepsLastGood) {
  Write("m/pool.yaml", kPool);
  Write("m/svc.yaml", Service("a"));
  Write("status.yaml", Service("a", "10.0.0.243"));
  ClusterSource source({(dir_ / "m").string()}, (dir_ / "status.yaml").string());
  ASSERT_TRUE(source.Reload().accepted);
  Write("status.yaml", "kind: [unbalanced\n");
  const ReloadOutcome r = source.Reload();
  EXPECT_FALSE(r.accepted);
  EXPECT_EQ(Ip(source, "a"), "10.0.0.243");
}

}  // namespace
}  // namespace vipcast::prod
