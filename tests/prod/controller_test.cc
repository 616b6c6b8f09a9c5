// vipcast-controller's pass: what it writes is what the speaker reads;
// addresses survive restarts and unrelated changes; a pool change moves
// them; invalid manifests leave the status file byte-identical; writes are
// atomic and only happen when the content changes.
#include "prod/controller/controller.h"

#include <gtest/gtest.h>
#include <sys/stat.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <iterator>
#include <map>
#include <set>

#include "prod/common/cluster_source.h"

namespace vipcast::controller_main {
namespace {

namespace fs = std::filesystem;

std::string Pool(const std::string& v4, const std::string& v6 = "") {
  return "apiVersion: metallb.io/v1beta1\nkind: IPAddressPool\n"
         "metadata: {name: lan, namespace: metallb-system}\nspec:\n  addresses:\n  - " +
         v4 + "\n" + (v6.empty() ? "" : "  - " + v6 + "\n") +
         "---\napiVersion: metallb.io/v1beta1\nkind: L2Advertisement\n"
         "metadata: {name: lan, namespace: metallb-system}\n";
}

std::string Service(const std::string& name, const std::string& extra_spec = "") {
  return "---\napiVersion: v1\nkind: Service\nmetadata: {name: " + name +
         ", namespace: default}\nspec:\n  type: LoadBalancer\n" + extra_spec +
         "  ports:\n  - port: 80\n";
}

std::string DualStack(const std::string& name) {
  return Service(name, "  ipFamilyPolicy: RequireDualStack\n  ipFamilies: [IPv4, IPv6]\n");
}

class ControllerTest : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = fs::temp_directory_path() /
           ("vipcast-controller-" + std::to_string(getpid()) + "-" +
            ::testing::UnitTest::GetInstance()->current_test_info()->name());
    fs::create_directories(dir_ / "m");
  }
  void TearDown() override { fs::remove_all(dir_); }

  void Write(const std::string& rel, const std::string& text) {
    std::ofstream(dir_ / rel, std::ios::trunc) << text;
  }
  std::string Read(const std::string& rel) {
    std::ifstream in(dir_ / rel, std::ios::binary);
    return std::string((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  }
  std::string StatusPath() { return (dir_ / "status.yaml").string(); }
  ControllerOptions Options() { return {{(dir_ / "m").string()}, StatusPath(), {}}; }

  // Service key -> first IP (or "" while pending), from the controller.
  static std::map<std::string, std::string> Ips(const Controller& c) {
    std::map<std::string, std::string> out;
    for (const auto& r : c.Results()) out[r.service] = r.pending() ? "" : r.ips[0].ToString();
    return out;
  }
  static std::string Describe(const PassOutcome& r) {
    std::string out;
    for (const auto& e : r.errors) out += e + "\n";
    return out;
  }

  fs::path dir_;
};

TEST_F(ControllerTest, WhatTheControllerWritesIsWhatTheSpeakerReads) {
  Write("m/pool.yaml", Pool("10.0.0.240/30", "fd00::240/126"));
  Write("m/svc.yaml", Service("a") + DualStack("d") +
                          Service("p", "  loadBalancerIP: 192.168.99.1\n"));  // in no pool: pending
  Controller controller(Options());
  const PassOutcome r = controller.Pass(true);
  ASSERT_TRUE(r.accepted) << Describe(r);
  EXPECT_TRUE(r.status_written);
  EXPECT_FALSE(r.status_error);

  // The status file holds exactly the controller's assignments...
  std::string text;
  auto status = prod::ReadStatusFile(StatusPath(), &text);
  ASSERT_TRUE(status) << status.error();
  std::map<std::string, std::vector<core::IpAddr>> assigned;
  for (const auto& result : controller.Results()) {
    if (!result.pending()) assigned[result.service] = result.ips;
  }
  EXPECT_EQ(*status, assigned);
  ASSERT_EQ(assigned.size(), 2u);
  EXPECT_EQ(assigned["default/d"].size(), 2u);  // both families listed
  EXPECT_NE(text.find("metallb.io/ip-allocated-from-pool: \"lan\""), std::string::npos) << text;
  EXPECT_NE(text.find("# pending default/p: "), std::string::npos) << text;

  // ...and a speaker's ClusterSource takes every one of them from the file.
  prod::ClusterSource speaker({(dir_ / "m").string()}, StatusPath());
  const prod::ReloadOutcome loaded = speaker.Reload();
  ASSERT_TRUE(loaded.accepted) << (loaded.errors.empty() ? "" : loaded.errors[0]);
  for (const auto& service : speaker.current().services->services) {
    const std::string key = service.meta.Key();
    if (assigned.count(key) == 0) continue;
    EXPECT_EQ(speaker.current().sources.at(key), "status-file") << key;
    EXPECT_EQ(service.ingress_ips, assigned[key]) << key;
  }
}

TEST_F(ControllerTest, AddressesSurviveRestartAndUnrelatedChanges) {
  Write("m/pool.yaml", Pool("10.0.0.240/29"));
  Write("m/svc.yaml", Service("b") + Service("c"));
  std::map<std::string, std::string> before;
  {
    Controller first(Options());
    ASSERT_TRUE(first.Pass(true).accepted);
    before = Ips(first);
    ASSERT_EQ(before["default/b"], "10.0.0.240");
    ASSERT_EQ(before["default/c"], "10.0.0.241");
    // An unrelated change while running: "a" sorts first but takes a free
    // address; nobody moves.
    Write("m/svc.yaml", Service("a") + Service("b") + Service("c"));
    const PassOutcome r = first.Pass();
    ASSERT_TRUE(r.accepted) << Describe(r);
    ASSERT_EQ(r.changes.size(), 1u);
    EXPECT_EQ(r.changes[0].service, "default/a");
    EXPECT_EQ(r.changes[0].kind, ipam::ChangeKind::kAssigned);
    EXPECT_EQ(Ips(first)["default/b"], "10.0.0.240");
    EXPECT_EQ(Ips(first)["default/a"], "10.0.0.242");
  }
  const std::string status_before = Read("status.yaml");
  // A restart: a fresh allocation would hand a=.240, b=.241, c=.242.
  Controller restarted(Options());
  const PassOutcome r = restarted.Pass(true);
  ASSERT_TRUE(r.accepted) << Describe(r);
  EXPECT_TRUE(r.previous_status_used);
  EXPECT_EQ(r.reclaimed, 3u);
  EXPECT_TRUE(r.changes.empty());
  EXPECT_EQ(Ips(restarted)["default/a"], "10.0.0.242");
  EXPECT_EQ(Ips(restarted)["default/b"], "10.0.0.240");
  EXPECT_EQ(Ips(restarted)["default/c"], "10.0.0.241");
  EXPECT_FALSE(r.status_written);  // same content: not rewritten
  EXPECT_EQ(Read("status.yaml"), status_before);
}

TEST_F(ControllerTest, PoolChangeForcesReassignmentWhileRunningAndAcrossRestart) {
  Write("m/pool.yaml", Pool("10.0.0.240/30"));
  Write("m/svc.yaml", Service("a"));
  Controller controller(Options());
  ASSERT_TRUE(controller.Pass(true).accepted);
  ASSERT_EQ(Ips(controller)["default/a"], "10.0.0.240");

  Write("m/pool.yaml", Pool("10.0.0.248/30"));
  const PassOutcome r = controller.Pass();
  ASSERT_TRUE(r.accepted) << Describe(r);
  ASSERT_EQ(r.changes.size(), 1u);
  EXPECT_EQ(r.changes[0].kind, ipam::ChangeKind::kMoved);
  EXPECT_EQ(r.changes[0].old_ips[0].ToString(), "10.0.0.240");
  EXPECT_EQ(r.changes[0].ips[0].ToString(), "10.0.0.248");
  EXPECT_TRUE(r.status_written);
  EXPECT_NE(Read("status.yaml").find("\"10.0.0.248\""), std::string::npos);

  // While the controller is down the pool changes again: the status file's
  // address is no longer allowed, so the restarted controller moves it.
  Write("m/pool.yaml", Pool("10.0.1.0/30"));
  Controller restarted(Options());
  const PassOutcome again = restarted.Pass(true);
  ASSERT_TRUE(again.accepted) << Describe(again);
  EXPECT_EQ(again.reclaimed, 0u);
  EXPECT_EQ(Ips(restarted)["default/a"], "10.0.1.0");
  EXPECT_NE(Read("status.yaml").find("\"10.0.1.0\""), std::string::npos);
}

TEST_F(ControllerTest, InvalidManifestKeepsStatusFileByteIdentical) {
  Write("m/pool.yaml", Pool("10.0.0.240/30"));
  Write("m/svc.yaml", Service("a"));
  Controller controller(Options());
  ASSERT_TRUE(controller.Pass(true).accepted);
  const std::string before = Read("status.yaml");
  struct stat st_before {};
  ASSERT_EQ(::stat(StatusPath().c_str(), &st_before), 0);

  Write("m/pool.yaml", Pool("10.0.0.250-10.0.0.240"));  // reversed range
  Write("m/svc.yaml", Service("a") + Service("b"));
  const PassOutcome r = controller.Pass();
  EXPECT_TRUE(r.read);
  EXPECT_FALSE(r.accepted);
  EXPECT_TRUE(r.invalid_input);
  EXPECT_FALSE(r.status_written);
  ASSERT_FALSE(r.errors.empty());
  EXPECT_NE(r.errors[0].find("pool.yaml:"), std::string::npos) << r.errors[0];  // file:line
  EXPECT_TRUE(controller.stale());
  EXPECT_EQ(Read("status.yaml"), before);
  struct stat st_after {};
  ASSERT_EQ(::stat(StatusPath().c_str(), &st_after), 0);
  EXPECT_EQ(st_after.st_ino, st_before.st_ino);  // not even replaced by an equal copy

  Write("m/pool.yaml", Pool("10.0.0.240/30"));
  const PassOutcome fixed = controller.Pass();
  EXPECT_TRUE(fixed.accepted) << Describe(fixed);
  EXPECT_FALSE(controller.stale());
  EXPECT_EQ(Ips(controller)["default/b"], "10.0.0.241");
}

TEST_F(ControllerTest, InvalidManifestsAtStartLeaveThePreviousStatusAlone) {
  Write("status.yaml", "# from an earlier run\n");
  Write("m/pool.yaml", "kind: [unbalanced\n");
  Controller controller(Options());
  const PassOutcome r = controller.Pass(true);
  EXPECT_TRUE(r.invalid_input);
  EXPECT_FALSE(r.status_written);
  EXPECT_EQ(Read("status.yaml"), "# from an earlier run\n");
}

TEST_F(ControllerTest, UnchangedInputsAreNotReloadedAndALostStatusFileIsRewritten) {
  Write("m/pool.yaml", Pool("10.0.0.240/30"));
  Write("m/svc.yaml", Service("a"));
  Controller controller(Options());
  ASSERT_TRUE(controller.Pass(true).status_written);
  const std::string written = Read("status.yaml");
  const PassOutcome same = controller.Pass();
  EXPECT_FALSE(same.read);
  EXPECT_FALSE(same.status_written);

  fs::remove(dir_ / "status.yaml");
  const PassOutcome lost = controller.Pass();
  EXPECT_FALSE(lost.read);
  EXPECT_TRUE(lost.status_written);
  EXPECT_EQ(Read("status.yaml"), written);
}

TEST_F(ControllerTest, WritesLeaveNoTemporaryFiles) {
  Write("m/pool.yaml", Pool("10.0.0.240/30"));
  Controller controller(Options());
  for (const std::string names : {"a", "b", "c"}) {
    Write("m/svc.yaml", Service(names));
    ASSERT_TRUE(controller.Pass().status_written);
  }
  std::set<std::string> entries;
  for (const auto& e : fs::directory_iterator(dir_)) entries.insert(e.path().filename().string());
  EXPECT_EQ(entries, (std::set<std::string>{"m", "status.yaml"}));
}

TEST_F(ControllerTest, MetricsUseMetalLBNames) {
  Write("m/pool.yaml", Pool("10.0.0.240/30", "fd00::240/126"));
  Write("m/svc.yaml", Service("a") + DualStack("d"));
  Controller controller(Options());
  ASSERT_TRUE(controller.Pass(true).accepted);
  std::map<std::string, double> values;
  for (const auto& m : controller.Metrics()) {
    std::string key = m.name;
    for (const auto& [k, v] : m.labels) key += "{" + k + "=" + v + "}";
    values[key] = m.value;
  }
  EXPECT_EQ(values.at("metallb_allocator_addresses_total{pool=lan}"), 8);
  EXPECT_EQ(values.at("metallb_allocator_ipv4_addresses_total{pool=lan}"), 4);
  EXPECT_EQ(values.at("metallb_allocator_ipv6_addresses_total{pool=lan}"), 4);
  EXPECT_EQ(values.at("metallb_allocator_addresses_in_use_total{pool=lan}"), 3);
  EXPECT_EQ(values.at("metallb_allocator_ipv4_addresses_in_use_total{pool=lan}"), 2);
  EXPECT_EQ(values.at("metallb_allocator_ipv6_addresses_in_use_total{pool=lan}"), 1);
  EXPECT_EQ(values.at("metallb_allocator_services_allocated_total{pool=lan}"), 2);
  EXPECT_EQ(values.at("metallb_k8s_client_config_loaded_bool"), 1);
  EXPECT_EQ(values.at("metallb_k8s_client_config_stale_bool"), 0);
  EXPECT_EQ(values.size(), 9u);
}

}  // namespace
}  // namespace vipcast::controller_main
