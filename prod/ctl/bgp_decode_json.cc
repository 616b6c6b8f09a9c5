#include "prod/ctl/bgp_decode_json.h"

#include <optional>

#include "engine/bgp/open_check.h"
#include "engine/wire/bgp/constants.h"
#include "engine/wire/bgp/error_codes.h"
#include "engine/wire/bgp/json.h"
#include "engine/wire/bgp/message.h"
#include "engine/wire/bgp/overloaded.h"
#include "engine/wire/bgp/render_json.h"

namespace vipcast::ctl {
namespace {

namespace wb = wire::bgp;

void WriteType(wb::JsonWriter& json, core::ByteSpan bytes) {
  json.Key("type");
  if (bytes.size() < wb::kHeaderSize) {
    json.Null();
    return;
  }
  uint8_t type = bytes[wb::kHeaderSize - 1];
  if (type >= 1 && type <= 5) {
    json.String(wb::ToString(static_cast<wb::MessageType>(type)));
  } else {
    json.Uint(type);
  }
}

void WritePrefixes(wb::JsonWriter& json, std::string_view key,
                   const std::vector<core::Prefix>& prefixes) {
  json.Key(key).BeginArray();
  for (const auto& p : prefixes) json.String(p.ToString());
  json.EndArray();
}

void WriteSource(wb::JsonWriter& json, const MessageSource& source) {
  if (source.fields.empty()) return;
  json.Key("source").BeginObject();
  for (const auto& [key, value] : source.fields) {
    json.Key(key);
    std::visit(wb::Overloaded{[&](uint64_t v) { json.Uint(v); },
                              [&](const std::string& v) { json.String(v); }},
               value);
  }
  json.EndObject();
}

// Why CheckOpen refused an OPEN, in words (it returns only the NOTIFICATION).
std::string OpenCheckReason(const wb::OpenMessage& open, const wb::NotificationMessage& n) {
  switch (n.subcode) {
    case wb::open_error::kUnsupportedVersion:
      return "version " + std::to_string(open.version) + " is not 4 (RFC 4271 6.2)";
    case wb::open_error::kBadPeerAs:
      if (open.Find<wb::FourOctetAsCapability>() == nullptr) {
        return "My AS is AS_TRANS without a 4-octet AS capability (RFC 6793 4.1)";
      }
      return "My AS " + std::to_string(open.my_as) + " disagrees with the 4-octet AS capability " +
             open.PeerAsn().ToString() + " (RFC 6793 4.1)";
    case wb::open_error::kUnacceptableHoldTime:
      return "hold time " + std::to_string(open.hold_time) + " is 1 or 2 seconds (RFC 4271 6.2)";
    case wb::open_error::kBadBgpIdentifier:
      return "BGP identifier " + open.bgp_identifier.ToString() + " is invalid (RFC 6286 2.2)";
    default:
      return std::string(wb::ErrorSubcodeName(n.code, n.subcode));
  }
}

// The checks of engine/bgp/open_check.h that hold whatever the local
// configuration: no expected peer AS, and a local AS and identifier (0) that
// no decoded OPEN can carry, so only the peer's own consistency is judged.
std::optional<wb::DecodeError> CheckOpenAlone(const wb::OpenMessage& open) {
  bgp::OpenExpectations expect{core::Asn(0), std::nullopt, std::nullopt, core::RouterId(0)};
  auto notification = bgp::CheckOpen(open, expect);
  if (!notification) return std::nullopt;
  return wb::MakeDecodeError(notification->code, notification->subcode,
                             OpenCheckReason(open, *notification), notification->data);
}

}  // namespace

wb::SessionOptions DecodeSessionOptions(bool four_octet_as) {
  wb::SessionOptions options;
  options.four_octet_as = four_octet_as;
  options.extended_message = true;
  options.add_path = false;
  return options;
}

std::string DecodedMessageJson(core::ByteSpan bytes, const wb::SessionOptions& options,
                               const MessageSource& source) {
  auto decoded = wb::DecodeMessage(bytes, options);
  wb::JsonWriter json;
  json.BeginObject();
  if (decoded) {
    wb::WriteMessageFields(json, *decoded);
    if (const auto* open = std::get_if<wb::OpenMessage>(&*decoded)) {
      if (auto error = CheckOpenAlone(*open)) {
        json.Key("error");
        wb::WriteDecodeError(json, *error);
      }
    }
  } else {
    const wb::DecodeError& error = decoded.error();
    WriteType(json, bytes);
    json.Key("error");
    wb::WriteDecodeError(json, error);
    // RFC 7606 2: what the session withdraws, and what it still uses.
    if (error.handling == wb::ErrorHandling::kTreatAsWithdraw) {
      WritePrefixes(json, "withdraw", error.withdraw);
    }
    if (error.update) {
      json.Key("usable").BeginObject();
      wb::WriteMessageFields(json, wb::Message(*error.update));
      json.EndObject();
    }
  }
  WriteSource(json, source);
  json.EndObject();
  return json.Take();
}

}  // namespace vipcast::ctl
