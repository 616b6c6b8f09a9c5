#include "engine/wire/l2/ipv6.h"

#include "engine/wire/l2/put_bytes.h"

namespace vipcast::wire {

std::optional<core::Ipv6Addr> ReadIpv6Addr(core::ByteReader& in) {
  std::array<uint8_t, 16> b{};
  auto sixteen = in.Take(b.size());
  if (!sixteen) return std::nullopt;
  for (size_t i = 0; i < b.size(); ++i) b[i] = (*sixteen)[i];
  return core::Ipv6Addr(b);
}

L2Result<Ipv6Packet> ParseIpv6(core::ByteSpan data) {
  if (data.size() < kIpv6HeaderSize) return core::MakeErr(L2Error::kTruncatedIpv6);
  core::ByteReader r(data);
  const uint32_t first = *r.U32();
  const uint16_t payload_length = *r.U16();
  Ipv6Packet out;
  // RFC 8200 3: version (4 bits), traffic class (8), flow label (20).
  if ((first >> 28) != 6) return core::MakeErr(L2Error::kIpv6Version);
  out.header.traffic_class = static_cast<uint8_t>(first >> 20);
  out.header.flow_label = first & 0xfffff;
  out.header.next_header = *r.U8();
  out.header.hop_limit = *r.U8();
  out.header.src = *ReadIpv6Addr(r);  // 40 bytes checked above
  out.header.dst = *ReadIpv6Addr(r);
  // RFC 4291 2.7: multicast addresses must not be used as source addresses.
  if (out.header.src.IsMulticast()) return core::MakeErr(L2Error::kIpv6SourceMulticast);
  auto payload = r.Take(payload_length);
  if (!payload) return core::MakeErr(L2Error::kIpv6PayloadLength);
  out.payload = *payload;
  return out;
}

uint8_t* PutIpv6Header(const Ipv6Header& header, uint16_t payload_length, uint8_t* out) {
  out = put::U32(out, (uint32_t{6} << 28) | (uint32_t{header.traffic_class} << 20) |
                          (header.flow_label & 0xfffff));
  out = put::U16(out, payload_length);
  out = put::U8(out, header.next_header);
  out = put::U8(out, header.hop_limit);
  out = put::Bytes(out, header.src.bytes());
  return put::Bytes(out, header.dst.bytes());
}

void WriteIpv6Header(const Ipv6Header& header, uint16_t payload_length, core::ByteWriter& out) {
  uint8_t buffer[kIpv6HeaderSize];
  PutIpv6Header(header, payload_length, buffer);
  out.Append(buffer);
}

}  // namespace vipcast::wire
