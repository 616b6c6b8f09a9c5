// Round-trip properties of the BGP codec: for every message type and every
// combination of session options, decode(encode(m)) == m, and encoding the
// decoded message gives the same bytes again.
#include <gtest/gtest.h>
#include <rapidcheck.h>
#include <rapidcheck/gtest.h>

#include "engine/wire/bgp/message.h"

namespace vipcast::wire::bgp {
namespace {

// The generators below draw values with `*gen` and therefore only run
// inside a property.

uint8_t U8(int lo = 0, int hi = 256) { return static_cast<uint8_t>(*rc::gen::inRange(lo, hi)); }
uint16_t U16(int lo = 0, int hi = 65536) {
  return static_cast<uint16_t>(*rc::gen::inRange(lo, hi));
}
uint32_t U32() { return *rc::gen::arbitrary<uint32_t>(); }
bool Coin() { return *rc::gen::arbitrary<bool>(); }

core::Bytes Blob(int max) {
  int n = *rc::gen::inRange(0, max + 1);
  core::Bytes b;
  for (int i = 0; i < n; ++i) b.push_back(U8());
  return b;
}

core::Prefix GenPrefix(core::IpFamily family) {
  if (family == core::IpFamily::kV4) {
    auto p = core::Prefix::Make(core::Ipv4Addr(U32()), *rc::gen::inRange(0, 33));
    return p.value();
  }
  std::array<uint8_t, 16> a{};
  for (auto& x : a) x = U8();
  return core::Prefix::Make(core::Ipv6Addr(a), *rc::gen::inRange(0, 129)).value();
}

std::vector<core::Prefix> GenPrefixes(core::IpFamily family, int max) {
  int n = *rc::gen::inRange(0, max + 1);
  std::vector<core::Prefix> out;
  for (int i = 0; i < n; ++i) out.push_back(GenPrefix(family));
  return out;
}

// A non-zero AS number that fits the session's AS_PATH width.
core::Asn GenAsn(bool four_octet) {
  return core::Asn(four_octet ? *rc::gen::inRange<uint32_t>(1, 0xffffffffu)
                              : *rc::gen::inRange<uint32_t>(1, 65536));
}

AsPath GenAsPath(bool four_octet, bool allow_confed) {
  AsPath path;
  int segments = *rc::gen::inRange(0, 4);
  for (int i = 0; i < segments; ++i) {
    AsPathSegment s;
    s.type = static_cast<AsSegmentType>(*rc::gen::inRange(1, allow_confed ? 5 : 3));
    int n = *rc::gen::inRange(1, 12);
    for (int k = 0; k < n; ++k) s.asns.push_back(GenAsn(four_octet));
    path.segments.push_back(std::move(s));
  }
  return path;
}

// Flags a decoder keeps as they are: the prescribed Optional/Transitive
// bits, any Partial/Extended Length bits, any unused low bits.
uint8_t GenFlags(uint8_t prescribed) {
  uint8_t flags = prescribed;
  if (Coin()) flags |= attr_flags::kExtendedLength;
  if ((prescribed & attr_flags::kOptional) && (prescribed & attr_flags::kTransitive) && Coin()) {
    flags |= attr_flags::kPartial;
  }
  return static_cast<uint8_t>(flags | U8(0, 16));
}

PathAttribute Attr(AttributeValue value) {
  PathAttribute a = PathAttribute::Make(std::move(value));
  a.flags = GenFlags(a.flags);
  return a;
}

UpdateMessage GenUpdate(const SessionOptions& options) {
  const bool four = options.four_octet_as;
  UpdateMessage u;
  u.withdrawn = GenPrefixes(core::IpFamily::kV4, 5);
  u.nlri = GenPrefixes(core::IpFamily::kV4, 5);
  std::vector<PathAttribute> attrs;
  // The mandatory three whenever there is anything to attach them to.
  bool with_path = !u.nlri.empty() || Coin();
  if (with_path) {
    attrs.push_back(Attr(OriginAttribute{static_cast<Origin>(*rc::gen::inRange(0, 3))}));
    attrs.push_back(Attr(AsPathAttribute{GenAsPath(four, true)}));
    attrs.push_back(Attr(NextHopAttribute{core::Ipv4Addr(U32())}));
    if (Coin()) attrs.push_back(Attr(MedAttribute{U32()}));
    if (Coin()) attrs.push_back(Attr(LocalPrefAttribute{U32()}));
    if (Coin()) attrs.push_back(Attr(AtomicAggregateAttribute{}));
    if (Coin()) attrs.push_back(Attr(AggregatorAttribute{GenAsn(four), core::Ipv4Addr(U32())}));
    if (Coin()) {
      CommunitiesAttribute c;
      int n = *rc::gen::inRange(1, 6);
      for (int i = 0; i < n; ++i) c.communities.push_back(U32());
      attrs.push_back(Attr(c));
    }
    if (Coin()) {
      LargeCommunitiesAttribute c;
      int n = *rc::gen::inRange(1, 4);
      for (int i = 0; i < n; ++i) c.communities.push_back({U32(), U32(), U32()});
      attrs.push_back(Attr(c));
    }
    if (Coin()) {
      MpReachAttribute mp;
      if (Coin()) {
        bool v6 = Coin();
        mp.afi = v6 ? kAfiIpv6 : kAfiIpv4;
        mp.safi = kSafiUnicast;
        size_t nh = v6 ? (Coin() ? 16 : 32) : (Coin() ? 4 : 16);
        for (size_t i = 0; i < nh; ++i) mp.next_hop.push_back(U8());
        mp.nlri = GenPrefixes(v6 ? core::IpFamily::kV6 : core::IpFamily::kV4, 4);
      } else {
        mp.afi = U16(3);  // not IPv4/IPv6, so kept raw
        mp.safi = U8();
        mp.next_hop = Blob(24);
        mp.raw_nlri = Blob(24);
      }
      mp.reserved = U8();
      attrs.push_back(Attr(mp));
    }
    if (!four && Coin()) attrs.push_back(Attr(As4PathAttribute{GenAsPath(true, false)}));
    if (!four && Coin()) {
      attrs.push_back(Attr(As4AggregatorAttribute{GenAsn(true), core::Ipv4Addr(U32())}));
    }
  }
  if (Coin()) {
    MpUnreachAttribute mp;
    if (Coin()) {
      mp.afi = kAfiIpv6;
      mp.safi = kSafiUnicast;
      mp.withdrawn = GenPrefixes(core::IpFamily::kV6, 4);
    } else {
      mp.afi = U16(3);
      mp.safi = U8();
      mp.raw_withdrawn = Blob(20);
    }
    attrs.push_back(Attr(mp));
  }
  if (Coin()) {
    // An unrecognized optional attribute, transitive or not.
    uint8_t type = U8(100, 250);
    attrs.push_back(PathAttribute{GenFlags(Coin() ? 0xc0 : 0x80), RawAttribute{type, Blob(40)}});
  }
  // Any order: RFC 4271 5 receivers accept attributes out of order.
  for (size_t i = attrs.size(); i > 1; --i) {
    std::swap(attrs[i - 1], attrs[*rc::gen::inRange<size_t>(0, i)]);
  }
  u.attributes = std::move(attrs);
  return u;
}

Capability GenCapability() {
  switch (*rc::gen::inRange(0, 7)) {
    case 0:
      return MultiprotocolCapability{U16(), U8(), U8()};
    case 1:
      return RouteRefreshCapability{};
    case 2:
      return EnhancedRouteRefreshCapability{};
    case 3:
      return ExtendedMessageCapability{};
    case 4:
      return FourOctetAsCapability{GenAsn(true)};
    case 5: {
      GracefulRestartCapability gr;
      gr.flags = U8(0, 16);
      gr.restart_time = U16(0, 4096);
      int n = *rc::gen::inRange(0, 4);
      for (int i = 0; i < n; ++i) gr.families.push_back({U16(), U8(), U8()});
      return gr;
    }
    default: {
      uint8_t code = *rc::gen::element<uint8_t>(0, 3, 5, 69, 71, 73, 128, 255);
      return UnknownCapability{code, Blob(10)};
    }
  }
}

OpenMessage GenOpen() {
  OpenMessage open;
  open.my_as = U16(1);
  open.hold_time = *rc::gen::element<uint16_t>(0, 3, 90, 180, 65535);
  open.bgp_identifier = core::RouterId(*rc::gen::inRange<uint32_t>(1, 0xffffffffu));
  int params = *rc::gen::inRange(0, 4);
  for (int i = 0; i < params; ++i) {
    CapabilityParameter p;
    int caps = *rc::gen::inRange(0, 5);
    for (int k = 0; k < caps; ++k) p.capabilities.push_back(GenCapability());
    open.parameters.push_back(std::move(p));
  }
  open.extended_parameters_length = Coin();
  return open;
}

Message GenMessage(const SessionOptions& options) {
  switch (*rc::gen::inRange(0, 5)) {
    case 0:
      return GenOpen();
    case 1:
      return GenUpdate(options);
    case 2:
      return NotificationMessage{U8(), U8(), Blob(64)};
    case 3:
      return KeepaliveMessage{};
    default: {
      RouteRefreshMessage rr;
      rr.afi = U16();
      rr.subtype = U8();
      rr.safi = U8();
      if (rr.subtype != RouteRefreshMessage::kBorr && rr.subtype != RouteRefreshMessage::kEorr) {
        rr.orf = Blob(16);
      }
      return rr;
    }
  }
}

SessionOptions GenOptions() {
  SessionOptions o;
  o.four_octet_as = Coin();
  o.extended_message = Coin();
  return o;
}

void CheckRoundTrip(const Message& m, const SessionOptions& options) {
  auto encoded = EncodeMessage(m, options);
  RC_ASSERT(encoded.ok());
  auto decoded = DecodeMessage(*encoded, options);
  RC_ASSERT(decoded.ok());
  RC_ASSERT(*decoded == m);
  auto again = EncodeMessage(*decoded, options);
  RC_ASSERT(again.ok());
  RC_ASSERT(*again == *encoded);
}

RC_GTEST_PROP(BgpCodecProperty, AnyMessageRoundTrips, ()) {
  auto options = GenOptions();
  CheckRoundTrip(GenMessage(options), options);
}

RC_GTEST_PROP(BgpCodecProperty, OpenRoundTrips, ()) { CheckRoundTrip(GenOpen(), {}); }

RC_GTEST_PROP(BgpCodecProperty, UpdateRoundTrips, ()) {
  auto options = GenOptions();
  CheckRoundTrip(GenUpdate(options), options);
}

RC_GTEST_PROP(BgpCodecProperty, NotificationRoundTrips, ()) {
  CheckRoundTrip(NotificationMessage{U8(), U8(), Blob(200)}, {});
}

RC_GTEST_PROP(BgpCodecProperty, ShutdownCommunicationRoundTrips, ()) {
  std::string text = *rc::gen::container<std::string>(rc::gen::inRange<char>(32, 127));
  auto n = NotificationMessage::MakeShutdown(cease::kAdministrativeShutdown, text);
  CheckRoundTrip(n, {});
  auto s = n.Shutdown();
  RC_ASSERT(s.status == ShutdownCommunication::Status::kValid);
  RC_ASSERT(s.message == text.substr(0, 255));
}

RC_GTEST_PROP(BgpCodecProperty, KeepaliveAndRouteRefreshRoundTrip, ()) {
  CheckRoundTrip(KeepaliveMessage{}, {});
  RouteRefreshMessage rr{U16(), *rc::gen::element<uint8_t>(0, 1, 2), U8(), {}};
  CheckRoundTrip(rr, {});
}

// Whatever bytes arrive, decoding never crashes and what decodes round-trips.
RC_GTEST_PROP(BgpCodecProperty, ArbitraryBodiesNeverBreakTheCodec, ()) {
  auto options = GenOptions();
  uint8_t type = U8(1, 6);
  core::Bytes body = Blob(80);
  core::ByteWriter w;
  EncodeHeader(w, static_cast<MessageType>(type), static_cast<uint16_t>(body.size() + 19));
  w.Append(body);
  auto decoded = DecodeMessage(w.bytes(), options);
  if (decoded) {
    auto encoded = EncodeMessage(*decoded, options);
    RC_ASSERT(encoded.ok());
    RC_ASSERT(DecodeMessage(*encoded, options).value_or(Message{}) == *decoded);
  }
}

}  // namespace
}  // namespace vipcast::wire::bgp
