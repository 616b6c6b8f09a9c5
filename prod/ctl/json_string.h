// A JSON string literal for the hand-built `--json` outputs of allocate and
// elect (RFC 8259 7: quote, backslash and control characters escaped).
#pragma once

#include <string>

namespace vipcast::ctl {

std::string JsonString(const std::string& text);

}  // namespace vipcast::ctl
