#include "engine/wire/l2/ndp.h"

#include "engine/wire/l2/checksum.h"
#include "engine/wire/l2/ethernet.h"
#include "engine/wire/l2/multicast.h"
#include "engine/wire/l2/put_bytes.h"

namespace vipcast::wire {

namespace {

// RFC 4861 4.4: the first three bits of the NA flags word.
constexpr uint32_t kRouterBit = 0x80000000;
constexpr uint32_t kSolicitedBit = 0x40000000;
constexpr uint32_t kOverrideBit = 0x20000000;

bool IsUnspecified(const core::Ipv6Addr& a) { return a == core::Ipv6Addr(); }

// Walks the options after the fixed part. Fills `lla` with the first option
// of `wanted_type`; skips everything else by its length.
core::Status<L2Error> ParseOptions(core::ByteReader r, uint8_t wanted_type,
                                   std::optional<core::MacAddr>& lla) {
  while (!r.empty()) {
    auto type = r.U8();
    auto units = r.U8();
    if (!type || !units) return core::MakeErr(L2Error::kNdpOptionTruncated);
    // RFC 4861 4.6: "Nodes MUST silently discard an ND packet that contains
    // an option with length zero."
    if (*units == 0) return core::MakeErr(L2Error::kNdpOptionLengthZero);
    auto body = r.Sub(size_t{*units} * 8 - 2);
    if (!body) return core::MakeErr(L2Error::kNdpOptionTruncated);
    if (*type != wanted_type) continue;
    // RFC 2464 8: Ethernet link-layer options are exactly one unit. Linux
    // (ndisc_recv_ns/ndisc_recv_na) drops the message when it is not.
    if (size_t{*units} * 8 != kLinkLayerOptionSize) {
      return core::MakeErr(L2Error::kNdpLinkLayerOptionLength);
    }
    if (!lla) lla = ReadMac(*body);  // first one wins; 6 bytes are there
  }
  return core::Unit{};
}

uint8_t* PutLinkLayerOption(uint8_t type, const core::MacAddr& mac, uint8_t* out) {
  out = put::U8(out, type);
  out = put::U8(out, kLinkLayerOptionSize / 8);
  return put::Bytes(out, mac.bytes());
}

}  // namespace

L2Result<NdpMessage> ParseNdp(const Ipv6Header& ip, core::ByteSpan icmp) {
  if (ip.next_header != kNextHeaderIcmpv6) return core::MakeErr(L2Error::kUnsupportedNextHeader);
  core::ByteReader r(icmp);
  auto type = r.U8();
  auto code = r.U8();
  auto checksum = r.U16();
  if (!type || !code || !checksum) return core::MakeErr(L2Error::kTruncatedIcmpv6);
  if (*type != kIcmpv6NeighborSolicitation && *type != kIcmpv6NeighborAdvertisement) {
    return core::MakeErr(L2Error::kUnsupportedIcmpv6Type);
  }
  // RFC 4861 7.1.1 / 7.1.2, in the order the RFC lists them.
  if (ip.hop_limit != kNdpHopLimit) return core::MakeErr(L2Error::kNdpHopLimit);
  if (Icmpv6Checksum(ip.src, ip.dst, icmp) != *checksum) {
    return core::MakeErr(L2Error::kIcmpv6Checksum);
  }
  if (*code != 0) return core::MakeErr(L2Error::kNdpCode);
  if (icmp.size() < kNdpFixedSize) return core::MakeErr(L2Error::kNdpTooShort);
  const uint32_t flags = *r.U32();
  const core::Ipv6Addr target = *ReadIpv6Addr(r);  // 24 bytes checked above
  if (target.IsMulticast()) return core::MakeErr(L2Error::kNdpTargetMulticast);

  if (*type == kIcmpv6NeighborSolicitation) {
    NeighborSolicitation ns;
    ns.target = target;
    if (auto s = ParseOptions(r, kOptionSourceLinkLayer, ns.source_lla); !s) {
      return core::MakeErr(s.error());
    }
    if (IsUnspecified(ip.src)) {
      // RFC 4861 7.1.1: a DAD probe goes to the target's solicited-node
      // group and carries no source link-layer address.
      if (!IsSolicitedNodeAddress(ip.dst)) return core::MakeErr(L2Error::kNdpDadDestination);
      if (ns.source_lla) return core::MakeErr(L2Error::kNdpDadWithSourceLla);
    }
    return NdpMessage(ns);
  }

  NeighborAdvertisement na;
  na.router_flag = (flags & kRouterBit) != 0;
  na.solicited_flag = (flags & kSolicitedBit) != 0;
  na.override_flag = (flags & kOverrideBit) != 0;
  na.target = target;
  if (auto s = ParseOptions(r, kOptionTargetLinkLayer, na.target_lla); !s) {
    return core::MakeErr(s.error());
  }
  // RFC 4861 7.1.2: a solicited advertisement is unicast to the solicitor.
  if (ip.dst.IsMulticast() && na.solicited_flag) {
    return core::MakeErr(L2Error::kNdpSolicitedToMulticast);
  }
  return NdpMessage(na);
}

size_t NdpSize(const NdpMessage& message) {
  const bool has_lla = std::visit(
      [](const auto& m) {
        if constexpr (std::is_same_v<std::decay_t<decltype(m)>, NeighborSolicitation>) {
          return m.source_lla.has_value();
        } else {
          return m.target_lla.has_value();
        }
      },
      message);
  return kNdpFixedSize + (has_lla ? kLinkLayerOptionSize : 0);
}

uint8_t* PutNdp(const Ipv6Header& ip, const NdpMessage& message, uint8_t* out) {
  uint8_t* const start = out;
  if (const auto* ns = std::get_if<NeighborSolicitation>(&message)) {
    out = put::U8(out, kIcmpv6NeighborSolicitation);
    out = put::U8(out, 0);   // code
    out = put::U16(out, 0);  // checksum, patched below
    out = put::U32(out, 0);  // reserved: RFC 4861 4.3 "MUST be initialized to zero"
    out = put::Bytes(out, ns->target.bytes());
    if (ns->source_lla) out = PutLinkLayerOption(kOptionSourceLinkLayer, *ns->source_lla, out);
  } else {
    const auto& na = std::get<NeighborAdvertisement>(message);
    out = put::U8(out, kIcmpv6NeighborAdvertisement);
    out = put::U8(out, 0);
    out = put::U16(out, 0);
    out =
        put::U32(out, (na.router_flag ? kRouterBit : 0) | (na.solicited_flag ? kSolicitedBit : 0) |
                          (na.override_flag ? kOverrideBit : 0));
    out = put::Bytes(out, na.target.bytes());
    if (na.target_lla) out = PutLinkLayerOption(kOptionTargetLinkLayer, *na.target_lla, out);
  }
  const auto size = static_cast<size_t>(out - start);
  put::U16(start + 2, Icmpv6Checksum(ip.src, ip.dst, core::ByteSpan(start, size)));
  return out;
}

void WriteNdp(const Ipv6Header& ip, const NdpMessage& message, core::ByteWriter& out) {
  uint8_t buffer[kNdpFixedSize + kLinkLayerOptionSize];
  uint8_t* end = PutNdp(ip, message, buffer);
  out.Append(core::ByteSpan(buffer, static_cast<size_t>(end - buffer)));
}

}  // namespace vipcast::wire
