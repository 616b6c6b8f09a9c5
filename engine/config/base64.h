// RFC 4648 section 4 base64 (standard alphabet, '=' padding): the encoding of
// a Kubernetes Secret's `data` values (Go's encoding/json []byte, which uses
// base64.StdEncoding and skips '\r' and '\n').
#pragma once

#include <string>
#include <string_view>

#include "engine/core/result.h"

namespace vipcast::config {

std::string Base64Encode(std::string_view bytes);
// Fails on characters outside the alphabet, bad padding, or a length that is
// not a multiple of four once line breaks are removed.
core::Result<std::string> Base64Decode(std::string_view text);

}  // namespace vipcast::config
