#include "engine/wire/bgp/render_json.h"

#include "engine/wire/bgp/constants.h"
#include "engine/wire/bgp/error_codes.h"
#include "engine/wire/bgp/overloaded.h"

namespace vipcast::wire::bgp {
namespace {

void WritePrefixes(JsonWriter& json, std::string_view key, const std::vector<core::Prefix>& ps) {
  json.Key(key).BeginArray();
  for (const auto& p : ps) json.String(p.ToString());
  json.EndArray();
}

void WriteAsPath(JsonWriter& json, const AsPath& path) {
  json.BeginArray();
  for (const auto& s : path.segments) {
    json.BeginObject();
    switch (s.type) {
      case AsSegmentType::kSet:
        json.Field("segment", "AS_SET");
        break;
      case AsSegmentType::kSequence:
        json.Field("segment", "AS_SEQUENCE");
        break;
      case AsSegmentType::kConfedSequence:
        json.Field("segment", "AS_CONFED_SEQUENCE");
        break;
      case AsSegmentType::kConfedSet:
        json.Field("segment", "AS_CONFED_SET");
        break;
    }
    json.Key("asns").BeginArray();
    for (auto asn : s.asns) json.Uint(asn.value());
    json.EndArray().EndObject();
  }
  json.EndArray();
}

std::string_view OriginName(Origin origin) {
  switch (origin) {
    case Origin::kIgp:
      return "IGP";
    case Origin::kEgp:
      return "EGP";
    case Origin::kIncomplete:
      return "INCOMPLETE";
  }
  return "";
}

std::string Community(uint32_t c) {
  return std::to_string(c >> 16) + ":" + std::to_string(c & 0xffff);
}

void WriteAttribute(JsonWriter& json, const PathAttribute& a) {
  json.BeginObject();
  json.Field("type", uint64_t{a.type()});
  auto name = AttributeTypeName(a.type());
  if (!name.empty()) json.Field("name", name);
  json.Field("flags", uint64_t{a.flags});
  std::visit(
      Overloaded{
          [&](const OriginAttribute& v) { json.Field("value", OriginName(v.origin)); },
          [&](const AsPathAttribute& v) {
            json.Field("text", v.path.ToString());
            json.Key("value");
            WriteAsPath(json, v.path);
          },
          [&](const NextHopAttribute& v) { json.Field("value", v.address.ToString()); },
          [&](const MedAttribute& v) { json.Field("value", uint64_t{v.value}); },
          [&](const LocalPrefAttribute& v) { json.Field("value", uint64_t{v.value}); },
          [](const AtomicAggregateAttribute&) {},
          [&](const AggregatorAttribute& v) {
            json.Field("asn", uint64_t{v.asn.value()}).Field("address", v.address.ToString());
          },
          [&](const CommunitiesAttribute& v) {
            json.Key("value").BeginArray();
            for (uint32_t c : v.communities) json.String(Community(c));
            json.EndArray();
          },
          [&](const LargeCommunitiesAttribute& v) {
            json.Key("value").BeginArray();
            for (const auto& c : v.communities) {
              json.String(std::to_string(c.global_admin) + ":" + std::to_string(c.local_data1) +
                          ":" + std::to_string(c.local_data2));
            }
            json.EndArray();
          },
          [&](const MpReachAttribute& v) {
            json.Field("afi", uint64_t{v.afi}).Field("safi", uint64_t{v.safi});
            if (IsIpUnicast(v.afi, v.safi)) {
              if (auto nh = v.GlobalNextHop()) json.Field("next_hop", nh->ToString());
              if (auto ll = v.LinkLocalNextHop()) json.Field("link_local_next_hop", ll->ToString());
              WritePrefixes(json, "nlri", v.nlri);
            } else {
              json.Field("next_hop_hex", core::ToHex(v.next_hop));
              json.Field("nlri_hex", core::ToHex(v.raw_nlri));
            }
          },
          [&](const MpUnreachAttribute& v) {
            json.Field("afi", uint64_t{v.afi}).Field("safi", uint64_t{v.safi});
            if (IsIpUnicast(v.afi, v.safi)) {
              WritePrefixes(json, "withdrawn", v.withdrawn);
            } else {
              json.Field("withdrawn_hex", core::ToHex(v.raw_withdrawn));
            }
          },
          [&](const As4PathAttribute& v) {
            json.Field("text", v.path.ToString());
            json.Key("value");
            WriteAsPath(json, v.path);
          },
          [&](const As4AggregatorAttribute& v) {
            json.Field("asn", uint64_t{v.asn.value()}).Field("address", v.address.ToString());
          },
          [&](const RawAttribute& v) { json.Field("value_hex", core::ToHex(v.value)); },
      },
      a.value);
  json.EndObject();
}

void WriteCapability(JsonWriter& json, const Capability& capability) {
  json.BeginObject();
  json.Field("code", uint64_t{CapabilityCode(capability)});
  std::visit(Overloaded{
                 [&](const MultiprotocolCapability& c) {
                   json.Field("name", "multiprotocol")
                       .Field("afi", uint64_t{c.afi})
                       .Field("safi", uint64_t{c.safi});
                 },
                 [&](const RouteRefreshCapability&) { json.Field("name", "route-refresh"); },
                 [&](const EnhancedRouteRefreshCapability&) {
                   json.Field("name", "enhanced-route-refresh");
                 },
                 [&](const ExtendedMessageCapability&) { json.Field("name", "extended-message"); },
                 [&](const FourOctetAsCapability& c) {
                   json.Field("name", "four-octet-as").Field("asn", uint64_t{c.asn.value()});
                 },
                 [&](const GracefulRestartCapability& c) {
                   json.Field("name", "graceful-restart")
                       .Field("restart_state", c.restart_state())
                       .Field("notification", c.notification())
                       .Field("restart_time", uint64_t{c.restart_time});
                   json.Key("families").BeginArray();
                   for (const auto& f : c.families) {
                     json.BeginObject()
                         .Field("afi", uint64_t{f.afi})
                         .Field("safi", uint64_t{f.safi})
                         .Field("forwarding_state", f.forwarding_state_preserved())
                         .EndObject();
                   }
                   json.EndArray();
                 },
                 [&](const UnknownCapability& c) { json.Field("value_hex", core::ToHex(c.value)); },
             },
             capability);
  json.EndObject();
}

void WriteTypeField(JsonWriter& json, uint8_t type) {
  if (type >= 1 && type <= 5) {
    json.Field("type", ToString(static_cast<MessageType>(type)));
  } else {
    json.Field("type", uint64_t{type});
  }
}

}  // namespace

void WriteMessageFields(JsonWriter& json, const Message& message) {
  json.Field("type", ToString(TypeOf(message)));
  std::visit(Overloaded{
                 [&](const OpenMessage& m) {
                   json.Field("version", uint64_t{m.version})
                       .Field("my_as", uint64_t{m.my_as})
                       .Field("peer_as", uint64_t{m.PeerAsn().value()})
                       .Field("hold_time", uint64_t{m.hold_time})
                       .Field("bgp_identifier", m.bgp_identifier.ToString())
                       .Field("extended_parameters_length", m.extended_parameters_length);
                   json.Key("capabilities").BeginArray();
                   for (const auto& p : m.parameters) {
                     for (const auto& c : p.capabilities) WriteCapability(json, c);
                   }
                   json.EndArray();
                 },
                 [&](const UpdateMessage& m) {
                   WritePrefixes(json, "withdrawn", m.withdrawn);
                   json.Key("attributes").BeginArray();
                   for (const auto& a : m.attributes) WriteAttribute(json, a);
                   json.EndArray();
                   WritePrefixes(json, "nlri", m.nlri);
                   if (auto eor = m.EndOfRib()) {
                     json.Key("end_of_rib")
                         .BeginObject()
                         .Field("afi", uint64_t{eor->afi})
                         .Field("safi", uint64_t{eor->safi})
                         .EndObject();
                   }
                 },
                 [&](const NotificationMessage& m) {
                   json.Field("code", uint64_t{m.code})
                       .Field("subcode", uint64_t{m.subcode})
                       .Field("code_name", ErrorCodeName(m.code))
                       .Field("subcode_name", ErrorSubcodeName(m.code, m.subcode))
                       .Field("data_hex", core::ToHex(m.data));
                   auto shutdown = m.Shutdown();
                   if (shutdown.status != ShutdownCommunication::Status::kNone) {
                     json.Key("shutdown_communication").BeginObject();
                     if (shutdown.status == ShutdownCommunication::Status::kValid) {
                       json.Field("valid", true).Field("message", shutdown.message);
                     } else {
                       json.Field("valid", false).Field("problem", shutdown.problem);
                     }
                     if (!shutdown.trailing.empty()) {
                       json.Field("trailing_hex", core::ToHex(shutdown.trailing));
                     }
                     json.EndObject();
                   }
                 },
                 [](const KeepaliveMessage&) {},
                 [&](const RouteRefreshMessage& m) {
                   std::string_view subtype = m.subtype == RouteRefreshMessage::kNormal ? "normal"
                                              : m.subtype == RouteRefreshMessage::kBorr ? "BoRR"
                                              : m.subtype == RouteRefreshMessage::kEorr ? "EoRR"
                                                                                        : "unknown";
                   json.Field("afi", uint64_t{m.afi})
                       .Field("safi", uint64_t{m.safi})
                       .Field("subtype", uint64_t{m.subtype})
                       .Field("subtype_name", subtype);
                   if (!m.orf.empty()) json.Field("orf_hex", core::ToHex(m.orf));
                 },
             },
             message);
}

void WriteDecodeError(JsonWriter& json, const DecodeError& error) {
  json.BeginObject()
      .Field("code", uint64_t{error.code})
      .Field("subcode", uint64_t{error.subcode})
      .Field("handling", ToString(error.handling))
      .Field("reason", error.reason)
      .Field("code_name", ErrorCodeName(error.code))
      .Field("subcode_name", ErrorSubcodeName(error.code, error.subcode))
      .Field("data_hex", core::ToHex(error.data));
  if (error.afi_safi) {
    json.Key("afi_safi")
        .BeginObject()
        .Field("afi", uint64_t{error.afi_safi->afi})
        .Field("safi", uint64_t{error.afi_safi->safi})
        .EndObject();
  }
  json.EndObject();
}

std::string MessageToJson(const Message& message) {
  JsonWriter json;
  json.BeginObject();
  WriteMessageFields(json, message);
  json.EndObject();
  return json.Take();
}

std::string DecodeToJson(core::ByteSpan bytes, const SessionOptions& options) {
  auto decoded = DecodeMessage(bytes, options);
  if (decoded) return MessageToJson(*decoded);
  const DecodeError& error = decoded.error();
  JsonWriter json;
  json.BeginObject();
  if (bytes.size() >= kHeaderSize) WriteTypeField(json, bytes[kHeaderSize - 1]);
  json.Key("error");
  WriteDecodeError(json, error);
  if (error.handling == ErrorHandling::kTreatAsWithdraw) {
    WritePrefixes(json, "withdraw", error.withdraw);
  }
  if (error.update) {
    json.Key("usable").BeginObject();
    WriteMessageFields(json, Message(*error.update));
    json.EndObject();
  }
  json.EndObject();
  return json.Take();
}

}  // namespace vipcast::wire::bgp
