// vipcastctl bgp-decode: reading the input file (or stdin) and the text
// and compression layers around the BGP bytes.
#pragma once

#include <cstddef>
#include <string>
#include <vector>

#include "engine/core/bytes.h"
#include "engine/core/result.h"

namespace vipcast::ctl {

// The whole file, or standard input for "-". The error names the file.
core::Result<core::Bytes, std::string> ReadInputFile(const std::string& path);

// True when `data` starts with the gzip magic (RFC 1952 2.3.1).
bool IsGzip(core::ByteSpan data);
// RFC 1952 gzip, any number of members. The error says where it failed.
core::Result<core::Bytes, std::string> Gunzip(core::ByteSpan data);

struct HexMessage {
  size_t line = 0;  // 1-based
  core::Bytes bytes;
};

// One message per line of hex; whitespace and ':' between digits are
// allowed, blank lines and lines starting with '#' are skipped. The error
// names the first line that is not hex.
core::Result<std::vector<HexMessage>, std::string> ParseHexLines(core::ByteSpan text);

}  // namespace vipcast::ctl
