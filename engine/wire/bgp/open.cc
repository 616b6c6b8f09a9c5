// OPEN decoding errors and the section that prescribes each:
//
//   condition                                   NOTIFICATION   source
//   ------------------------------------------  -------------  --------------------------
//   version != 4                                2/1, data 0004 RFC 4271 6.2
//   My AS == 0, or 4-octet AS capability AS 0   2/2            RFC 7607 2
//   BGP Identifier == 0                         2/3            RFC 4271 6.2, RFC 6286 2.2
//   hold time 1 or 2                            2/6            RFC 4271 6.2
//   optional parameter type other than 2        2/4            RFC 4271 6.2, RFC 5492 4
//   fixed part or parameter runs past the body  2/0            RFC 4271 6.2 (no subcode fits)
//   bytes left after the optional parameters    2/0            RFC 4271 6.2
//   capability runs past its parameter, or a    2/0            RFC 5492 4 (no subcode fits)
//   known capability with an impossible length
//
// A BGP Identifier equal to ours (RFC 6286 2.2, iBGP) and Bad Peer AS against
// configuration are decided by the session, which knows those values.
#include "engine/wire/bgp/open.h"

#include <string>

#include "engine/wire/bgp/error_codes.h"

namespace vipcast::wire::bgp {
namespace {

DecodeError OpenError(uint8_t subcode, std::string reason, core::Bytes data = {}) {
  return MakeDecodeError(static_cast<uint8_t>(ErrorCode::kOpenMessage), subcode, std::move(reason),
                         std::move(data));
}

// Decodes the capabilities inside one Capabilities parameter value.
core::Result<CapabilityParameter, DecodeError> DecodeCapabilityParameter(core::ByteSpan value) {
  CapabilityParameter param;
  core::ByteReader r(value);
  while (!r.empty()) {
    auto code = r.U8();
    auto length = r.U8();
    if (!length) {
      return core::MakeErr(OpenError(open_error::kUnspecific, "truncated capability header"));
    }
    auto body = r.Take(*length);
    if (!body) {
      return core::MakeErr(OpenError(open_error::kUnspecific,
                                     "capability " + std::to_string(*code) + " length " +
                                         std::to_string(*length) + " overruns its parameter"));
    }
    auto cap = DecodeCapability(*code, *body);
    if (!cap) return core::MakeErr(OpenError(open_error::kUnspecific, cap.error()));
    param.capabilities.push_back(std::move(cap).value());
  }
  return param;
}

}  // namespace

std::vector<Capability> OpenMessage::Capabilities() const {
  std::vector<Capability> all;
  for (const auto& p : parameters)
    all.insert(all.end(), p.capabilities.begin(), p.capabilities.end());
  return all;
}

core::Asn OpenMessage::PeerAsn() const {
  if (const auto* four = Find<FourOctetAsCapability>()) return four->asn;
  return core::Asn(my_as);
}

core::Result<OpenMessage, DecodeError> DecodeOpenBody(core::ByteSpan body) {
  core::ByteReader r(body);
  OpenMessage open;
  auto version = r.U8();
  if (!version) return core::MakeErr(OpenError(open_error::kUnspecific, "empty OPEN"));
  open.version = *version;
  // RFC 4271 6.2: data is the largest locally supported version, 2 octets.
  if (open.version != kBgpVersion) {
    return core::MakeErr(OpenError(open_error::kUnsupportedVersion,
                                   "unsupported version " + std::to_string(open.version),
                                   {0, kBgpVersion}));
  }
  auto my_as = r.U16();
  auto hold = my_as ? r.U16() : std::nullopt;
  auto id = hold ? r.U32() : std::nullopt;
  auto opt_len = id ? r.U8() : std::nullopt;
  if (!opt_len) {
    return core::MakeErr(OpenError(open_error::kUnspecific, "OPEN shorter than its fixed part"));
  }
  open.my_as = *my_as;
  open.hold_time = *hold;
  open.bgp_identifier = core::RouterId(*id);

  // RFC 9072 2: Non-Ext OP Len 255 followed by Non-Ext OP Type 255 announces
  // 2-octet lengths.
  size_t params_length = *opt_len;
  if (*opt_len == OpenMessage::kExtendedLengthMarker &&
      r.PeekU8() == OpenMessage::kExtendedLengthMarker) {
    r.Skip(1);
    auto ext_len = r.U16();
    if (!ext_len) {
      return core::MakeErr(
          OpenError(open_error::kUnspecific, "truncated extended optional parameters length"));
    }
    open.extended_parameters_length = true;
    params_length = *ext_len;
  }
  auto params = r.Sub(params_length);
  if (!params) {
    return core::MakeErr(OpenError(
        open_error::kUnspecific,
        "optional parameters length " + std::to_string(params_length) + " overruns the message"));
  }
  if (!r.empty()) {
    return core::MakeErr(OpenError(open_error::kUnspecific, "bytes after the optional parameters"));
  }
  while (!params->empty()) {
    auto type = params->U8();
    std::optional<uint16_t> length;
    if (open.extended_parameters_length) {
      length = params->U16();
    } else if (auto l8 = params->U8()) {
      length = *l8;
    }
    if (!length) {
      return core::MakeErr(OpenError(open_error::kUnspecific, "truncated optional parameter"));
    }
    auto value = params->Take(*length);
    if (!value) {
      return core::MakeErr(
          OpenError(open_error::kUnspecific, "optional parameter length overruns the parameters"));
    }
    // RFC 4271 6.2 / RFC 5492 4: only Capabilities (2) is defined today;
    // Authentication (1) is deprecated (RFC 5492).
    if (*type != OpenMessage::kCapabilitiesParameter) {
      return core::MakeErr(OpenError(open_error::kUnsupportedOptionalParameter,
                                     "unsupported optional parameter " + std::to_string(*type)));
    }
    auto param = DecodeCapabilityParameter(*value);
    if (!param) return core::MakeErr(std::move(param).error());
    open.parameters.push_back(std::move(param).value());
  }

  // Semantic checks after the structure is known to be sound.
  // RFC 7607 2: AS 0 in My AS or in the 4-octet AS capability.
  if (open.my_as == 0) {
    return core::MakeErr(OpenError(open_error::kBadPeerAs, "My AS is 0", {0, 0}));
  }
  if (const auto* four = open.Find<FourOctetAsCapability>(); four && four->asn.value() == 0) {
    return core::MakeErr(OpenError(open_error::kBadPeerAs, "4-octet AS capability carries AS 0"));
  }
  // RFC 4271 6.2: hold time 1 or 2 seconds is unacceptable; data empty.
  if (open.hold_time == 1 || open.hold_time == 2) {
    return core::MakeErr(OpenError(open_error::kUnacceptableHoldTime,
                                   "hold time " + std::to_string(open.hold_time) + " is below 3"));
  }
  // RFC 6286 2.2: the BGP Identifier is a non-zero 32-bit value.
  if (open.bgp_identifier.value() == 0) {
    return core::MakeErr(OpenError(open_error::kBadBgpIdentifier, "BGP Identifier is 0"));
  }
  return open;
}

void EncodeOpenBody(const OpenMessage& open, core::ByteWriter& out) {
  out.U8(open.version);
  out.U16(open.my_as);
  out.U16(open.hold_time);
  out.U32(open.bgp_identifier.value());

  std::vector<core::Bytes> values;
  bool needs_extended = open.extended_parameters_length;
  size_t total = 0;
  for (const auto& p : open.parameters) {
    core::ByteWriter v;
    for (const auto& c : p.capabilities) EncodeCapability(c, v);
    values.push_back(v.Take());
    if (values.back().size() > 255) needs_extended = true;
    total += 2 + values.back().size();
  }
  if (total > 255) needs_extended = true;
  if (needs_extended) {
    // RFC 9072 2.
    out.U8(OpenMessage::kExtendedLengthMarker);
    out.U8(OpenMessage::kExtendedLengthMarker);
    size_t at = out.Placeholder16();
    size_t start = out.size();
    for (const auto& v : values) {
      out.U8(OpenMessage::kCapabilitiesParameter);
      out.U16(static_cast<uint16_t>(v.size()));
      out.Append(v);
    }
    out.Patch16(at, static_cast<uint16_t>(out.size() - start));
  } else {
    out.U8(static_cast<uint8_t>(total));
    for (const auto& v : values) {
      out.U8(OpenMessage::kCapabilitiesParameter);
      out.U8(static_cast<uint8_t>(v.size()));
      out.Append(v);
    }
  }
}

}  // namespace vipcast::wire::bgp
