#include "engine/bgp/metrics.h"

namespace vipcast::bgp {

void MetricSet::Set(const std::string& name, core::Labels labels, double value, core::Outbox& out) {
  auto key = std::make_pair(name, labels);
  auto it = values_.find(key);
  if (it != values_.end() && it->second == value) return;
  values_[key] = value;
  out.Emit(core::MetricChanged{name, std::move(labels), value});
}

void MetricSet::Add(const std::string& name, core::Labels labels, double delta, core::Outbox& out) {
  Set(name, labels, value(name, labels) + delta, out);
}

double MetricSet::value(const std::string& name, const core::Labels& labels) const {
  auto it = values_.find(std::make_pair(name, labels));
  return it == values_.end() ? 0 : it->second;
}

}  // namespace vipcast::bgp
