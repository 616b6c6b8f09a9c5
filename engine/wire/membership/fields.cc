#include "engine/wire/membership/fields.h"

#include <array>
#include <string>

namespace vipcast::wire::membership {

DecodeError MakeDecodeError(DecodeErrorKind kind, size_t offset, std::string detail) {
  return DecodeError{kind, offset, std::move(detail)};
}

void WriteName(core::ByteWriter& w, const core::NodeName& name) {
  const std::string& text = name.str();
  // NodeName guarantees at most 253 characters (RFC 1123 subdomain).
  w.U8(static_cast<uint8_t>(text.size()));
  w.Append(core::ByteSpan(reinterpret_cast<const uint8_t*>(text.data()), text.size()));
}

size_t NameSize(const core::NodeName& name) { return 1 + name.str().size(); }

DecodeResult<core::NodeName> ReadName(core::ByteReader& r, EmptyName empty) {
  const size_t at = r.position();
  auto len = r.U8();
  if (!len) return core::MakeErr(MakeDecodeError(DecodeErrorKind::kTruncated, at, "node name"));
  if (*len == 0) {
    if (empty == EmptyName::kAllow) return core::NodeName();
    return core::MakeErr(MakeDecodeError(DecodeErrorKind::kBadNodeName, at, "empty node name"));
  }
  auto bytes = r.Take(*len);
  if (!bytes) {
    return core::MakeErr(MakeDecodeError(DecodeErrorKind::kTruncated, at, "node name bytes"));
  }
  std::string text(reinterpret_cast<const char*>(bytes->data()), bytes->size());
  auto parsed = core::NodeName::Parse(text);
  if (!parsed) {
    return core::MakeErr(MakeDecodeError(DecodeErrorKind::kBadNodeName, at, parsed.error()));
  }
  return std::move(parsed).value();
}

void WriteEndpoint(core::ByteWriter& w, const core::Endpoint& endpoint) {
  const core::IpAddr& a = endpoint.address;
  w.U8(a.is_v4() ? 4 : 6);
  w.Append(a.Bytes());
  w.U16(endpoint.port);
}

size_t EndpointSize(const core::Endpoint& endpoint) {
  return 1 + (endpoint.address.is_v4() ? 4 : 16) + 2;
}

DecodeResult<core::Endpoint> ReadEndpoint(core::ByteReader& r) {
  const size_t at = r.position();
  auto family = r.U8();
  if (!family) return core::MakeErr(MakeDecodeError(DecodeErrorKind::kTruncated, at, "endpoint"));
  core::Endpoint out;
  if (*family == 4) {
    auto v = r.U32();
    if (!v) return core::MakeErr(MakeDecodeError(DecodeErrorKind::kTruncated, at, "IPv4 address"));
    out.address = core::Ipv4Addr(*v);
  } else if (*family == 6) {
    std::array<uint8_t, 16> bytes{};
    auto span = r.Take(16);
    if (!span) {
      return core::MakeErr(MakeDecodeError(DecodeErrorKind::kTruncated, at, "IPv6 address"));
    }
    for (size_t i = 0; i < 16; ++i) bytes[i] = (*span)[i];
    out.address = core::Ipv6Addr(bytes);
  } else {
    return core::MakeErr(MakeDecodeError(DecodeErrorKind::kBadAddressFamily, at,
                                         "address family " + std::to_string(*family)));
  }
  auto port = r.U16();
  if (!port) return core::MakeErr(MakeDecodeError(DecodeErrorKind::kTruncated, at, "port"));
  out.port = *port;
  return out;
}

}  // namespace vipcast::wire::membership
