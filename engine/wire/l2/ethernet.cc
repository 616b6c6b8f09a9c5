#include "engine/wire/l2/ethernet.h"

#include "engine/wire/l2/put_bytes.h"

namespace vipcast::wire {

std::optional<core::MacAddr> ReadMac(core::ByteReader& in) {
  std::array<uint8_t, 6> b{};
  auto six = in.Take(b.size());
  if (!six) return std::nullopt;
  for (size_t i = 0; i < b.size(); ++i) b[i] = (*six)[i];
  return core::MacAddr(b);
}

L2Result<EthernetFrame> ParseEthernet(core::ByteSpan frame) {
  core::ByteReader r(frame);
  auto dst = ReadMac(r);
  auto src = ReadMac(r);
  auto type = r.U16();
  if (!dst || !src || !type) return core::MakeErr(L2Error::kTruncatedEthernet);

  EthernetFrame out;
  out.header.dst = *dst;
  out.header.src = *src;
  if (*type == kEtherTypeVlan) {
    // IEEE 802.1Q 9.6: TPID 0x8100, then 16 bits of TCI, then the real type.
    auto tci = r.U16();
    auto inner = r.U16();
    if (!tci || !inner) return core::MakeErr(L2Error::kTruncatedVlanTag);
    out.header.vlan_tci = *tci;
    type = inner;
  }
  // A length field (802.3/LLC) or a stacked tag is not a frame we speak.
  if (*type < kMinEtherType || *type == kEtherTypeVlan) {
    return core::MakeErr(L2Error::kUnsupportedEtherType);
  }
  out.header.ether_type = *type;
  out.payload = r.Rest();
  return out;
}

size_t EthernetHeaderSize(const EthernetHeader& header) {
  return kEthernetHeaderSize + (header.vlan_tci ? kVlanTagSize : 0);
}

uint8_t* PutEthernetHeader(const EthernetHeader& header, uint8_t* out) {
  out = put::Bytes(out, header.dst.bytes());
  out = put::Bytes(out, header.src.bytes());
  if (header.vlan_tci) {
    out = put::U16(out, kEtherTypeVlan);
    out = put::U16(out, *header.vlan_tci);
  }
  return put::U16(out, header.ether_type);
}

void WriteEthernetHeader(const EthernetHeader& header, core::ByteWriter& out) {
  uint8_t buffer[kEthernetHeaderSize + kVlanTagSize];
  uint8_t* end = PutEthernetHeader(header, buffer);
  out.Append(core::ByteSpan(buffer, static_cast<size_t>(end - buffer)));
}

void PadToMinimumFrame(core::Bytes& frame) {
  if (frame.size() < kMinFrameSize) frame.resize(kMinFrameSize, 0);
}

}  // namespace vipcast::wire
