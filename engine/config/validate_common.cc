#include <map>

#include "engine/config/diagnostic_name.h"
#include "engine/config/validate.h"

namespace vipcast::config::detail {

void Reporter::Add(Severity severity, std::string_view kind, const ObjectMeta& meta,
                   const std::string& field, std::string message) {
  const int line = field.empty() ? meta.source.line : meta.source.LineOf(field);
  out_.push_back(Diagnostic{severity, meta.source.file, line, std::string(kind),
                            DisplayName(meta.namespace_), DisplayName(meta.name), field,
                            std::move(message)});
}

void Reporter::Error(std::string_view kind, const ObjectMeta& meta, const std::string& field,
                     std::string message) {
  Add(Severity::kError, kind, meta, field, std::move(message));
}

void Reporter::Warning(std::string_view kind, const ObjectMeta& meta, const std::string& field,
                       std::string message) {
  Add(Severity::kWarning, kind, meta, field, std::move(message));
}

std::string Describe(std::string_view kind, const ObjectMeta& meta) {
  std::string out = std::string(kind) + " " + DisplayName(meta.Key());
  if (!meta.source.file.empty()) {
    out += " (" + meta.source.file + ":" + std::to_string(meta.source.line) + ")";
  }
  return out;
}

std::vector<const IPAddressPool*> SelectedPools(const ObjectMeta& adv_meta,
                                                const std::vector<std::string>& names,
                                                const std::vector<LabelSelector>& selectors,
                                                const std::vector<IPAddressPool>& pools) {
  std::vector<const IPAddressPool*> out;
  const bool all = names.empty() && selectors.empty();
  for (const auto& pool : pools) {
    if (pool.meta.namespace_ != adv_meta.namespace_) continue;
    bool selected = all;
    if (!selected) {
      for (const auto& name : names) {
        if (name == pool.meta.name) {
          selected = true;
          break;
        }
      }
    }
    if (!selected) {
      for (const auto& selector : selectors) {
        if (selector.Matches(pool.meta.labels)) {
          selected = true;
          break;
        }
      }
    }
    if (selected) out.push_back(&pool);
  }
  return out;
}

}  // namespace vipcast::config::detail
