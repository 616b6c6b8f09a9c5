// How an object's name appears in a diagnostic: as is, unless it is longer
// than any valid Kubernetes name (253), when it is cut so that a megabyte of
// garbage does not end up in every message about it.
#pragma once

#include <string>

namespace vipcast::config::detail {

inline std::string DisplayName(const std::string& name) {
  return name.size() <= 253 ? name : name.substr(0, 64) + "...";
}

}  // namespace vipcast::config::detail
