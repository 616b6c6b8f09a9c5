// ToYaml writes what LoadManifests reads back to an equal model.
#include "engine/config/emit.h"

#include <gtest/gtest.h>

#include "test_files.h"

namespace vipcast::config {
namespace {

namespace fs = std::filesystem;

TEST(ToYaml, EveryExampleRoundTrips) {
  const fs::path docs = "tests/data/metallb-docs";
  std::vector<ManifestText> all;
  for (const auto& dir : {docs, docs / "configsamples"}) {
    for (const auto& path : testing::YamlFiles(dir)) {
      SCOPED_TRACE(path.string());
      std::vector<ManifestText> manifests = {{path.filename().string(), testing::ReadFile(path)}};
      if (fs::exists(docs / "context" / path.filename())) {
        manifests.push_back(
            {"context.yaml", testing::ReadFile(docs / "context" / path.filename())});
      }
      const LoadResult first = LoadManifests(manifests);
      ASSERT_TRUE(first.ok());
      const std::string text = ToYaml(first.resources);
      const LoadResult second = testing::LoadText(text, "emitted.yaml");
      EXPECT_TRUE(second.ok()) << testing::Format(second.diagnostics) << text;
      EXPECT_EQ(second.resources, first.resources) << text;
    }
  }
}

TEST(ToYaml, QuotesStringsThatLookLikeOtherTypes) {
  Resources r;
  Namespace ns;
  ns.meta.name = "n";
  ns.meta.labels = {{"a", "true"}, {"b", "123"}, {"c", "null"}, {"d", ""}, {"e", "1.5"}};
  ns.meta.annotations = {{"note", "key: value # not a comment"}, {"multi", "line1\nline2"}};
  r.config.namespaces.push_back(ns);
  const auto back = testing::LoadText(ToYaml(r));
  ASSERT_TRUE(back.ok()) << testing::Format(back.diagnostics);
  EXPECT_EQ(back.resources, r);
}

TEST(ToYaml, EmptyResourcesGiveEmptyText) {
  EXPECT_TRUE(testing::LoadText(ToYaml(Resources{})).ok());
}

}  // namespace
}  // namespace vipcast::config
