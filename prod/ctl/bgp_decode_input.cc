#include "prod/ctl/bgp_decode_input.h"

#include <zlib.h>

#include <cerrno>
#include <cstdio>
#include <cstring>
#include <string_view>

namespace vipcast::ctl {

core::Result<core::Bytes, std::string> ReadInputFile(const std::string& path) {
  const bool use_stdin = path == "-";
  std::FILE* f = use_stdin ? stdin : std::fopen(path.c_str(), "rb");
  if (f == nullptr) return core::MakeErr(path + ": " + std::strerror(errno));
  core::Bytes data;
  uint8_t buffer[1 << 16];
  size_t n;
  while ((n = std::fread(buffer, 1, sizeof buffer, f)) > 0)
    data.insert(data.end(), buffer, buffer + n);
  const bool failed = std::ferror(f) != 0;
  const int saved_errno = errno;
  if (!use_stdin) std::fclose(f);
  if (failed) {
    return core::MakeErr((use_stdin ? std::string("<stdin>") : path) +
                         ": read error: " + std::strerror(saved_errno));
  }
  return data;
}

bool IsGzip(core::ByteSpan data) { return data.size() >= 2 && data[0] == 0x1f && data[1] == 0x8b; }

core::Result<core::Bytes, std::string> Gunzip(core::ByteSpan data) {
  z_stream z{};
  // 16 + MAX_WBITS: expect the gzip wrapper (zlib manual, inflateInit2).
  if (inflateInit2(&z, 16 + MAX_WBITS) != Z_OK) {
    return core::MakeErr(std::string("zlib initialisation failed"));
  }
  core::Bytes out;
  uint8_t buffer[1 << 16];
  z.next_in = const_cast<Bytef*>(data.data());
  z.avail_in = static_cast<uInt>(data.size());
  int rc = Z_OK;
  while (true) {
    z.next_out = buffer;
    z.avail_out = sizeof buffer;
    rc = inflate(&z, Z_NO_FLUSH);
    out.insert(out.end(), buffer, buffer + (sizeof buffer - z.avail_out));
    if (rc == Z_STREAM_END) {
      if (z.avail_in == 0) break;
      inflateReset(&z);  // another gzip member follows (RFC 1952 2.2)
      continue;
    }
    if (rc != Z_OK) break;
    if (z.avail_in == 0 && z.avail_out != 0) {
      rc = Z_BUF_ERROR;  // input ended inside the compressed stream
      break;
    }
  }
  const size_t consumed = data.size() - z.avail_in;
  inflateEnd(&z);
  if (rc != Z_STREAM_END) {
    return core::MakeErr((rc == Z_BUF_ERROR ? std::string("gzip data truncated")
                                            : std::string("corrupt gzip data")) +
                         " at compressed offset " + std::to_string(consumed));
  }
  return out;
}

core::Result<std::vector<HexMessage>, std::string> ParseHexLines(core::ByteSpan text) {
  std::string_view all(reinterpret_cast<const char*>(text.data()), text.size());
  std::vector<HexMessage> out;
  size_t line_number = 0;
  size_t start = 0;
  while (start < all.size()) {
    size_t end = all.find('\n', start);
    if (end == std::string_view::npos) end = all.size();
    std::string_view line = all.substr(start, end - start);
    start = end + 1;
    ++line_number;
    const size_t first = line.find_first_not_of(" \t\r");
    if (first == std::string_view::npos || line[first] == '#') continue;
    auto bytes = core::FromHex(line);
    if (!bytes) {
      const size_t bad = line.find_first_not_of("0123456789abcdefABCDEF: \t\r", first);
      return core::MakeErr("line " + std::to_string(line_number) + ": " +
                           (bad == std::string_view::npos
                                ? std::string("odd number of hex digits")
                                : "not hex at column " + std::to_string(bad + 1)));
    }
    out.push_back({line_number, std::move(*bytes)});
  }
  return out;
}

}  // namespace vipcast::ctl
