// Every Kubernetes manifest in MetalLB's documentation (and its configsamples)
// must load with zero errors, together with its context file when it
// references objects it does not define (tests/data/metallb-docs/README.md,
// "Context files").
#include <gtest/gtest.h>

#include <set>

#include "test_files.h"

namespace vipcast::config {
namespace {

namespace fs = std::filesystem;
using testing::Format;
using testing::ReadFile;
using testing::YamlFiles;

const fs::path kDocs = "tests/data/metallb-docs";

std::vector<fs::path> Examples() {
  auto out = YamlFiles(kDocs);
  auto samples = YamlFiles(kDocs / "configsamples");
  out.insert(out.end(), samples.begin(), samples.end());
  return out;
}

LoadResult LoadExample(const fs::path& example, bool with_context) {
  std::vector<ManifestText> manifests = {{example.filename().string(), ReadFile(example)}};
  const fs::path context = kDocs / "context" / example.filename();
  if (with_context && fs::exists(context)) {
    manifests.push_back({"context/" + example.filename().string(), ReadFile(context)});
  }
  return LoadManifests(manifests);
}

TEST(MetalLBExamples, AllSeventyTwoLoadWithoutErrors) {
  const auto examples = Examples();
  ASSERT_EQ(examples.size(), 72u);
  for (const auto& example : examples) {
    SCOPED_TRACE(example.string());
    const LoadResult result = LoadExample(example, true);
    EXPECT_TRUE(result.ok()) << Format(result.diagnostics);
    const auto& r = result.resources;
    const size_t objects = r.config.pools.size() + r.config.l2_advertisements.size() +
                           r.config.bgp_advertisements.size() + r.config.bgp_peers.size() +
                           r.config.communities.size() + r.config.bfd_profiles.size() +
                           r.services.services.size();
    EXPECT_GT(objects, 0u);
  }
}

// A context file exists only where the example alone fails, and names an
// example that exists: the files are not padding.
TEST(MetalLBExamples, ContextFilesAreNeededAndMatchAnExample) {
  std::set<std::string> names;
  for (const auto& example : Examples()) names.insert(example.filename().string());
  const auto contexts = YamlFiles(kDocs / "context");
  EXPECT_EQ(contexts.size(), 29u);
  for (const auto& context : contexts) {
    SCOPED_TRACE(context.string());
    ASSERT_EQ(names.count(context.filename().string()), 1u);
    fs::path example = kDocs / context.filename();
    if (!fs::exists(example)) example = kDocs / "configsamples" / context.filename();
    EXPECT_FALSE(LoadExample(example, false).ok());
  }
}

TEST(MetalLBExamples, ExpectedWarnings) {
  // Host bits in a CIDR are masked, with a warning (Go's net.ParseCIDR).
  auto r = LoadExample(kDocs / "advanced-bgp-configuration-01-ipaddresspool-first-pool.yaml", true);
  ASSERT_EQ(r.diagnostics.size(), 1u);
  EXPECT_EQ(r.diagnostics[0].ToString(),
            "advanced-bgp-configuration-01-ipaddresspool-first-pool.yaml:9: IPAddressPool "
            "metallb-system/first-pool: spec.addresses[0]: warning: 198.51.100.10/24 has host bits "
            "set; using 198.51.100.0/24 as MetalLB does");
  EXPECT_EQ(r.resources.config.pools[0].ranges[0].ToString(), "198.51.100.0-198.51.100.255");

  // Lowercase ipFamilies are normalised, with a warning each.
  r = LoadExample(kDocs / "advanced-ipaddresspool-configuration-04-service-preferdualstack.yaml",
                  true);
  ASSERT_EQ(r.diagnostics.size(), 2u);
  ASSERT_EQ(r.resources.services.services.size(), 1u);
  EXPECT_EQ(r.resources.services.services[0].ip_families,
            (std::vector<core::IpFamily>{core::IpFamily::kV6, core::IpFamily::kV4}));

  // Kinds vipcast does not read are ignored with a warning.
  r = LoadExample(kDocs / "advanced-bgp-configuration-13-bgppeer-with-frrconfiguration.yaml", true);
  ASSERT_EQ(r.diagnostics.size(), 1u);
  EXPECT_EQ(r.diagnostics[0].ToString(),
            "advanced-bgp-configuration-13-bgppeer-with-frrconfiguration.yaml:13: warning: kind "
            "FRRConfiguration (apiVersion frrk8s.metallb.io/v1beta1) is not read by vipcast; "
            "ignored");
}

TEST(MetalLBExamples, MigrationOutputKeepsItsValues) {
  auto r = LoadExample(kDocs / "migration-to-crds-03-generated-bgppeer-pool-bgpadvertisement.yaml",
                       true);
  ASSERT_TRUE(r.ok()) << Format(r.diagnostics);
  const auto& peer = r.resources.config.bgp_peers.at(0);
  EXPECT_EQ(peer.EffectiveHoldTime(), core::Duration::Seconds(90));
  // keepaliveTime: 0s means hold/3, as MetalLB's native speaker does.
  EXPECT_EQ(peer.EffectiveKeepaliveTime(), core::Duration::Seconds(30));
  EXPECT_FALSE(peer.password_secret.has_value());  // passwordSecret: {}
  const auto& adv = r.resources.config.bgp_advertisements.at(0);
  EXPECT_EQ(adv.local_pref, 100u);
  ASSERT_EQ(adv.resolved_communities.size(), 1u);
  EXPECT_EQ(adv.resolved_communities[0].ToString(), "64512:1234");
}

TEST(MetalLBExamples, AliasDefinedAfterUse) {
  auto r = LoadExample(
      kDocs / "configsamples" / "configsamples-04-bgpadvertisement-community-alias.yaml", true);
  ASSERT_TRUE(r.ok()) << Format(r.diagnostics);
  const auto& adv = r.resources.config.bgp_advertisements.at(0);
  ASSERT_EQ(adv.resolved_communities.size(), 1u);
  EXPECT_EQ(adv.resolved_communities[0].ToString(), "65535:65282");
}

TEST(MetalLBExamples, SecretPasswordIsRead) {
  auto r = LoadExample(kDocs / "configsamples" / "configsamples-10-bgppeer-withsecret.yaml", true);
  ASSERT_TRUE(r.ok()) << Format(r.diagnostics);
  ASSERT_EQ(r.resources.config.secrets.size(), 1u);
  EXPECT_EQ(r.resources.config.secrets[0].data.at("password"), "example-password");
  EXPECT_EQ(r.resources.config.bgp_peers[0].EffectiveHoldTime(), core::Duration::Minutes(9));
}

}  // namespace
}  // namespace vipcast::config
