#include "prod/ctl/json_string.h"

#include "prod/common/json_escape.h"

namespace vipcast::ctl {

std::string JsonString(const std::string& text) {
  std::string out;
  prod::AppendJsonString(out, text);
  return out;
}

}  // namespace vipcast::ctl
