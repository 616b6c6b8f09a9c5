// clang-format off
// UPDATE decoding and the RFC 7606 error handling it applies.
//
// Which section justifies each outcome (code/subcode is the NOTIFICATION
// named in the DecodeError; it is only sent for session-reset):
//
//   condition                                     handling           code  source
//   --------------------------------------------  -----------------  ----  -----------------------
//   Withdrawn Routes Length / Total Path          session-reset      3/1   RFC 7606 3.b, 4271 6.3
//     Attribute Length overrun the message
//   Withdrawn Routes unparseable                  session-reset      3/10  RFC 7606 3.i, 3.j, 5.3
//   NLRI field unparseable                        session-reset      3/10  RFC 7606 3.j, 5.3
//   attribute header or length overruns the      treat-as-withdraw  3/5   RFC 7606 4
//     attribute list
//   Optional/Transitive flags conflict with type  treat-as-withdraw  3/4   RFC 7606 3.c
//     (AGGREGATOR, ATOMIC_AGGREGATE, AS4_*)       attribute-discard  3/4   RFC 7606 3.c/3.f, 6793 6
//   reserved (low four) flag bits set             accepted           -     RFC 4271 4.3
//   well-known mandatory attribute missing and    treat-as-withdraw  3/3   RFC 7606 3.d; 4760 3
//     NLRI present (NEXT_HOP only for NLRI field)
//   ORIGIN length != 1 / value > 2                treat-as-withdraw  3/5,6 RFC 7606 7.1
//   AS_PATH malformed segment                     treat-as-withdraw  3/11  RFC 7606 7.2
//   AS_PATH contains AS 0                         treat-as-withdraw  3/11  RFC 7607 2
//   NEXT_HOP length != 4                          treat-as-withdraw  3/5   RFC 7606 7.3
//   MULTI_EXIT_DISC length != 4                   treat-as-withdraw  3/5   RFC 7606 7.4
//   LOCAL_PREF length != 4                        treat-as-withdraw  3/5   RFC 7606 7.5 (iBGP case;
//                                                                          eBGP discard: session)
//   ATOMIC_AGGREGATE length != 0                  attribute-discard  3/5   RFC 7606 7.6
//   AGGREGATOR length != 6/8, or AS 0             attribute-discard  3/5,9 RFC 7606 7.7, 7607 2
//   COMMUNITIES length 0 or not a multiple of 4   treat-as-withdraw  3/5   RFC 7606 7.8
//   ORIGINATOR_ID length != 4                     treat-as-withdraw  3/5   RFC 7606 7.9
//   CLUSTER_LIST length 0 or not multiple of 4    treat-as-withdraw  3/5   RFC 7606 7.10
//   MP_REACH too short for AFI/SAFI               session-reset      3/9   RFC 7606 3.j, 7.11
//   MP_REACH next hop length invalid/overrun      afi-safi-disable   3/9   RFC 7606 7.11, 4760 7
//   MP_REACH/MP_UNREACH NLRI unparseable          afi-safi-disable   3/9   RFC 7606 3.j, 5.3
//   MP_UNREACH too short for AFI/SAFI             session-reset      3/9   RFC 7606 3.j
//   MP_REACH or MP_UNREACH appears twice          session-reset      3/1   RFC 7606 3.g
//   any other attribute appears twice (the first  attribute-discard  3/1   RFC 7606 3.g
//     is kept)
//   EXTENDED_COMMUNITIES length 0 or not *8       treat-as-withdraw  3/5   RFC 7606 7.14
//   IPV6_EXTENDED_COMMUNITIES length 0 or not *20 treat-as-withdraw  3/5   RFC 7606 7.15
//   LARGE_COMMUNITIES length 0 or not *12         treat-as-withdraw  3/5   RFC 8092 6
//   unrecognized attribute with Optional bit 0    treat-as-withdraw  3/2   RFC 4271 6.3, 7606 3.b
//   AS4_PATH malformed or with AS 0               attribute-discard  3/9   RFC 6793 6, 7607 2
//   AS4_PATH / AS4_AGGREGATOR on 4-octet session  attribute-discard  3/9   RFC 6793 4.1
//   AS4_AGGREGATOR length != 8 or AS 0            attribute-discard  3/5,9 RFC 6793 6, 7607 2
//   several errors                                strongest wins           RFC 7606 3.h
//   no reachable NLRI, attributes other than      session-reset            RFC 7606 5.2
//     MP_UNREACH, error short of attribute-discard
//     escalates
//   ADD-PATH negotiated (unsupported)             session-reset      3/0   (this codec)
//
// Attribute order is not checked: RFC 4271 5 requires receivers to accept
// attributes in any order, so AS4_PATH before AS_PATH is well-formed.
// clang-format on
#include "engine/wire/bgp/update.h"

#include <bitset>
#include <string>

#include "engine/wire/bgp/error_codes.h"
#include "engine/wire/bgp/nlri.h"

namespace vipcast::wire::bgp {
namespace {

constexpr uint8_t kUpdateError = static_cast<uint8_t>(ErrorCode::kUpdateMessage);

struct Problem {
  uint8_t subcode = 0;
  ErrorHandling handling = ErrorHandling::kTreatAsWithdraw;
  std::string reason;
  core::Bytes data;
  std::optional<AfiSafi> afi_safi;
};

core::Result<UpdateMessage, DecodeError> Reset(uint8_t subcode, std::string reason) {
  return core::MakeErr(MakeDecodeError(kUpdateError, subcode, std::move(reason)));
}

}  // namespace

std::optional<AfiSafi> UpdateMessage::EndOfRib() const {
  if (!withdrawn.empty() || !nlri.empty()) return std::nullopt;
  if (attributes.empty()) return AfiSafi{kAfiIpv4, kSafiUnicast};
  if (attributes.size() != 1) return std::nullopt;
  const auto* unreach = std::get_if<MpUnreachAttribute>(&attributes[0].value);
  if (!unreach || !unreach->withdrawn.empty() || !unreach->raw_withdrawn.empty()) {
    return std::nullopt;
  }
  return AfiSafi{unreach->afi, unreach->safi};
}

core::Result<UpdateMessage, DecodeError> DecodeUpdateBody(core::ByteSpan body,
                                                          const SessionOptions& options) {
  if (options.add_path) {
    return Reset(update_error::kUnspecific, "ADD-PATH is not supported by this codec");
  }
  core::ByteReader r(body);
  auto withdrawn_length = r.U16();
  if (!withdrawn_length) return Reset(update_error::kMalformedAttributeList, "UPDATE too short");
  auto withdrawn_field = r.Take(*withdrawn_length);
  if (!withdrawn_field) {
    return Reset(update_error::kMalformedAttributeList,
                 "Withdrawn Routes Length overruns the message");
  }
  auto attributes_length = r.U16();
  if (!attributes_length) {
    return Reset(update_error::kMalformedAttributeList, "no room for Total Path Attribute Length");
  }
  auto attributes_field = r.Take(*attributes_length);
  if (!attributes_field) {
    return Reset(update_error::kMalformedAttributeList,
                 "Total Path Attribute Length overruns the message");
  }
  auto withdrawn = DecodePrefixes(*withdrawn_field, core::IpFamily::kV4);
  if (!withdrawn) {
    return Reset(update_error::kInvalidNetworkField, "Withdrawn Routes: " + withdrawn.error());
  }
  auto nlri = DecodePrefixes(r.Rest(), core::IpFamily::kV4);
  if (!nlri) return Reset(update_error::kInvalidNetworkField, "NLRI: " + nlri.error());

  UpdateMessage update;
  update.withdrawn = std::move(withdrawn).value();
  update.nlri = std::move(nlri).value();

  std::vector<Problem> problems;
  std::vector<core::Prefix> mp_prefixes;
  std::bitset<256> seen;
  bool list_abandoned = false;
  core::ByteReader ar(*attributes_field);
  while (!ar.empty()) {
    const size_t start = ar.position();
    auto flags = ar.U8();
    auto type = ar.U8();
    std::optional<uint16_t> length;
    if (type) {
      if (*flags & attr_flags::kExtendedLength) {
        length = ar.U16();
      } else if (auto l8 = ar.U8()) {
        length = *l8;
      }
    }
    auto value = length ? ar.Take(*length) : std::nullopt;
    if (!value) {
      // RFC 7606 4: the rest of the list cannot be located.
      Problem p;
      p.subcode = update_error::kAttributeLengthError;
      p.handling = ErrorHandling::kTreatAsWithdraw;
      p.reason = type ? "attribute " + std::to_string(*type) + " overruns the attribute list"
                      : std::string("truncated attribute header");
      auto rest = attributes_field->subspan(start);
      p.data.assign(rest.begin(), rest.end());
      problems.push_back(std::move(p));
      list_abandoned = true;
      break;
    }
    auto raw = attributes_field->subspan(start, ar.position() - start);
    if (seen[*type]) {
      Problem p;
      p.subcode = update_error::kMalformedAttributeList;
      p.data.assign(raw.begin(), raw.end());
      if (*type == attr_type::kMpReachNlri || *type == attr_type::kMpUnreachNlri) {
        // RFC 7606 3.g.
        p.handling = ErrorHandling::kSessionReset;
        p.reason = std::string(AttributeTypeName(*type)) + " appears more than once";
      } else {
        // RFC 7606 3.g: keep the first, discard the rest.
        p.handling = ErrorHandling::kAttributeDiscard;
        p.reason = "attribute " + std::to_string(*type) + " repeated; later copies discarded";
      }
      problems.push_back(std::move(p));
      continue;
    }
    seen[*type] = true;
    auto decoded = DecodeAttributeValue(*flags, *type, *value, options);
    if (!decoded) {
      auto& e = decoded.error();
      mp_prefixes.insert(mp_prefixes.end(), e.prefixes.begin(), e.prefixes.end());
      Problem p;
      p.subcode = e.subcode;
      p.handling = e.handling;
      p.reason = std::move(e.reason);
      p.data.assign(raw.begin(), raw.end());
      p.afi_safi = e.afi_safi;
      problems.push_back(std::move(p));
      continue;
    }
    if (const auto* reach = std::get_if<MpReachAttribute>(&*decoded)) {
      mp_prefixes.insert(mp_prefixes.end(), reach->nlri.begin(), reach->nlri.end());
    } else if (const auto* unreach = std::get_if<MpUnreachAttribute>(&*decoded)) {
      mp_prefixes.insert(mp_prefixes.end(), unreach->withdrawn.begin(), unreach->withdrawn.end());
    }
    PathAttribute attribute;
    attribute.flags = *flags;
    attribute.value = std::move(decoded).value();
    update.attributes.push_back(std::move(attribute));
  }

  // RFC 7606 3.d, RFC 4760 3: mandatory attributes when routes are announced.
  const bool reachable = !update.nlri.empty() || seen[attr_type::kMpReachNlri];
  if (reachable && !list_abandoned) {
    for (uint8_t required : {attr_type::kOrigin, attr_type::kAsPath, attr_type::kNextHop}) {
      if (required == attr_type::kNextHop && update.nlri.empty()) continue;
      if (seen[required]) continue;
      Problem p;
      p.subcode = update_error::kMissingWellKnownAttribute;
      p.handling = ErrorHandling::kTreatAsWithdraw;
      p.reason = "missing well-known attribute " + std::string(AttributeTypeName(required));
      p.data = {required};  // RFC 4271 6.3: the missing type code
      problems.push_back(std::move(p));
    }
  }
  if (problems.empty()) return update;

  // RFC 7606 3.h: the strongest approach wins; report its first occurrence.
  size_t chosen = 0;
  for (size_t i = 1; i < problems.size(); ++i) {
    if (problems[i].handling > problems[chosen].handling) chosen = i;
  }
  Problem& p = problems[chosen];
  DecodeError error;
  error.code = kUpdateError;
  error.subcode = p.subcode;
  error.data = std::move(p.data);
  error.handling = p.handling;
  error.reason = std::move(p.reason);
  if (problems.size() > 1) {
    error.reason += " (and " + std::to_string(problems.size() - 1) + " more)";
  }
  // RFC 7606 5.2: an UPDATE with attributes (beyond MP_UNREACH_NLRI) but no
  // reachable NLRI, whose errors call for more than attribute discard, is a
  // session reset.
  bool other_attributes = false;
  for (size_t t = 0; t < seen.size(); ++t) {
    if (seen[t] && t != attr_type::kMpUnreachNlri) other_attributes = true;
  }
  if (error.handling == ErrorHandling::kTreatAsWithdraw && !reachable &&
      (other_attributes || list_abandoned)) {
    error.handling = ErrorHandling::kSessionReset;
    error.reason += "; no reachable NLRI, so session reset (RFC 7606 5.2)";
  }
  if (error.handling == ErrorHandling::kAfiSafiDisable) error.afi_safi = p.afi_safi;
  if (error.handling != ErrorHandling::kSessionReset) {
    error.withdraw = update.withdrawn;
    error.withdraw.insert(error.withdraw.end(), update.nlri.begin(), update.nlri.end());
    error.withdraw.insert(error.withdraw.end(), mp_prefixes.begin(), mp_prefixes.end());
    error.update = std::make_shared<const UpdateMessage>(std::move(update));
  }
  return core::MakeErr(std::move(error));
}

void EncodeUpdateBody(const UpdateMessage& update, const SessionOptions& options,
                      core::ByteWriter& out) {
  size_t at = out.Placeholder16();
  size_t start = out.size();
  EncodePrefixes(update.withdrawn, out);
  out.Patch16(at, static_cast<uint16_t>(out.size() - start));
  at = out.Placeholder16();
  start = out.size();
  for (const auto& a : update.attributes) EncodeAttribute(a, options, out);
  out.Patch16(at, static_cast<uint16_t>(out.size() - start));
  EncodePrefixes(update.nlri, out);
}

As4Reconstruction ReconstructAs4(const UpdateMessage& update) {
  As4Reconstruction result;
  const auto* as_path = update.Find<AsPathAttribute>();
  const auto* aggregator = update.Find<AggregatorAttribute>();
  const auto* as4_path = update.Find<As4PathAttribute>();
  const auto* as4_aggregator = update.Find<As4AggregatorAttribute>();
  if (as_path) result.as_path = as_path->path;
  if (aggregator) result.aggregator = *aggregator;
  // RFC 6793 4.2.3: an AGGREGATOR with a real 2-octet AS means the route was
  // aggregated by an OLD speaker; AS4_AGGREGATOR and AS4_PATH are stale.
  if (aggregator && as4_aggregator) {
    if (aggregator->asn != core::Asn::Trans()) return result;
    result.aggregator = AggregatorAttribute{as4_aggregator->asn, as4_aggregator->address};
  }
  if (as4_path) result.as_path = MergeAs4Path(result.as_path, as4_path->path);
  return result;
}

}  // namespace vipcast::wire::bgp
