#include "engine/config/community.h"

#include <cstdint>
#include <vector>

#include "engine/config/scalar.h"

namespace vipcast::config {
namespace {

using detail::Quote;

std::vector<std::string_view> Split(std::string_view text, char sep) {
  std::vector<std::string_view> parts;
  size_t start = 0;
  while (true) {
    size_t pos = text.find(sep, start);
    parts.push_back(text.substr(start, pos - start));
    if (pos == std::string_view::npos) break;
    start = pos + 1;
  }
  return parts;
}

// Decimal digits only, like Go's strconv.ParseUint(s, 10, bits).
core::Result<uint32_t, std::string> ParsePart(std::string_view part, int bits) {
  const uint64_t max = bits == 16 ? 0xffffu : 0xffffffffu;
  if (part.empty() || part.size() > 20) return core::MakeErr(Quote(part) + " is not a number");
  uint64_t v = 0;
  for (char c : part) {
    if (c < '0' || c > '9') return core::MakeErr(Quote(part) + " is not a number");
    v = v * 10 + static_cast<uint64_t>(c - '0');
    if (v > max) {
      return core::MakeErr(std::string(part) + " does not fit in " + std::to_string(bits) +
                           " bits (0-" + std::to_string(max) + ")");
    }
  }
  return static_cast<uint32_t>(v);
}

CommunityError ValueError(std::string_view text, const std::string& why) {
  return CommunityError{CommunityError::Kind::kValue,
                        "invalid community " + Quote(text) + ": " + why};
}

}  // namespace

core::Result<CommunityValue, CommunityError> ParseCommunity(std::string_view text) {
  const auto parts = Split(text, ':');
  if (parts.size() == 2) {
    auto high = ParsePart(parts[0], 16);
    if (!high) return core::MakeErr(ValueError(text, high.error()));
    auto low = ParsePart(parts[1], 16);
    if (!low) return core::MakeErr(ValueError(text, low.error()));
    return CommunityValue{CommunityValue::Kind::kStandard, *high, *low, 0};
  }
  if (parts.size() == 4) {
    if (parts[0] != "large") {
      return core::MakeErr(ValueError(text, "a four-part community must start with \"large:\""));
    }
    uint32_t v[3];
    for (size_t i = 0; i < 3; ++i) {
      auto part = ParsePart(parts[i + 1], 32);
      if (!part) return core::MakeErr(ValueError(text, part.error()));
      v[i] = *part;
    }
    return CommunityValue{CommunityValue::Kind::kLarge, v[0], v[1], v[2]};
  }
  return core::MakeErr(CommunityError{CommunityError::Kind::kFormat,
                                      "invalid community " + Quote(text) +
                                          ": expected A:B (16-bit parts) or large:A:B:C "
                                          "(32-bit parts)"});
}

}  // namespace vipcast::config
