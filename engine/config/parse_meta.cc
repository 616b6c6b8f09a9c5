// metadata: name, namespace, labels and annotations, with the API server's
// syntax rules. Everything else the API server writes into metadata (uid,
// resourceVersion, managedFields, ...) is accepted and ignored, so that the
// output of `kubectl get -o yaml` loads as it is.
#include "engine/config/parsers.h"
#include "engine/config/scalar.h"

namespace vipcast::config::detail {
namespace {

void CheckLabels(ParseContext& ctx, const std::string& path, const LabelMap& labels,
                 bool check_values) {
  for (const auto& [key, value] : labels) {
    const std::string field = path + "[" + Quote(key) + "]";
    const int line = ctx.source() ? ctx.source()->LineOf(field) : 0;
    if (auto ok = CheckLabelKey(key); !ok) ctx.Error(line, field, "invalid key: " + ok.error());
    if (check_values) {
      if (auto ok = CheckLabelValue(value); !ok)
        ctx.Error(line, field, "invalid value: " + ok.error());
    }
  }
}

}  // namespace

bool ReadObjectMeta(ParseContext& ctx, MapReader& top, const KindTraits& traits, ObjectMeta& meta) {
  top.Require("metadata");
  auto md = top.Map("metadata");
  if (!md) return false;

  md->Require("name");
  const bool has_name = md->Has("name");
  if (auto name = md->String("name")) meta.name = *name;
  ctx.SetName(meta.name);

  const bool has_namespace = md->Has("namespace");
  if (auto ns = md->String("namespace")) meta.namespace_ = *ns;
  if (!traits.namespaced) {
    meta.namespace_.clear();
  } else if (!has_namespace) {
    // MetalLB only reads (and its webhook only admits) resources in its own
    // namespace, so a metallb.io manifest without one is assumed to be meant
    // for it; core objects land in "default" as with `kubectl apply`.
    meta.namespace_ = traits.metallb ? kMetalLBNamespace : "default";
  }
  ctx.SetNamespace(meta.namespace_);
  if (!traits.namespaced && has_namespace) {
    ctx.Warning(md->LineOfKey("namespace"), md->PathOf("namespace"),
                std::string(traits.kind) + " is cluster-scoped; the namespace is ignored");
  } else if (traits.metallb && !has_namespace) {
    ctx.Warning(md->line(), md->PathOf("namespace"),
                std::string("not set; assuming ") + kMetalLBNamespace +
                    ", the namespace MetalLB reads its resources from");
  }
  if (traits.namespaced && has_namespace) {
    if (auto ok = CheckName(meta.namespace_, NameRule::kDns1123Label); !ok) {
      ctx.Error(md->LineOfKey("namespace"), md->PathOf("namespace"),
                "invalid namespace: " + ok.error());
    }
  }
  if (has_name) {
    if (auto ok = CheckName(meta.name, traits.name_rule); !ok) {
      ctx.Error(md->LineOfKey("name"), md->PathOf("name"), "invalid name: " + ok.error());
    }
  }

  if (auto labels = md->StringMap("labels")) {
    meta.labels = std::move(*labels);
    CheckLabels(ctx, md->PathOf("labels"), meta.labels, true);
  }
  if (auto annotations = md->StringMap("annotations")) {
    meta.annotations = std::move(*annotations);
    CheckLabels(ctx, md->PathOf("annotations"), meta.annotations, false);
  }
  md->Ignore({"uid", "resourceVersion", "generation", "creationTimestamp", "deletionTimestamp",
              "deletionGracePeriodSeconds", "managedFields", "ownerReferences", "finalizers",
              "generateName", "selfLink", "clusterName"});
  md->Finish();
  return !meta.name.empty();
}

}  // namespace vipcast::config::detail
