#include "sim/scenario/scenario.h"

namespace vipcast::sim {

std::string Problem::ToString() const {
  std::string out = file.empty() ? std::string("<scenario>") : file;
  if (line > 0) out += ":" + std::to_string(line);
  out += ": ";
  if (!field.empty()) out += field + ": ";
  return out + message;
}

}  // namespace vipcast::sim
