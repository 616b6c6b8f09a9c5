// BGP community text as MetalLB reads it (internal/bgp/community/community.go):
// "A:B" is an RFC 1997 community with 16-bit halves, "large:A:B:C" an RFC 8092
// large community with 32-bit parts. Well-known names such as "no-export" are
// not built in (MetalLB has none either); users define them as Community
// aliases.
#pragma once

#include <string>
#include <string_view>

#include "engine/config/model.h"
#include "engine/core/result.h"

namespace vipcast::config {

struct CommunityError {
  // kFormat: the text does not look like a community at all (wrong number of
  // ':'-separated parts), so it may be an alias name. kValue: it has the shape
  // of a community but a part is bad; never an alias.
  enum class Kind { kFormat, kValue };
  Kind kind = Kind::kFormat;
  std::string message;
};

core::Result<CommunityValue, CommunityError> ParseCommunity(std::string_view text);

}  // namespace vipcast::config
