#include "engine/membership/config.h"

#include <string>

#include "engine/wire/membership/mac_key.h"

namespace vipcast::membership {

core::Status<> Validate(const MembershipConfig& config) {
  if (config.self.str().empty()) return core::MakeErr(std::string("self name is empty"));
  if (config.key.size() < wire::membership::kMinKeySize) {
    return core::MakeErr("membership key must be at least " +
                         std::to_string(wire::membership::kMinKeySize) + " bytes, got " +
                         std::to_string(config.key.size()));
  }
  if (config.boot_id == 0) return core::MakeErr(std::string("boot_id 0 is reserved"));
  const Limits& l = config.limits;
  if (l.max_members < 2 || l.max_gossip_queue < 1 || l.max_relays < 1 ||
      l.max_pending_changes < 1 || l.max_replay_senders < 2) {
    return core::MakeErr(std::string("membership limits too small"));
  }
  if (auto p = Validate(config.profile); !p) return p;
  return core::Ok();
}

}  // namespace vipcast::membership
