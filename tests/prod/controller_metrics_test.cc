// vipcast-controller's /metrics content: the allocator gauges follow the
// passes, a removed pool's series disappear, the client counters count
// updates and rejected updates, and the whole exposition passes
// `promtool check metrics` apart from MetalLB's own gauge names.
#include "prod/controller/controller_metrics.h"

#include <gtest/gtest.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cstdio>
#include <filesystem>
#include <fstream>
#include <set>
#include <sstream>
#include <string>

#include "prod/common/metrics_registry.h"
#include "prod/common/process_metrics.h"
#include "prod/controller/controller.h"

namespace vipcast::controller_main {
namespace {

namespace fs = std::filesystem;

std::string Pool(const std::string& name, const std::string& range) {
  return "---\napiVersion: metallb.io/v1beta1\nkind: IPAddressPool\nmetadata: {name: " + name +
         ", namespace: metallb-system}\nspec:\n  addresses:\n  - " + range +
         "\n---\napiVersion: metallb.io/v1beta1\nkind: L2Advertisement\nmetadata: {name: " + name +
         ", namespace: metallb-system}\n";
}

std::string Service(const std::string& name, const std::string& pool = "") {
  return "---\napiVersion: v1\nkind: Service\nmetadata:\n  name: " + name +
         "\n  namespace: default\n" +
         (pool.empty() ? "" : "  annotations: {metallb.io/address-pool: " + pool + "}\n") +
         "spec:\n  type: LoadBalancer\n  ports:\n  - port: 80\n";
}

class ControllerMetricsTest : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = fs::temp_directory_path() /
           ("vipcast-controller-metrics-" + std::to_string(getpid()) + "-" +
            ::testing::UnitTest::GetInstance()->current_test_info()->name());
    fs::create_directories(dir_ / "m");
  }
  void TearDown() override { fs::remove_all(dir_); }

  void Write(const std::string& text) {
    std::ofstream(dir_ / "m" / "all.yaml", std::ios::trunc) << text;
  }
  // One pass recorded in `metrics`.
  PassOutcome Pass(Controller& controller, ControllerMetrics& metrics, bool force = false) {
    PassOutcome r = controller.Pass(force);
    metrics.Record(r, controller.Metrics());
    return r;
  }
  ControllerOptions Options() {
    return {{(dir_ / "m").string()}, (dir_ / "status.yaml").string(), {}};
  }
  double Get(const prod::MetricsRegistry& r, const std::string& name, core::Labels labels = {}) {
    return r.Value(name, std::move(labels)).value_or(-1);
  }

  fs::path dir_;
};

TEST_F(ControllerMetricsTest, ClientSeriesArePresentBeforeTheFirstPass) {
  prod::MetricsRegistry registry;
  ControllerMetrics metrics(registry);
  EXPECT_EQ(Get(registry, "metallb_k8s_client_config_loaded_bool"), 0);
  EXPECT_EQ(Get(registry, "metallb_k8s_client_config_stale_bool"), 0);
  EXPECT_EQ(Get(registry, "metallb_k8s_client_updates_total"), 0);
  EXPECT_EQ(Get(registry, "metallb_k8s_client_update_errors_total"), 0);
  EXPECT_EQ(registry.series_count(), 4u);
}

TEST_F(ControllerMetricsTest, InUseFollowsServicesAndARemovedPoolDisappears) {
  const core::Labels lan{{"pool", "lan"}};
  const core::Labels dmz{{"pool", "dmz"}};
  Write(Pool("lan", "10.0.0.0/29") + Pool("dmz", "10.0.1.0/30") + Service("web", "lan") +
        Service("api", "dmz"));
  prod::MetricsRegistry registry([](const std::string& name) { ADD_FAILURE() << name; });
  ControllerMetrics metrics(registry);
  Controller controller(Options());
  ASSERT_TRUE(Pass(controller, metrics, true).accepted);
  EXPECT_EQ(Get(registry, "metallb_allocator_addresses_total", lan), 8);
  EXPECT_EQ(Get(registry, "metallb_allocator_addresses_in_use_total", lan), 1);
  EXPECT_EQ(Get(registry, "metallb_allocator_addresses_in_use_total", dmz), 1);
  EXPECT_EQ(Get(registry, "metallb_allocator_services_allocated_total", dmz), 1);
  EXPECT_EQ(Get(registry, "metallb_k8s_client_config_loaded_bool"), 1);
  EXPECT_EQ(Get(registry, "metallb_k8s_client_updates_total"), 1);

  // A second service in lan; api and its pool removed.
  Write(Pool("lan", "10.0.0.0/29") + Service("web", "lan") + Service("db", "lan"));
  ASSERT_TRUE(Pass(controller, metrics).accepted);
  EXPECT_EQ(Get(registry, "metallb_allocator_addresses_in_use_total", lan), 2);
  EXPECT_EQ(Get(registry, "metallb_allocator_services_allocated_total", lan), 2);
  for (const char* name :
       {"metallb_allocator_addresses_total", "metallb_allocator_ipv4_addresses_total",
        "metallb_allocator_ipv6_addresses_total", "metallb_allocator_addresses_in_use_total",
        "metallb_allocator_ipv4_addresses_in_use_total",
        "metallb_allocator_ipv6_addresses_in_use_total",
        "metallb_allocator_services_allocated_total"}) {
    EXPECT_FALSE(registry.Value(name, dmz)) << name << " still has pool dmz";
    EXPECT_TRUE(registry.Value(name, lan)) << name;
  }
  EXPECT_EQ(registry.Render().find("dmz"), std::string::npos);
  EXPECT_EQ(Get(registry, "metallb_k8s_client_updates_total"), 2);

  // An unchanged safety-poll pass is no update.
  ASSERT_FALSE(Pass(controller, metrics).read);
  EXPECT_EQ(Get(registry, "metallb_k8s_client_updates_total"), 2);
}

TEST_F(ControllerMetricsTest, RejectedManifestsKeepTheGaugesAndCountAnError) {
  const core::Labels lan{{"pool", "lan"}};
  Write(Pool("lan", "10.0.0.0/29") + Service("web"));
  prod::MetricsRegistry registry;
  ControllerMetrics metrics(registry);
  Controller controller(Options());
  ASSERT_TRUE(Pass(controller, metrics, true).accepted);
  Write(Pool("lan", "10.0.0.9-10.0.0.0") + Service("web") + Service("api"));
  EXPECT_TRUE(Pass(controller, metrics).invalid_input);
  EXPECT_EQ(Get(registry, "metallb_k8s_client_config_stale_bool"), 1);
  EXPECT_EQ(Get(registry, "metallb_k8s_client_config_loaded_bool"), 1);
  EXPECT_EQ(Get(registry, "metallb_k8s_client_updates_total"), 2);
  EXPECT_EQ(Get(registry, "metallb_k8s_client_update_errors_total"), 1);
  // The last good allocation is still the one in force.
  EXPECT_EQ(Get(registry, "metallb_allocator_addresses_in_use_total", lan), 1);
  Write(Pool("lan", "10.0.0.0/29") + Service("web") + Service("api"));
  ASSERT_TRUE(Pass(controller, metrics).accepted);
  EXPECT_EQ(Get(registry, "metallb_k8s_client_config_stale_bool"), 0);
  EXPECT_EQ(Get(registry, "metallb_allocator_addresses_in_use_total", lan), 2);
  EXPECT_EQ(Get(registry, "metallb_k8s_client_update_errors_total"), 1);
}

// MetalLB's allocator gauges end in _total; promtool flags exactly those.
const std::set<std::string>& AcceptedLintFindings() {
  static const std::set<std::string> accepted = [] {
    std::set<std::string> out;
    for (const char* name :
         {"metallb_allocator_addresses_total", "metallb_allocator_ipv4_addresses_total",
          "metallb_allocator_ipv6_addresses_total", "metallb_allocator_addresses_in_use_total",
          "metallb_allocator_ipv4_addresses_in_use_total",
          "metallb_allocator_ipv6_addresses_in_use_total",
          "metallb_allocator_services_allocated_total"}) {
      out.insert(std::string(name) + " non-counter metrics should not have \"_total\" suffix");
    }
    return out;
  }();
  return accepted;
}

TEST_F(ControllerMetricsTest, ExpositionPassesPromtool) {
  if (std::system("command -v promtool >/dev/null 2>&1") != 0) {
    GTEST_SKIP() << "promtool is not installed (Debian package prometheus)";
  }
  Write(Pool("lan", "10.0.0.0/29") + Service("web"));
  prod::MetricsRegistry registry([](const std::string& name) { ADD_FAILURE() << name; });
  ControllerMetrics metrics(registry);
  prod::RegisterProcessFamilies(registry);
  prod::UpdateProcessMetrics(registry);
  Controller controller(Options());
  ASSERT_TRUE(Pass(controller, metrics, true).accepted);
  const fs::path path = dir_ / "metrics.prom";
  std::ofstream(path, std::ios::binary) << registry.Render();
  const std::string command = "promtool check metrics < " + path.string() + " 2>&1";
  FILE* pipe = popen(command.c_str(), "r");
  ASSERT_NE(pipe, nullptr);
  std::string output;
  char buffer[4096];
  for (size_t n; (n = fread(buffer, 1, sizeof(buffer), pipe)) > 0;) output.append(buffer, n);
  const int status = pclose(pipe);
  EXPECT_EQ(output.find("error"), std::string::npos) << output;
  std::istringstream lines(output);
  std::set<std::string> findings;
  for (std::string line; std::getline(lines, line);) {
    if (!line.empty()) findings.insert(line);
  }
  for (const auto& f : findings) {
    EXPECT_TRUE(AcceptedLintFindings().count(f)) << "unexpected promtool finding: " << f;
  }
  // Every allocator family is exposed, so each accepted finding shows up.
  EXPECT_EQ(findings, AcceptedLintFindings());
  ASSERT_TRUE(WIFEXITED(status));
  EXPECT_EQ(WEXITSTATUS(status), 3) << output;  // 3: lint findings only, parsed fine
}

}  // namespace
}  // namespace vipcast::controller_main
