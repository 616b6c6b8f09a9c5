#include "engine/core/asn.h"

#include "engine/core/ip.h"

namespace vipcast::core {
namespace {

Result<uint64_t> ParseDecimal(std::string_view text, uint64_t max) {
  if (text.empty() || text.size() > 10) return MakeErr(std::string("not a number"));
  uint64_t v = 0;
  for (char c : text) {
    if (c < '0' || c > '9') return MakeErr(std::string("not a number"));
    v = v * 10 + static_cast<uint64_t>(c - '0');
  }
  if (v > max) return MakeErr(std::string("out of range"));
  return v;
}

}  // namespace

Result<Asn> Asn::Parse(std::string_view text) {
  const std::string quoted = "\"" + std::string(text) + "\"";
  size_t dot = text.find('.');
  if (dot == std::string_view::npos) {
    auto v = ParseDecimal(text, 0xffffffffu);
    if (!v) return MakeErr("invalid AS number " + quoted + ": " + v.error());
    return Asn(static_cast<uint32_t>(*v));
  }
  auto high = ParseDecimal(text.substr(0, dot), 0xffff);
  auto low = ParseDecimal(text.substr(dot + 1), 0xffff);
  if (!high || !low) return MakeErr("invalid AS number " + quoted + " in asdot notation");
  return Asn(static_cast<uint32_t>((*high << 16) | *low));
}

Result<RouterId> RouterId::Parse(std::string_view text) {
  auto as_quad = Ipv4Addr::Parse(text);
  if (!as_quad) return MakeErr("invalid router ID \"" + std::string(text) + "\": expected a dotted quad");
  return RouterId(as_quad->value());
}

std::string RouterId::ToString() const { return Ipv4Addr(value_).ToString(); }

}  // namespace vipcast::core
