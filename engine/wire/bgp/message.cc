#include "engine/wire/bgp/message.h"

#include "engine/wire/bgp/error_codes.h"
#include "engine/wire/bgp/overloaded.h"

namespace vipcast::wire::bgp {

MessageType TypeOf(const Message& message) {
  return std::visit(Overloaded{
                        [](const OpenMessage&) { return MessageType::kOpen; },
                        [](const UpdateMessage&) { return MessageType::kUpdate; },
                        [](const NotificationMessage&) { return MessageType::kNotification; },
                        [](const KeepaliveMessage&) { return MessageType::kKeepalive; },
                        [](const RouteRefreshMessage&) { return MessageType::kRouteRefresh; },
                    },
                    message);
}

namespace {

template <typename T>
core::Result<Message, DecodeError> Wrap(core::Result<T, DecodeError> result) {
  if (!result) return core::MakeErr(std::move(result).error());
  return Message(std::move(result).value());
}

}  // namespace

core::Result<Message, DecodeError> DecodeMessage(core::ByteSpan bytes,
                                                 const SessionOptions& options) {
  auto header = DecodeHeader(bytes, options);
  if (!header) return core::MakeErr(std::move(header).error());
  if (header->length != bytes.size()) {
    return core::MakeErr(MakeDecodeError(
        1, header_error::kBadMessageLength,
        "length field " + std::to_string(header->length) + " but " + std::to_string(bytes.size()) +
            " octets given",
        {static_cast<uint8_t>(header->length >> 8), static_cast<uint8_t>(header->length)}));
  }
  core::ByteSpan body = bytes.subspan(kHeaderSize);
  switch (header->type) {
    case MessageType::kOpen:
      return Wrap(DecodeOpenBody(body));
    case MessageType::kUpdate:
      return Wrap(DecodeUpdateBody(body, options));
    case MessageType::kNotification:
      return Wrap(DecodeNotificationBody(body));
    case MessageType::kKeepalive:
      return Message(KeepaliveMessage{});
    case MessageType::kRouteRefresh: {
      auto refresh = DecodeRouteRefreshBody(body);
      if (!refresh) {
        // RFC 7313 5: the data is the complete ROUTE-REFRESH message.
        DecodeError error = std::move(refresh).error();
        error.data.assign(bytes.begin(), bytes.end());
        return core::MakeErr(std::move(error));
      }
      return Message(std::move(refresh).value());
    }
  }
  return core::MakeErr(MakeDecodeError(1, header_error::kBadMessageType, "unknown type"));
}

core::Result<core::Bytes, std::string> EncodeMessage(const Message& message,
                                                     const SessionOptions& options) {
  core::ByteWriter out;
  const MessageType type = TypeOf(message);
  EncodeHeader(out, type, 0);
  std::visit(Overloaded{
                 [&](const OpenMessage& m) { EncodeOpenBody(m, out); },
                 [&](const UpdateMessage& m) { EncodeUpdateBody(m, options, out); },
                 [&](const NotificationMessage& m) { EncodeNotificationBody(m, out); },
                 [](const KeepaliveMessage&) {},
                 [&](const RouteRefreshMessage& m) { EncodeRouteRefreshBody(m, out); },
             },
             message);
  size_t max = (type == MessageType::kOpen || type == MessageType::kKeepalive)
                   ? kMaxMessageSize
                   : MaxMessageSize(options);
  if (out.size() > max) {
    return core::MakeErr(std::string(ToString(type)) + " of " + std::to_string(out.size()) +
                         " octets exceeds the " + std::to_string(max) + "-octet limit");
  }
  out.Patch16(kMarkerSize, static_cast<uint16_t>(out.size()));
  return out.Take();
}

}  // namespace vipcast::wire::bgp
