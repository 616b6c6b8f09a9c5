// A JSON string literal (RFC 8259 7: quote, backslash and control characters
// escaped; other bytes, UTF-8 included, pass through), shared by the JSON
// log lines and vipcastctl's hand-built --json outputs.
#pragma once

#include <string>
#include <string_view>

namespace vipcast::prod {

// Appends `text` as a JSON string literal, quotes included.
void AppendJsonString(std::string& out, std::string_view text);

}  // namespace vipcast::prod
