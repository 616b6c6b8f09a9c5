#include "engine/wire/bgp/attributes.h"

#include <array>

#include "engine/wire/bgp/error_codes.h"
#include "engine/wire/bgp/nlri.h"
#include "engine/wire/bgp/overloaded.h"

namespace vipcast::wire::bgp {
namespace {

using core::ByteReader;
using core::ByteSpan;
using core::ByteWriter;
using core::MakeErr;

constexpr uint8_t kWellKnown = attr_flags::kTransitive;
constexpr uint8_t kOptionalTransitive = attr_flags::kOptional | attr_flags::kTransitive;
constexpr uint8_t kOptionalNonTransitive = attr_flags::kOptional;

AttributeProblem Problem(uint8_t subcode, ErrorHandling handling, std::string reason) {
  AttributeProblem p;
  p.subcode = subcode;
  p.handling = handling;
  p.reason = std::move(reason);
  return p;
}

std::string Named(uint8_t type) {
  auto name = AttributeTypeName(type);
  return name.empty() ? "attribute " + std::to_string(type) : std::string(name);
}

// RFC 7606 3.f and RFC 6793 6: these attributes are discarded, not the route.
bool DiscardClass(uint8_t type) {
  return type == attr_type::kAtomicAggregate || type == attr_type::kAggregator ||
         type == attr_type::kAs4Path || type == attr_type::kAs4Aggregator;
}

core::IpFamily FamilyOf(uint16_t afi) {
  return afi == kAfiIpv4 ? core::IpFamily::kV4 : core::IpFamily::kV6;
}

bool AnyAsZero(const AsPath& path) { return path.Contains(core::Asn(0)); }

core::Result<AttributeValue, AttributeProblem> LengthError(uint8_t type, size_t length,
                                                           std::string_view expected,
                                                           ErrorHandling handling) {
  return MakeErr(Problem(update_error::kAttributeLengthError, handling,
                         Named(type) + " has length " + std::to_string(length) + ", expected " +
                             std::string(expected)));
}

core::Result<AttributeValue, AttributeProblem> DecodeMpReach(ByteSpan value) {
  ByteReader r(value);
  auto afi = r.U16();
  auto safi = afi ? r.U8() : std::nullopt;
  // RFC 7606 3.j / 7.11: without the AFI/SAFI nothing can be disabled.
  if (!safi) {
    return MakeErr(Problem(update_error::kOptionalAttributeError, ErrorHandling::kSessionReset,
                           "MP_REACH_NLRI too short for AFI/SAFI"));
  }
  AfiSafi family{*afi, *safi};
  auto disable = [&](std::string reason) {
    AttributeProblem p = Problem(update_error::kOptionalAttributeError,
                                 ErrorHandling::kAfiSafiDisable, "MP_REACH_NLRI: " + reason);
    p.afi_safi = family;
    return p;
  };
  auto nh_len = r.U8();
  if (!nh_len) return MakeErr(disable("missing next hop length"));
  auto nh = r.Take(*nh_len);
  if (!nh) return MakeErr(disable("next hop length overruns the attribute"));
  auto reserved = r.U8();
  if (!reserved) return MakeErr(disable("missing reserved octet"));
  MpReachAttribute mp;
  mp.afi = *afi;
  mp.safi = *safi;
  mp.next_hop.assign(nh->begin(), nh->end());
  mp.reserved = *reserved;
  if (IsIpUnicast(mp.afi, mp.safi)) {
    // RFC 7606 7.11: a next hop length the family does not allow. IPv4
    // unicast also allows an IPv6 next hop (RFC 8950 3).
    size_t n = mp.next_hop.size();
    bool ok = n == 16 || n == 32 || (mp.afi == kAfiIpv4 && n == 4);
    if (!ok) return MakeErr(disable("next hop length " + std::to_string(n) + " is invalid"));
    auto prefixes = DecodePrefixes(r.Rest(), FamilyOf(mp.afi));
    // RFC 7606 3.j / 5.3: NLRI that cannot be parsed.
    if (!prefixes) return MakeErr(disable(prefixes.error()));
    mp.nlri = std::move(prefixes).value();
  } else {
    auto rest = r.Rest();
    mp.raw_nlri.assign(rest.begin(), rest.end());
  }
  return AttributeValue(std::move(mp));
}

core::Result<AttributeValue, AttributeProblem> DecodeMpUnreach(ByteSpan value) {
  ByteReader r(value);
  auto afi = r.U16();
  auto safi = afi ? r.U8() : std::nullopt;
  if (!safi) {
    return MakeErr(Problem(update_error::kOptionalAttributeError, ErrorHandling::kSessionReset,
                           "MP_UNREACH_NLRI too short for AFI/SAFI"));
  }
  MpUnreachAttribute mp;
  mp.afi = *afi;
  mp.safi = *safi;
  if (IsIpUnicast(mp.afi, mp.safi)) {
    auto prefixes = DecodePrefixes(r.Rest(), FamilyOf(mp.afi));
    if (!prefixes) {
      AttributeProblem p =
          Problem(update_error::kOptionalAttributeError, ErrorHandling::kAfiSafiDisable,
                  "MP_UNREACH_NLRI: " + prefixes.error());
      p.afi_safi = AfiSafi{mp.afi, mp.safi};
      return MakeErr(std::move(p));
    }
    mp.withdrawn = std::move(prefixes).value();
  } else {
    auto rest = r.Rest();
    mp.raw_withdrawn.assign(rest.begin(), rest.end());
  }
  return AttributeValue(std::move(mp));
}

// The value checks, before the flags are looked at.
core::Result<AttributeValue, AttributeProblem> DecodeValue(uint8_t flags, uint8_t type,
                                                           ByteSpan value,
                                                           const SessionOptions& options) {
  ByteReader r(value);
  const size_t n = value.size();
  const auto taw = ErrorHandling::kTreatAsWithdraw;
  const auto discard = ErrorHandling::kAttributeDiscard;
  switch (type) {
    case attr_type::kOrigin: {
      if (n != 1) return LengthError(type, n, "1", taw);  // RFC 7606 7.1
      uint8_t v = *r.U8();
      if (v > 2) {
        return MakeErr(Problem(update_error::kInvalidOriginAttribute, taw,
                               "ORIGIN value " + std::to_string(v) + " is undefined"));
      }
      return AttributeValue(OriginAttribute{static_cast<Origin>(v)});
    }
    case attr_type::kAsPath: {
      auto path = DecodeAsPath(value, options.four_octet_as);  // RFC 7606 7.2
      if (!path) return MakeErr(Problem(update_error::kMalformedAsPath, taw, path.error()));
      if (AnyAsZero(*path)) {  // RFC 7607 2
        return MakeErr(Problem(update_error::kMalformedAsPath, taw, "AS_PATH contains AS 0"));
      }
      return AttributeValue(AsPathAttribute{std::move(path).value()});
    }
    case attr_type::kNextHop:
      if (n != 4) return LengthError(type, n, "4", taw);  // RFC 7606 7.3
      return AttributeValue(NextHopAttribute{core::Ipv4Addr(*r.U32())});
    case attr_type::kMed:
      if (n != 4) return LengthError(type, n, "4", taw);  // RFC 7606 7.4
      return AttributeValue(MedAttribute{*r.U32()});
    case attr_type::kLocalPref:
      // RFC 7606 7.5 (from iBGP; eBGP LOCAL_PREF is the session's to discard).
      if (n != 4) return LengthError(type, n, "4", taw);
      return AttributeValue(LocalPrefAttribute{*r.U32()});
    case attr_type::kAtomicAggregate:
      if (n != 0) return LengthError(type, n, "0", discard);  // RFC 7606 7.6
      return AttributeValue(AtomicAggregateAttribute{});
    case attr_type::kAggregator: {
      size_t want = options.four_octet_as ? 8 : 6;  // RFC 7606 7.7
      if (n != want) return LengthError(type, n, std::to_string(want), discard);
      AggregatorAttribute a;
      a.asn = core::Asn(options.four_octet_as ? *r.U32() : uint32_t{*r.U16()});
      a.address = core::Ipv4Addr(*r.U32());
      if (a.asn.value() == 0) {  // RFC 7607 2
        return MakeErr(
            Problem(update_error::kOptionalAttributeError, discard, "AGGREGATOR carries AS 0"));
      }
      return AttributeValue(a);
    }
    case attr_type::kCommunities: {
      if (n == 0 || n % 4 != 0) return LengthError(type, n, "a non-zero multiple of 4", taw);
      CommunitiesAttribute c;  // RFC 7606 7.8
      while (!r.empty()) c.communities.push_back(*r.U32());
      return AttributeValue(std::move(c));
    }
    case attr_type::kLargeCommunities: {
      // RFC 8092 6.
      if (n == 0 || n % 12 != 0) return LengthError(type, n, "a non-zero multiple of 12", taw);
      LargeCommunitiesAttribute c;
      while (!r.empty()) {
        LargeCommunity lc;
        lc.global_admin = *r.U32();
        lc.local_data1 = *r.U32();
        lc.local_data2 = *r.U32();
        c.communities.push_back(lc);
      }
      return AttributeValue(std::move(c));
    }
    case attr_type::kMpReachNlri:
      return DecodeMpReach(value);
    case attr_type::kMpUnreachNlri:
      return DecodeMpUnreach(value);
    case attr_type::kAs4Path: {
      // RFC 6793 4.1: a NEW speaker ignores AS4_PATH from a NEW speaker.
      if (options.four_octet_as) {
        return MakeErr(Problem(update_error::kOptionalAttributeError, discard,
                               "AS4_PATH on a 4-octet AS session"));
      }
      // RFC 6793 6: a malformed AS4_PATH is discarded.
      auto path = DecodeAsPath(value, true);
      if (!path) {
        return MakeErr(
            Problem(update_error::kOptionalAttributeError, discard, "AS4_PATH: " + path.error()));
      }
      if (AnyAsZero(*path)) {  // RFC 7607 2
        return MakeErr(
            Problem(update_error::kOptionalAttributeError, discard, "AS4_PATH contains AS 0"));
      }
      return AttributeValue(As4PathAttribute{std::move(path).value()});
    }
    case attr_type::kAs4Aggregator: {
      if (options.four_octet_as) {  // RFC 6793 4.1
        return MakeErr(Problem(update_error::kOptionalAttributeError, discard,
                               "AS4_AGGREGATOR on a 4-octet AS session"));
      }
      if (n != 8) return LengthError(type, n, "8", discard);  // RFC 6793 6
      As4AggregatorAttribute a;
      a.asn = core::Asn(*r.U32());
      a.address = core::Ipv4Addr(*r.U32());
      if (a.asn.value() == 0) {  // RFC 7607 2
        return MakeErr(
            Problem(update_error::kOptionalAttributeError, discard, "AS4_AGGREGATOR carries AS 0"));
      }
      return AttributeValue(a);
    }
    default:
      break;
  }
  // Kept raw, but length-checked where RFC 7606 says how.
  switch (type) {
    case attr_type::kOriginatorId:  // RFC 7606 7.9
      if (n != 4) return LengthError(type, n, "4", taw);
      break;
    case attr_type::kClusterList:  // RFC 7606 7.10
      if (n == 0 || n % 4 != 0) return LengthError(type, n, "a non-zero multiple of 4", taw);
      break;
    case attr_type::kExtendedCommunities:  // RFC 7606 7.14
      if (n == 0 || n % 8 != 0) return LengthError(type, n, "a non-zero multiple of 8", taw);
      break;
    case attr_type::kIpv6ExtendedCommunities:  // RFC 7606 7.15
      if (n == 0 || n % 20 != 0) return LengthError(type, n, "a non-zero multiple of 20", taw);
      break;
    default:
      // RFC 4271 6.3: an unrecognized attribute that claims to be well-known.
      // RFC 7606 3.b turns the session reset into treat-as-withdraw.
      if ((flags & attr_flags::kOptional) == 0) {
        return MakeErr(Problem(update_error::kUnrecognizedWellKnownAttribute, taw,
                               "unrecognized well-known attribute " + std::to_string(type)));
      }
  }
  RawAttribute raw;
  raw.type = type;
  raw.value.assign(value.begin(), value.end());
  return AttributeValue(std::move(raw));
}

std::vector<core::Prefix> PrefixesOf(const AttributeValue& value) {
  if (const auto* reach = std::get_if<MpReachAttribute>(&value)) return reach->nlri;
  if (const auto* unreach = std::get_if<MpUnreachAttribute>(&value)) return unreach->withdrawn;
  return {};
}

}  // namespace

uint8_t AttributeTypeCode(const AttributeValue& value) {
  return std::visit(
      Overloaded{
          [](const OriginAttribute&) { return attr_type::kOrigin; },
          [](const AsPathAttribute&) { return attr_type::kAsPath; },
          [](const NextHopAttribute&) { return attr_type::kNextHop; },
          [](const MedAttribute&) { return attr_type::kMed; },
          [](const LocalPrefAttribute&) { return attr_type::kLocalPref; },
          [](const AtomicAggregateAttribute&) { return attr_type::kAtomicAggregate; },
          [](const AggregatorAttribute&) { return attr_type::kAggregator; },
          [](const CommunitiesAttribute&) { return attr_type::kCommunities; },
          [](const LargeCommunitiesAttribute&) { return attr_type::kLargeCommunities; },
          [](const MpReachAttribute&) { return attr_type::kMpReachNlri; },
          [](const MpUnreachAttribute&) { return attr_type::kMpUnreachNlri; },
          [](const As4PathAttribute&) { return attr_type::kAs4Path; },
          [](const As4AggregatorAttribute&) { return attr_type::kAs4Aggregator; },
          [](const RawAttribute& raw) { return raw.type; },
      },
      value);
}

std::string_view AttributeTypeName(uint8_t type) {
  switch (type) {
    case attr_type::kOrigin:
      return "ORIGIN";
    case attr_type::kAsPath:
      return "AS_PATH";
    case attr_type::kNextHop:
      return "NEXT_HOP";
    case attr_type::kMed:
      return "MULTI_EXIT_DISC";
    case attr_type::kLocalPref:
      return "LOCAL_PREF";
    case attr_type::kAtomicAggregate:
      return "ATOMIC_AGGREGATE";
    case attr_type::kAggregator:
      return "AGGREGATOR";
    case attr_type::kCommunities:
      return "COMMUNITIES";
    case attr_type::kOriginatorId:
      return "ORIGINATOR_ID";
    case attr_type::kClusterList:
      return "CLUSTER_LIST";
    case attr_type::kMpReachNlri:
      return "MP_REACH_NLRI";
    case attr_type::kMpUnreachNlri:
      return "MP_UNREACH_NLRI";
    case attr_type::kExtendedCommunities:
      return "EXTENDED_COMMUNITIES";
    case attr_type::kAs4Path:
      return "AS4_PATH";
    case attr_type::kAs4Aggregator:
      return "AS4_AGGREGATOR";
    case attr_type::kIpv6ExtendedCommunities:
      return "IPV6_EXTENDED_COMMUNITIES";
    case attr_type::kLargeCommunities:
      return "LARGE_COMMUNITIES";
    default:
      return "";
  }
}

std::optional<uint8_t> ExpectedFlags(uint8_t type) {
  switch (type) {
    case attr_type::kOrigin:
    case attr_type::kAsPath:
    case attr_type::kNextHop:
    case attr_type::kLocalPref:
    case attr_type::kAtomicAggregate:
      return kWellKnown;
    case attr_type::kMed:
    case attr_type::kOriginatorId:
    case attr_type::kClusterList:
    case attr_type::kMpReachNlri:
    case attr_type::kMpUnreachNlri:
      return kOptionalNonTransitive;
    case attr_type::kAggregator:
    case attr_type::kCommunities:
    case attr_type::kExtendedCommunities:
    case attr_type::kAs4Path:
    case attr_type::kAs4Aggregator:
    case attr_type::kIpv6ExtendedCommunities:
    case attr_type::kLargeCommunities:
      return kOptionalTransitive;
    default:
      return std::nullopt;
  }
}

PathAttribute PathAttribute::Make(AttributeValue value) {
  PathAttribute a;
  uint8_t type = AttributeTypeCode(value);
  auto expected = ExpectedFlags(type);
  a.flags = expected ? *expected : kOptionalTransitive;
  a.value = std::move(value);
  return a;
}

std::optional<core::IpAddr> MpReachAttribute::GlobalNextHop() const {
  if (next_hop.size() == 4) {
    return core::IpAddr(
        core::Ipv4Addr::FromOctets(next_hop[0], next_hop[1], next_hop[2], next_hop[3]));
  }
  if (next_hop.size() == 16 || next_hop.size() == 32) {
    std::array<uint8_t, 16> a{};
    std::copy(next_hop.begin(), next_hop.begin() + 16, a.begin());
    return core::IpAddr(core::Ipv6Addr(a));
  }
  return std::nullopt;
}

std::optional<core::Ipv6Addr> MpReachAttribute::LinkLocalNextHop() const {
  if (next_hop.size() != 32) return std::nullopt;
  std::array<uint8_t, 16> a{};
  std::copy(next_hop.begin() + 16, next_hop.end(), a.begin());
  return core::Ipv6Addr(a);
}

MpReachAttribute MpReachAttribute::Unicast(uint16_t afi, core::IpAddr next_hop,
                                           std::optional<core::Ipv6Addr> link_local,
                                           std::vector<core::Prefix> nlri) {
  MpReachAttribute mp;
  mp.afi = afi;
  mp.safi = kSafiUnicast;
  mp.next_hop = next_hop.Bytes();
  if (link_local) {
    const auto& ll = link_local->bytes();
    mp.next_hop.insert(mp.next_hop.end(), ll.begin(), ll.end());
  }
  mp.nlri = std::move(nlri);
  return mp;
}

core::Result<AttributeValue, AttributeProblem> DecodeAttributeValue(uint8_t flags, uint8_t type,
                                                                    ByteSpan value,
                                                                    const SessionOptions& options) {
  auto decoded = DecodeValue(flags, type, value, options);
  // RFC 7606 3.c: only the Optional and Transitive bits are checked; the
  // Partial and Extended Length bits carry no meaning to check, and the low
  // four bits MUST be ignored (RFC 4271 4.3).
  auto expected = ExpectedFlags(type);
  const uint8_t ot = flags & (attr_flags::kOptional | attr_flags::kTransitive);
  if (!expected || ot == *expected) return decoded;
  AttributeProblem flags_problem = Problem(
      update_error::kAttributeFlagsError,
      DiscardClass(type) ? ErrorHandling::kAttributeDiscard : ErrorHandling::kTreatAsWithdraw,
      Named(type) + " has Optional/Transitive flags that conflict with its type");
  if (!decoded) {
    // Keep the stronger of the two problems.
    if (decoded.error().handling > flags_problem.handling) return decoded;
    return MakeErr(std::move(flags_problem));
  }
  flags_problem.prefixes = PrefixesOf(*decoded);
  return MakeErr(std::move(flags_problem));
}

void EncodeAttribute(const PathAttribute& attribute, const SessionOptions& options,
                     ByteWriter& out) {
  ByteWriter v;
  std::visit(Overloaded{
                 [&](const OriginAttribute& a) { v.U8(static_cast<uint8_t>(a.origin)); },
                 [&](const AsPathAttribute& a) { EncodeAsPath(a.path, options.four_octet_as, v); },
                 [&](const NextHopAttribute& a) { v.U32(a.address.value()); },
                 [&](const MedAttribute& a) { v.U32(a.value); },
                 [&](const LocalPrefAttribute& a) { v.U32(a.value); },
                 [](const AtomicAggregateAttribute&) {},
                 [&](const AggregatorAttribute& a) {
                   if (options.four_octet_as) {
                     v.U32(a.asn.value());
                   } else {
                     v.U16(static_cast<uint16_t>(a.asn.Fits2Octets() ? a.asn.value()
                                                                     : core::Asn::Trans().value()));
                   }
                   v.U32(a.address.value());
                 },
                 [&](const CommunitiesAttribute& a) {
                   for (uint32_t c : a.communities) v.U32(c);
                 },
                 [&](const LargeCommunitiesAttribute& a) {
                   for (const auto& c : a.communities) {
                     v.U32(c.global_admin);
                     v.U32(c.local_data1);
                     v.U32(c.local_data2);
                   }
                 },
                 [&](const MpReachAttribute& a) {
                   v.U16(a.afi);
                   v.U8(a.safi);
                   v.U8(static_cast<uint8_t>(a.next_hop.size()));
                   v.Append(a.next_hop);
                   v.U8(a.reserved);
                   EncodePrefixes(a.nlri, v);
                   v.Append(a.raw_nlri);
                 },
                 [&](const MpUnreachAttribute& a) {
                   v.U16(a.afi);
                   v.U8(a.safi);
                   EncodePrefixes(a.withdrawn, v);
                   v.Append(a.raw_withdrawn);
                 },
                 [&](const As4PathAttribute& a) { EncodeAsPath(a.path, true, v); },
                 [&](const As4AggregatorAttribute& a) {
                   v.U32(a.asn.value());
                   v.U32(a.address.value());
                 },
                 [&](const RawAttribute& a) { v.Append(a.value); },
             },
             attribute.value);
  uint8_t flags = attribute.flags;
  if (v.size() > 255) flags |= attr_flags::kExtendedLength;
  out.U8(flags);
  out.U8(attribute.type());
  if (flags & attr_flags::kExtendedLength) {
    out.U16(static_cast<uint16_t>(v.size()));
  } else {
    out.U8(static_cast<uint8_t>(v.size()));
  }
  out.Append(v.bytes());
}

std::optional<PathAttribute> PrepareForPropagation(const PathAttribute& attribute) {
  if (!std::holds_alternative<RawAttribute>(attribute.value)) return attribute;
  if ((attribute.flags & attr_flags::kOptional) == 0) return attribute;
  if ((attribute.flags & attr_flags::kTransitive) == 0) return std::nullopt;
  PathAttribute out = attribute;
  out.flags |= attr_flags::kPartial;
  return out;
}

}  // namespace vipcast::wire::bgp
