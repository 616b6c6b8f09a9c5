#include "engine/wire/bgp/notification.h"

#include "engine/wire/bgp/json.h"

namespace vipcast::wire::bgp {

ShutdownCommunication NotificationMessage::Shutdown() const {
  ShutdownCommunication result;
  if (code != static_cast<uint8_t>(ErrorCode::kCease) ||
      (subcode != cease::kAdministrativeShutdown && subcode != cease::kAdministrativeReset) ||
      data.empty()) {
    return result;
  }
  size_t length = data[0];
  if (length > data.size() - 1) {
    result.status = ShutdownCommunication::Status::kInvalid;
    result.problem = "shutdown communication length " + std::to_string(length) + " overruns the " +
                     std::to_string(data.size() - 1) + " octets of data";
    result.trailing.assign(data.begin() + 1, data.end());
    return result;
  }
  std::string_view text(reinterpret_cast<const char*>(data.data()) + 1, length);
  result.trailing.assign(data.begin() + 1 + static_cast<std::ptrdiff_t>(length), data.end());
  if (!IsValidUtf8(text)) {
    result.status = ShutdownCommunication::Status::kInvalid;
    result.problem = "shutdown communication is not valid UTF-8";
    result.trailing.assign(data.begin() + 1, data.end());
    return result;
  }
  result.status = ShutdownCommunication::Status::kValid;
  result.message = std::string(text);
  return result;
}

NotificationMessage NotificationMessage::MakeShutdown(uint8_t cease_subcode,
                                                      std::string_view message) {
  size_t length = std::min(message.size(), ShutdownCommunication::kMaxLength);
  // Step back over UTF-8 continuation octets so the cut keeps whole characters.
  if (length < message.size()) {
    while (length > 0 && (static_cast<uint8_t>(message[length]) & 0xc0) == 0x80) --length;
  }
  NotificationMessage n;
  n.code = static_cast<uint8_t>(ErrorCode::kCease);
  n.subcode = cease_subcode;
  n.data.push_back(static_cast<uint8_t>(length));
  n.data.insert(n.data.end(), message.begin(),
                message.begin() + static_cast<std::ptrdiff_t>(length));
  return n;
}

core::Result<NotificationMessage, DecodeError> DecodeNotificationBody(core::ByteSpan body) {
  core::ByteReader r(body);
  auto code = r.U8();
  auto subcode = code ? r.U8() : std::nullopt;
  if (!subcode) {
    // The header check (minimum length 21) normally catches this first.
    return core::MakeErr(MakeDecodeError(1, header_error::kBadMessageLength,
                                         "NOTIFICATION shorter than code and subcode"));
  }
  NotificationMessage n;
  n.code = *code;
  n.subcode = *subcode;
  auto rest = r.Rest();
  n.data.assign(rest.begin(), rest.end());
  return n;
}

void EncodeNotificationBody(const NotificationMessage& notification, core::ByteWriter& out) {
  out.U8(notification.code);
  out.U8(notification.subcode);
  out.Append(notification.data);
}

}  // namespace vipcast::wire::bgp
