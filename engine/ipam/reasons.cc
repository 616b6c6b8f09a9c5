#include "engine/ipam/reasons.h"

namespace vipcast::ipam {
namespace {

std::string Clauses(const PoolShortfall& s, bool name_pool_in_full) {
  std::string out;
  if (!s.full.empty()) {
    out = name_pool_in_full
              ? "no available IPs in pool \"" + s.pool + "\" for " + FamiliesText(s.full)
              : "pool \"" + s.pool + "\" is full for " + FamiliesText(s.full);
  }
  if (!s.missing.empty()) {
    if (!out.empty()) out += "; ";
    out += "pool \"" + s.pool + "\" has no " + FamiliesText(s.missing) + " addresses";
  }
  return out;
}

}  // namespace

std::string NoAddressReason(const std::vector<PoolShortfall>& shortfalls, StackMode mode) {
  std::string out;
  if (shortfalls.size() == 1) {
    out = Clauses(shortfalls.front(), /*name_pool_in_full=*/true);
  } else {
    out = "no available IPs in any candidate pool: ";
    for (size_t i = 0; i < shortfalls.size(); ++i) {
      if (i > 0) out += "; ";
      out += Clauses(shortfalls[i], /*name_pool_in_full=*/false);
    }
  }
  if (mode == StackMode::kRequireDual) {
    out += " (RequireDualStack needs IPv4 and IPv6 from one pool)";
  }
  return out;
}

std::string NoCandidatePoolReason(bool any_pool, bool any_auto_assign_pool,
                                  const std::string& namespace_) {
  if (!any_pool) return "no pool can serve the service: no IPAddressPool is configured";
  if (!any_auto_assign_pool) {
    return "no pool can serve the service: no pool has autoAssign enabled (request one with "
           "metallb.io/address-pool or metallb.io/loadBalancerIPs)";
  }
  return "no pool can serve the service: no autoAssign pool's serviceAllocation allows "
         "namespace \"" +
         namespace_ + "\" and the service's labels";
}

}  // namespace vipcast::ipam
