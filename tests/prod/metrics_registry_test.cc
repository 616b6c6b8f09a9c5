// MetricsRegistry and FactMetrics: the exposition text (families sorted,
// HELP/TYPE once, label escaping, value formatting), last-value semantics,
// series removal, unknown names kept and reported once, and a realistic
// speaker registry checked by `promtool check metrics`.
#include "prod/common/metrics_registry.h"

#include <gtest/gtest.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <limits>
#include <set>
#include <sstream>
#include <string>
#include <vector>

#include "engine/core/ip.h"
#include "prod/common/fact_metrics.h"
#include "prod/common/metric_families.h"
#include "prod/common/process_metrics.h"

namespace vipcast::prod {
namespace {

core::IpAddr Ip(const char* text) { return *core::IpAddr::Parse(text); }

TEST(MetricsRegistryTest, RendersFamiliesSortedWithHelpAndTypeOnce) {
  MetricsRegistry r;
  r.RegisterFamily({"b_total", "B things.", MetricType::kCounter});
  r.RegisterFamily({"a_gauge", "A level.", MetricType::kGauge});
  r.Set("b_total", {{"peer", "p2"}}, 2);
  r.Set("b_total", {{"peer", "p1"}}, 1);
  r.Set("a_gauge", {}, 0.5);
  EXPECT_EQ(r.Render(),
            "# HELP a_gauge A level.\n"
            "# TYPE a_gauge gauge\n"
            "a_gauge 0.5\n"
            "# HELP b_total B things.\n"
            "# TYPE b_total counter\n"
            "b_total{peer=\"p1\"} 1\n"
            "b_total{peer=\"p2\"} 2\n");
}

TEST(MetricsRegistryTest, KeepsTheLastValueAndSortsLabels) {
  MetricsRegistry r;
  r.RegisterFamily({"m", "M.", MetricType::kGauge});
  r.Apply(core::MetricChanged{"m", {{"z", "1"}, {"a", "2"}}, 3});
  r.Apply(core::MetricChanged{"m", {{"a", "2"}, {"z", "1"}}, 7});  // same series, other order
  EXPECT_EQ(r.series_count(), 1u);
  EXPECT_EQ(r.Value("m", {{"z", "1"}, {"a", "2"}}), 7);
  EXPECT_NE(r.Render().find("m{a=\"2\",z=\"1\"} 7\n"), std::string::npos) << r.Render();
  r.Add("m", {{"a", "2"}, {"z", "1"}}, 1.5);
  EXPECT_EQ(r.Value("m", {{"a", "2"}, {"z", "1"}}), 8.5);
  // A duplicate label name keeps the later value.
  r.Set("m", {{"k", "first"}, {"k", "second"}}, 1);
  EXPECT_EQ(r.Value("m", {{"k", "second"}}), 1);
}

TEST(MetricsRegistryTest, EscapesLabelValuesAndHelp) {
  MetricsRegistry r;
  r.RegisterFamily({"m", "Line one\nback\\slash \"quoted\".", MetricType::kGauge});
  r.Set("m", {{"service", "a\\b\"c\nd"}}, 1);
  const std::string text = r.Render();
  EXPECT_NE(text.find("# HELP m Line one\\nback\\\\slash \"quoted\".\n"), std::string::npos)
      << text;
  EXPECT_NE(text.find("m{service=\"a\\\\b\\\"c\\nd\"} 1\n"), std::string::npos) << text;
}

TEST(MetricsRegistryTest, SanitizesNamesThatPrometheusCannotParse) {
  EXPECT_EQ(SanitizeMetricName("ok_name:sub"), "ok_name:sub");
  EXPECT_EQ(SanitizeMetricName("bad-name.x"), "bad_name_x");
  EXPECT_EQ(SanitizeMetricName("9lives"), "_9lives");
  EXPECT_EQ(SanitizeMetricName(""), "_");
  EXPECT_EQ(SanitizeLabelName("a:b"), "a_b");
  MetricsRegistry r;
  r.Set("x-y", {{"l-1", "v"}}, 1);
  EXPECT_EQ(r.Render(), "# TYPE x_y untyped\nx_y{l_1=\"v\"} 1\n");
}

TEST(MetricsRegistryTest, FormatsValuesAsPrometheusParsesThem) {
  EXPECT_EQ(FormatSampleValue(0), "0");
  EXPECT_EQ(FormatSampleValue(12345678), "12345678");
  EXPECT_EQ(FormatSampleValue(-2.5), "-2.5");
  EXPECT_EQ(FormatSampleValue(1e300), "1e+300");
  EXPECT_EQ(FormatSampleValue(std::numeric_limits<double>::infinity()), "+Inf");
  EXPECT_EQ(FormatSampleValue(-std::numeric_limits<double>::infinity()), "-Inf");
  EXPECT_EQ(FormatSampleValue(std::nan("")), "NaN");
}

TEST(MetricsRegistryTest, RemovesOneSeriesAndOmitsEmptyFamilies) {
  MetricsRegistry r;
  r.RegisterFamily({"m", "M.", MetricType::kGauge});
  r.Set("m", {{"ip", "10.0.0.1"}}, 1);
  r.Set("m", {{"ip", "10.0.0.2"}}, 1);
  EXPECT_TRUE(r.Remove("m", {{"ip", "10.0.0.1"}}));
  EXPECT_FALSE(r.Remove("m", {{"ip", "10.0.0.1"}}));
  EXPECT_FALSE(r.Remove("other", {}));
  EXPECT_EQ(r.Render(), "# HELP m M.\n# TYPE m gauge\nm{ip=\"10.0.0.2\"} 1\n");
  EXPECT_TRUE(r.Remove("m", {{"ip", "10.0.0.2"}}));
  EXPECT_EQ(r.Render(), "");
  EXPECT_TRUE(r.HasFamily("m"));
}

TEST(MetricsRegistryTest, ExposesUnknownNamesAsUntypedAndReportsThemOnce) {
  std::vector<std::string> reported;
  MetricsRegistry r([&](const std::string& name) { reported.push_back(name); });
  r.RegisterFamily({"known", "K.", MetricType::kCounter});
  r.Apply(core::MetricChanged{"known", {}, 1});
  r.Apply(core::MetricChanged{"surprise", {{"a", "1"}}, 1});
  r.Apply(core::MetricChanged{"surprise", {{"a", "2"}}, 2});
  EXPECT_EQ(reported, std::vector<std::string>{"surprise"});
  const std::string text = r.Render();
  EXPECT_NE(text.find("# TYPE surprise untyped\nsurprise{a=\"1\"} 1\nsurprise{a=\"2\"} 2\n"),
            std::string::npos)
      << text;
  // Registering the family later types the series already there.
  r.RegisterFamily({"surprise", "Now known.", MetricType::kGauge});
  EXPECT_NE(r.Render().find("# TYPE surprise gauge\n"), std::string::npos);
}

TEST(MetricsRegistryTest, RenderIsDeterministic) {
  MetricsRegistry a;
  MetricsRegistry b;
  RegisterEngineFamilies(a);
  RegisterEngineFamilies(b);
  a.Set("metallb_bgp_session_up", {{"peer", "x"}}, 1);
  a.Set("metallb_bfd_session_up", {{"peer", "y"}}, 0);
  b.Set("metallb_bfd_session_up", {{"peer", "y"}}, 0);
  b.Set("metallb_bgp_session_up", {{"peer", "x"}}, 1);
  EXPECT_EQ(a.Render(), b.Render());
}

TEST(FactMetricsTest, AnnouncedSeriesFollowsVipFacts) {
  MetricsRegistry r;
  RegisterSpeakerFamilies(r);
  FactMetrics facts(r, "n1");
  const core::Labels l2{
      {"ip", "10.0.0.240"}, {"node", "n1"}, {"protocol", "layer2"}, {"service", "default/web"}};
  const core::Labels bgp{
      {"ip", "10.0.0.240"}, {"node", "n1"}, {"protocol", "bgp"}, {"service", "default/web"}};
  facts.Record(
      core::VipAnnounced{Ip("10.0.0.240"), "default/web", core::AnnounceMode::kLayer2, "eth0"});
  facts.Record(core::VipAnnounced{Ip("10.0.0.240"), "default/web", core::AnnounceMode::kBgp, ""});
  EXPECT_EQ(r.Value(kMetricSpeakerAnnounced, l2), 1);
  EXPECT_EQ(r.Value(kMetricSpeakerAnnounced, bgp), 1);
  facts.Record(core::VipWithdrawn{Ip("10.0.0.240"), "default/web", core::AnnounceMode::kLayer2,
                                  "lost election"});
  EXPECT_EQ(r.Value(kMetricSpeakerAnnounced, l2), std::nullopt);  // removed, not 0
  EXPECT_EQ(r.Value(kMetricSpeakerAnnounced, bgp), 1);
  // MetricChanged carries the engine's counters; other actions are ignored.
  facts.Record(core::MetricChanged{"metallb_layer2_requests_received", {{"ip", "10.0.0.240"}}, 4});
  facts.Record(core::Log{core::LogLevel::kInfo, "hello", {}});
  EXPECT_EQ(r.Value("metallb_layer2_requests_received", {{"ip", "10.0.0.240"}}), 4);
  EXPECT_EQ(r.series_count(), 2u);
}

// Every name the engine emits has a family: an emitted name missing from
// the catalogue would be exposed untyped and logged at run time.
TEST(MetricFamiliesTest, CatalogueCoversTheEngineNames) {
  MetricsRegistry r;
  RegisterEngineFamilies(r);
  RegisterSpeakerFamilies(r);
  for (const char* name : {"metallb_layer2_requests_received",
                           "metallb_layer2_responses_sent",
                           "metallb_layer2_gratuitous_sent",
                           "vipcast_layer2_conflicts_seen",
                           "vipcast_layer2_malformed_frames",
                           "metallb_bgp_session_up",
                           "metallb_bgp_updates_total",
                           "metallb_bgp_announced_prefixes_total",
                           "metallb_bgp_pending_prefixes_total",
                           "vipcast_bgp_messages_sent_total",
                           "vipcast_bgp_messages_received_total",
                           "vipcast_bgp_notifications_total",
                           "metallb_bfd_session_up",
                           "metallb_bfd_control_packet_input",
                           "metallb_bfd_control_packet_output",
                           "metallb_bfd_echo_packet_input",
                           "metallb_bfd_echo_packet_output",
                           "metallb_bfd_session_up_events",
                           "metallb_bfd_session_down_events",
                           "metallb_bfd_zebra_notifications",
                           "vipcast_bfd_packets_dropped_total",
                           "vipcast_membership_members",
                           "vipcast_membership_messages_sent_total",
                           "vipcast_membership_messages_received_total",
                           "vipcast_membership_bytes_sent_total",
                           "vipcast_membership_dropped_total",
                           "vipcast_membership_refutations_total",
                           "vipcast_membership_probe_failures_total",
                           "vipcast_membership_changes_dropped_total",
                           "vipcast_membership_health_score",
                           "vipcast_membership_incarnation",
                           "vipcast_speaker_announced_vips",
                           "metallb_speaker_announced",
                           "metallb_k8s_client_config_loaded_bool",
                           "metallb_k8s_client_config_stale_bool",
                           "metallb_k8s_client_updates_total",
                           "metallb_k8s_client_update_errors_total"}) {
    EXPECT_TRUE(r.HasFamily(name)) << name;
  }
}

TEST(MetricFamiliesTest, ControllerCatalogueHasAllocatorAndClientFamilies) {
  MetricsRegistry r;
  RegisterControllerFamilies(r);
  // MetalLB's allocator gauges (internal/allocator/stats.go).
  for (const char* name :
       {"metallb_allocator_addresses_total", "metallb_allocator_ipv4_addresses_total",
        "metallb_allocator_ipv6_addresses_total", "metallb_allocator_addresses_in_use_total",
        "metallb_allocator_ipv4_addresses_in_use_total",
        "metallb_allocator_ipv6_addresses_in_use_total",
        "metallb_allocator_services_allocated_total", "metallb_k8s_client_config_loaded_bool",
        "metallb_k8s_client_config_stale_bool", "metallb_k8s_client_updates_total",
        "metallb_k8s_client_update_errors_total"}) {
    EXPECT_TRUE(r.HasFamily(name)) << name;
  }
  EXPECT_FALSE(r.HasFamily("metallb_speaker_announced"));
}

// A registry with one series in every family, as a speaker with layer 2,
// BGP and BFD running would hold.
MetricsRegistry RealisticRegistry() {
  MetricsRegistry r([](const std::string& name) { ADD_FAILURE() << "unknown " << name; });
  RegisterEngineFamilies(r);
  RegisterSpeakerFamilies(r);
  RegisterControllerFamilies(r);  // one registry for both, to lint every family
  RegisterProcessFamilies(r);
  UpdateProcessMetrics(r);
  FactMetrics facts(r, "node-1");
  facts.Record(
      core::VipAnnounced{Ip("10.10.0.240"), "default/web", core::AnnounceMode::kLayer2, "eth0"});
  facts.Record(
      core::VipAnnounced{Ip("2001:db8::240"), "default/web", core::AnnounceMode::kBgp, ""});
  const core::Labels ip{{"ip", "10.10.0.240"}};
  const core::Labels peer{{"peer", "192.168.1.1:179"}};
  for (const char* name : {"metallb_layer2_requests_received", "metallb_layer2_responses_sent",
                           "metallb_layer2_gratuitous_sent", "vipcast_layer2_conflicts_seen"}) {
    r.Set(name, ip, 3);
  }
  r.Set("vipcast_layer2_malformed_frames", {{"reason", "truncated"}}, 1);
  for (const char* name :
       {"metallb_bgp_session_up", "metallb_bgp_updates_total",
        "metallb_bgp_announced_prefixes_total", "metallb_bgp_pending_prefixes_total"}) {
    r.Set(name, peer, 1);
  }
  r.Set("vipcast_bgp_messages_sent_total", {{"peer", "p"}, {"type", "update"}}, 5);
  r.Set("vipcast_bgp_messages_received_total", {{"peer", "p"}, {"type", "keepalive"}}, 9);
  r.Set("vipcast_bgp_notifications_total", {{"peer", "p"}, {"direction", "sent"}, {"code", "6"}},
        1);
  for (const char* name : {"metallb_bfd_session_up", "metallb_bfd_control_packet_input",
                           "metallb_bfd_control_packet_output", "metallb_bfd_echo_packet_input",
                           "metallb_bfd_echo_packet_output", "metallb_bfd_session_up_events",
                           "metallb_bfd_session_down_events", "metallb_bfd_zebra_notifications"}) {
    r.Set(name, {{"peer", "192.168.1.1"}}, 0);
  }
  r.Set("vipcast_bfd_packets_dropped_total", {{"reason", "ttl"}}, 2);
  for (const char* name :
       {"metallb_allocator_addresses_total", "metallb_allocator_ipv4_addresses_total",
        "metallb_allocator_ipv6_addresses_total", "metallb_allocator_addresses_in_use_total",
        "metallb_allocator_ipv4_addresses_in_use_total",
        "metallb_allocator_ipv6_addresses_in_use_total",
        "metallb_allocator_services_allocated_total"}) {
    r.Set(name, {{"pool", "lan"}}, 2);
  }
  r.Set("vipcast_membership_members", {{"state", "alive"}}, 3);
  r.Set("vipcast_membership_messages_sent_total", {{"type", "ping"}}, 10);
  r.Set("vipcast_membership_messages_received_total", {{"type", "ack"}}, 10);
  r.Set("vipcast_membership_bytes_sent_total", {}, 1000);
  r.Set("vipcast_membership_dropped_total", {{"reason", "replayed"}}, 1);
  for (const char* name :
       {"vipcast_membership_refutations_total", "vipcast_membership_probe_failures_total",
        "vipcast_membership_changes_dropped_total", "vipcast_membership_health_score",
        "vipcast_membership_incarnation", "vipcast_speaker_announced_vips",
        "metallb_k8s_client_config_loaded_bool", "metallb_k8s_client_config_stale_bool",
        "metallb_k8s_client_updates_total", "metallb_k8s_client_update_errors_total"}) {
    r.Set(name, {}, 1);
  }
  return r;
}

// promtool's lint findings that are accepted, each for MetalLB compatibility:
// MetalLB's counters without the _total suffix and gauges with it. Dashboards
// and alerts use these exact names, so renaming them would break users.
const std::set<std::string>& AcceptedLintFindings() {
  static const std::set<std::string> accepted = {
      "metallb_layer2_requests_received counter metrics should have \"_total\" suffix",
      "metallb_layer2_responses_sent counter metrics should have \"_total\" suffix",
      "metallb_layer2_gratuitous_sent counter metrics should have \"_total\" suffix",
      "metallb_bfd_control_packet_input counter metrics should have \"_total\" suffix",
      "metallb_bfd_control_packet_output counter metrics should have \"_total\" suffix",
      "metallb_bfd_echo_packet_input counter metrics should have \"_total\" suffix",
      "metallb_bfd_echo_packet_output counter metrics should have \"_total\" suffix",
      "metallb_bfd_session_up_events counter metrics should have \"_total\" suffix",
      "metallb_bfd_session_down_events counter metrics should have \"_total\" suffix",
      "metallb_bfd_zebra_notifications counter metrics should have \"_total\" suffix",
      "metallb_bgp_announced_prefixes_total non-counter metrics should not have \"_total\" suffix",
      "metallb_bgp_pending_prefixes_total non-counter metrics should not have \"_total\" suffix",
      "metallb_allocator_addresses_total non-counter metrics should not have \"_total\" suffix",
      "metallb_allocator_addresses_in_use_total non-counter metrics should not have \"_total\" "
      "suffix",
      "metallb_allocator_ipv4_addresses_total non-counter metrics should not have \"_total\" "
      "suffix",
      "metallb_allocator_ipv6_addresses_total non-counter metrics should not have \"_total\" "
      "suffix",
      "metallb_allocator_ipv4_addresses_in_use_total non-counter metrics should not have "
      "\"_total\" suffix",
      "metallb_allocator_ipv6_addresses_in_use_total non-counter metrics should not have "
      "\"_total\" suffix",
      "metallb_allocator_services_allocated_total non-counter metrics should not have "
      "\"_total\" suffix",
      // vipcast's own layer 2 counters follow MetalLB's layer 2 naming so
      // that one dashboard query pattern covers the whole family.
      "vipcast_layer2_conflicts_seen counter metrics should have \"_total\" suffix",
      "vipcast_layer2_malformed_frames counter metrics should have \"_total\" suffix",
  };
  return accepted;
}

TEST(MetricsRegistryPromtoolTest, RealisticRegistryPassesPromtool) {
  if (std::system("command -v promtool >/dev/null 2>&1") != 0) {
    GTEST_SKIP() << "promtool is not installed (Debian package prometheus)";
  }
  const std::string text = RealisticRegistry().Render();
  char path[] = "/tmp/vipcast-metrics-XXXXXX";
  const int fd = mkstemp(path);
  ASSERT_GE(fd, 0);
  {
    std::ofstream out(path, std::ios::binary);
    out << text;
  }
  const std::string command = std::string("promtool check metrics < ") + path + " 2>&1";
  FILE* pipe = popen(command.c_str(), "r");
  ASSERT_NE(pipe, nullptr);
  std::string output;
  char buffer[4096];
  for (size_t n; (n = fread(buffer, 1, sizeof(buffer), pipe)) > 0;) output.append(buffer, n);
  const int status = pclose(pipe);
  std::remove(path);
  close(fd);
  // Parse errors would fail the whole check (exit 1, "error while linting");
  // lint findings come one per line as "NAME PROBLEM" (exit 3).
  EXPECT_EQ(output.find("error"), std::string::npos) << output;
  std::istringstream lines(output);
  int findings = 0;
  for (std::string line; std::getline(lines, line);) {
    if (line.empty()) continue;
    ++findings;
    EXPECT_TRUE(AcceptedLintFindings().count(line)) << "unexpected promtool finding: " << line;
  }
  ASSERT_TRUE(WIFEXITED(status));
  if (findings == 0) EXPECT_EQ(WEXITSTATUS(status), 0) << output;
  // An unparsable exposition exits 1; only lint findings may make it non-zero.
  EXPECT_NE(WEXITSTATUS(status), 1) << output;
}

}  // namespace
}  // namespace vipcast::prod
