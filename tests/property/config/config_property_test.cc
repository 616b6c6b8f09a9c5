// ToYaml and LoadManifests are inverses on valid models: a random model of
// every kind, written out and read back, is the same model with no errors.
#include <gtest/gtest.h>
// rapidcheck/gtest.h needs gtest/gtest.h first.
#include <rapidcheck/gtest.h>

#include "engine/config/emit.h"
#include "engine/config/loader.h"
#include "tests/property/config/config_generators.h"

namespace vipcast::config {
namespace {

std::string Errors(const std::vector<Diagnostic>& diagnostics) {
  std::string out;
  for (const auto& d : diagnostics) {
    if (d.severity == Severity::kError) out += d.ToString() + "\n";
  }
  return out;
}

RC_GTEST_PROP(ConfigProperty, ToYamlThenLoadGivesTheSameModel, ()) {
  const Resources model = gen::GenResources();
  const std::string text = ToYaml(model);
  const LoadResult back = LoadManifests({ManifestText{"generated.yaml", text}});
  RC_LOG() << text << "\n" << Errors(back.diagnostics);
  RC_ASSERT(Errors(back.diagnostics).empty());
  RC_ASSERT(back.resources == model);
}

// Emitting is deterministic and reaches a fixed point after one round trip.
RC_GTEST_PROP(ConfigProperty, ToYamlIsStable, ()) {
  const Resources model = gen::GenResources();
  const std::string text = ToYaml(model);
  const LoadResult back = LoadManifests({ManifestText{"generated.yaml", text}});
  RC_ASSERT(ToYaml(back.resources) == text);
}

}  // namespace
}  // namespace vipcast::config
