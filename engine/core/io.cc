#include "engine/core/io.h"

namespace vipcast::core {

std::string Endpoint::ToString() const {
  if (address.is_v6()) return "[" + address.ToString() + "]:" + std::to_string(port);
  return address.ToString() + ":" + std::to_string(port);
}

}  // namespace vipcast::core
