// ConfigStore: keep-last-good, as MetalLB does with an invalid configuration.
#include "engine/config/store.h"

#include <gtest/gtest.h>

#include "test_files.h"

namespace vipcast::config {
namespace {

constexpr char kGood[] = R"(apiVersion: metallb.io/v1beta1
kind: IPAddressPool
metadata: {name: first, namespace: metallb-system}
spec:
  addresses: [192.168.1.0/24]
)";
constexpr char kGood2[] = R"(apiVersion: metallb.io/v1beta1
kind: IPAddressPool
metadata: {name: second, namespace: metallb-system}
spec:
  addresses: [10.0.0.0/24]
)";
constexpr char kBad[] = R"(apiVersion: metallb.io/v1beta1
kind: IPAddressPool
metadata: {name: broken, namespace: metallb-system}
spec:
  addresses: [192.168.1.250-192.168.1.240]
)";

TEST(ConfigStore, StartsEmptyAndNotLoaded) {
  ConfigStore store;
  EXPECT_FALSE(store.loaded());
  EXPECT_FALSE(store.stale());
  EXPECT_EQ(store.generation(), 0u);
  ASSERT_NE(store.current(), nullptr);
  EXPECT_EQ(*store.current(), Resources{});
  EXPECT_TRUE(store.errors().empty());
}

TEST(ConfigStore, InvalidBeforeAnyValidIsStaleAndNotLoaded) {
  ConfigStore store;
  EXPECT_FALSE(store.Apply(testing::LoadText(kBad)));
  EXPECT_FALSE(store.loaded());
  EXPECT_TRUE(store.stale());
  EXPECT_EQ(store.generation(), 0u);
  EXPECT_EQ(*store.current(), Resources{});
  EXPECT_EQ(store.errors().size(), 1u);
}

TEST(ConfigStore, KeepsLastGood) {
  ConfigStore store;
  ASSERT_TRUE(store.Apply(testing::LoadText(kGood)));
  EXPECT_TRUE(store.loaded());
  EXPECT_FALSE(store.stale());
  EXPECT_EQ(store.generation(), 1u);
  const auto good = store.current();
  ASSERT_EQ(good->config.pools.size(), 1u);
  EXPECT_EQ(good->config.pools[0].meta.name, "first");

  EXPECT_FALSE(store.Apply(testing::LoadText(kBad)));
  EXPECT_TRUE(store.stale());
  EXPECT_TRUE(store.loaded());
  EXPECT_EQ(store.generation(), 1u);
  EXPECT_EQ(store.current(), good);  // the very same snapshot
  ASSERT_EQ(store.errors().size(), 1u);
  EXPECT_EQ(store.errors()[0].ToString(),
            "test.yaml:5: IPAddressPool metallb-system/broken: spec.addresses[0]: range "
            "192.168.1.250-192.168.1.240 ends before it starts");

  ASSERT_TRUE(store.Apply(testing::LoadText(kGood2)));
  EXPECT_FALSE(store.stale());
  EXPECT_TRUE(store.errors().empty());
  EXPECT_EQ(store.generation(), 2u);
  EXPECT_EQ(store.current()->config.pools.at(0).meta.name, "second");
  // A holder of the old snapshot still sees it unchanged.
  EXPECT_EQ(good->config.pools.at(0).meta.name, "first");
}

TEST(ConfigStore, WarningsDoNotBlockAndAreKept) {
  ConfigStore store;
  auto result = testing::LoadText(R"(apiVersion: metallb.io/v1beta1
kind: IPAddressPool
metadata: {name: first, namespace: metallb-system}
spec:
  addresses: [198.51.100.10/24]
)");
  ASSERT_EQ(result.diagnostics.size(), 1u);
  EXPECT_TRUE(store.Apply(std::move(result)));
  EXPECT_FALSE(store.stale());
  EXPECT_EQ(store.diagnostics().size(), 1u);
  EXPECT_TRUE(store.errors().empty());
}

TEST(ConfigStore, ApplyResourcesDirectly) {
  ConfigStore store;
  Resources r;
  r.config.pools.push_back(IPAddressPool{});
  r.config.pools[0].meta.name = "x";
  std::vector<Diagnostic> errors = {Diagnostic{Severity::kError, "f", 1, "", "", "", "", "bad"}};
  EXPECT_FALSE(store.Apply(r, errors));
  EXPECT_TRUE(store.Apply(r, {}));
  EXPECT_EQ(store.current()->config.pools.at(0).meta.name, "x");
  EXPECT_EQ(store.generation(), 1u);
}

}  // namespace
}  // namespace vipcast::config
