#include "engine/bfd/session_key.h"

namespace vipcast::bfd {

std::string_view ToString(HopMode mode) {
  return mode == HopMode::kSingleHop ? "single-hop" : "multihop";
}

std::string SessionKey::ToString() const {
  return peer.ToString() + " from " + local.ToString() + " (" + std::string(bfd::ToString(hop)) +
         ")";
}

}  // namespace vipcast::bfd
