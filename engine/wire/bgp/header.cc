#include "engine/wire/bgp/header.h"

#include <string>

#include "engine/wire/bgp/error_codes.h"

namespace vipcast::wire::bgp {

std::string_view ToString(MessageType type) {
  switch (type) {
    case MessageType::kOpen:
      return "OPEN";
    case MessageType::kUpdate:
      return "UPDATE";
    case MessageType::kNotification:
      return "NOTIFICATION";
    case MessageType::kKeepalive:
      return "KEEPALIVE";
    case MessageType::kRouteRefresh:
      return "ROUTE-REFRESH";
  }
  return "";
}

namespace {

// Smallest legal length of each message type (header included).
size_t MinLength(MessageType type) {
  switch (type) {
    case MessageType::kOpen:
      return 29;  // RFC 4271 4.2
    case MessageType::kUpdate:
      return 23;  // RFC 4271 4.3
    case MessageType::kNotification:
      return 21;  // RFC 4271 4.5
    case MessageType::kKeepalive:
      return 19;  // RFC 4271 4.4
    case MessageType::kRouteRefresh:
      return 23;  // RFC 2918 3
  }
  return kHeaderSize;
}

DecodeError BadLength(uint16_t length, std::string reason) {
  return MakeDecodeError(1, header_error::kBadMessageLength, std::move(reason),
                         {static_cast<uint8_t>(length >> 8), static_cast<uint8_t>(length)});
}

}  // namespace

core::Result<MessageHeader, DecodeError> DecodeHeader(core::ByteSpan bytes,
                                                      const SessionOptions& options) {
  core::ByteReader reader(bytes);
  auto marker = reader.Take(kMarkerSize);
  auto length = marker ? reader.U16() : std::nullopt;
  auto type = length ? reader.U8() : std::nullopt;
  if (!type) {
    return core::MakeErr(MakeDecodeError(1, header_error::kBadMessageLength,
                                         "message shorter than the 19-octet header"));
  }
  // RFC 4271 6.1: a marker that is not all ones means we lost framing.
  for (uint8_t b : *marker) {
    if (b != 0xff) {
      return core::MakeErr(
          MakeDecodeError(1, header_error::kConnectionNotSynchronized, "marker is not all ones"));
    }
  }
  // RFC 4271 6.1 / RFC 8654 4: length outside [19, max].
  if (*length < kHeaderSize || *length > MaxMessageSize(options)) {
    return core::MakeErr(
        BadLength(*length, "message length " + std::to_string(*length) + " out of range"));
  }
  if (*type < 1 || *type > 5) {
    return core::MakeErr(MakeDecodeError(1, header_error::kBadMessageType,
                                         "unknown message type " + std::to_string(*type), {*type}));
  }
  MessageHeader header;
  header.length = *length;
  header.type = static_cast<MessageType>(*type);
  if (*length < MinLength(header.type)) {
    return core::MakeErr(BadLength(
        *length, std::string(ToString(header.type)) + " shorter than its minimum length"));
  }
  // RFC 4271 6.1: KEEPALIVE is exactly the header.
  if (header.type == MessageType::kKeepalive && *length != kHeaderSize) {
    return core::MakeErr(BadLength(*length, "KEEPALIVE longer than 19 octets"));
  }
  // RFC 8654 4: OPEN and KEEPALIVE never exceed 4096 octets.
  if (header.type == MessageType::kOpen && *length > kMaxMessageSize) {
    return core::MakeErr(BadLength(*length, "OPEN longer than 4096 octets"));
  }
  return header;
}

void EncodeHeader(core::ByteWriter& out, MessageType type, uint16_t length) {
  for (size_t i = 0; i < kMarkerSize; ++i) out.U8(0xff);
  out.U16(length);
  out.U8(static_cast<uint8_t>(type));
}

}  // namespace vipcast::wire::bgp
