#include "engine/core/mac.h"

#include <cstdio>

namespace vipcast::core {

Result<MacAddr> MacAddr::Parse(std::string_view text) {
  auto fail = [&] { return MakeErr("invalid MAC address \"" + std::string(text) + "\""); };
  if (text.size() != 17) return fail();
  const char separator = text[2];
  if (separator != ':' && separator != '-') return fail();
  std::array<uint8_t, 6> bytes{};
  for (size_t i = 0; i < 6; ++i) {
    uint8_t value = 0;
    for (size_t j = 0; j < 2; ++j) {
      char c = text[i * 3 + j];
      int h = (c >= '0' && c <= '9')   ? c - '0'
              : (c >= 'a' && c <= 'f') ? c - 'a' + 10
              : (c >= 'A' && c <= 'F') ? c - 'A' + 10
                                       : -1;
      if (h < 0) return fail();
      value = static_cast<uint8_t>((value << 4) | h);
    }
    bytes[i] = value;
    if (i < 5 && text[i * 3 + 2] != separator) return fail();
  }
  return MacAddr(bytes);
}

std::string MacAddr::ToString() const {
  char buf[18];
  std::snprintf(buf, sizeof buf, "%02x:%02x:%02x:%02x:%02x:%02x", bytes_[0], bytes_[1], bytes_[2],
                bytes_[3], bytes_[4], bytes_[5]);
  return buf;
}

}  // namespace vipcast::core
