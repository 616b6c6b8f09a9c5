// Reference-counted IPv6 multicast group memberships per interface. Several
// VIPs can share one solicited-node group (it keeps only the low 24 bits,
// RFC 4291 2.7.1), so the group is joined on its first VIP and left after
// its last, as MetalLB's ndpResponder does with solicitedNodeGroups.
#pragma once

#include <cstdint>
#include <map>
#include <string>
#include <utility>

#include "engine/core/ip.h"

namespace vipcast::l2 {

class MulticastMemberships {
 public:
  // Adds a user; true when it is the first, i.e. the group must be joined.
  bool Acquire(const std::string& interface, const core::Ipv6Addr& group);
  // Removes a user; true when it was the last, i.e. the group must be left.
  // Releasing a group with no users is a no-op returning false.
  bool Release(const std::string& interface, const core::Ipv6Addr& group);
  uint32_t Users(const std::string& interface, const core::Ipv6Addr& group) const;

 private:
  std::map<std::pair<std::string, core::Ipv6Addr>, uint32_t> users_;
};

}  // namespace vipcast::l2
