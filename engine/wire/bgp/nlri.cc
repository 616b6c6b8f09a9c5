#include "engine/wire/bgp/nlri.h"

#include <array>

namespace vipcast::wire::bgp {

core::Result<std::vector<core::Prefix>, std::string> DecodePrefixes(core::ByteSpan field,
                                                                    core::IpFamily family) {
  const int max_bits = family == core::IpFamily::kV4 ? 32 : 128;
  std::vector<core::Prefix> out;
  core::ByteReader r(field);
  while (!r.empty()) {
    int length = *r.U8();
    if (length > max_bits) {
      return core::MakeErr("prefix length " + std::to_string(length) + " exceeds " +
                           std::to_string(max_bits) + " bits");
    }
    size_t octets = static_cast<size_t>(length + 7) / 8;
    auto bytes = r.Take(octets);
    if (!bytes) {
      return core::MakeErr("prefix of length " + std::to_string(length) +
                           " runs past the end of the field");
    }
    core::IpAddr address;
    if (family == core::IpFamily::kV4) {
      std::array<uint8_t, 4> a{};
      std::copy(bytes->begin(), bytes->end(), a.begin());
      address = core::Ipv4Addr::FromOctets(a[0], a[1], a[2], a[3]);
    } else {
      std::array<uint8_t, 16> a{};
      std::copy(bytes->begin(), bytes->end(), a.begin());
      address = core::Ipv6Addr(a);
    }
    auto prefix = core::Prefix::Make(address, length);
    if (!prefix) return core::MakeErr(prefix.error());
    out.push_back(*prefix);
  }
  return out;
}

void EncodePrefix(const core::Prefix& prefix, core::ByteWriter& out) {
  out.U8(static_cast<uint8_t>(prefix.length()));
  auto bytes = prefix.network().Bytes();
  size_t octets = static_cast<size_t>(prefix.length() + 7) / 8;
  out.Append(core::ByteSpan(bytes.data(), octets));
}

void EncodePrefixes(const std::vector<core::Prefix>& prefixes, core::ByteWriter& out) {
  for (const auto& p : prefixes) EncodePrefix(p, out);
}

}  // namespace vipcast::wire::bgp
