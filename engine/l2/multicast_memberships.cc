#include "engine/l2/multicast_memberships.h"

namespace vipcast::l2 {

bool MulticastMemberships::Acquire(const std::string& interface, const core::Ipv6Addr& group) {
  return ++users_[{interface, group}] == 1;
}

bool MulticastMemberships::Release(const std::string& interface, const core::Ipv6Addr& group) {
  auto it = users_.find({interface, group});
  if (it == users_.end()) return false;
  if (--it->second > 0) return false;
  users_.erase(it);
  return true;
}

uint32_t MulticastMemberships::Users(const std::string& interface,
                                     const core::Ipv6Addr& group) const {
  auto it = users_.find({interface, group});
  return it == users_.end() ? 0 : it->second;
}

}  // namespace vipcast::l2
