// RFC 4271 4.5 NOTIFICATION message, and the RFC 9003 Shutdown
// Communication carried by Cease / Administrative Shutdown and Reset.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

#include "engine/core/bytes.h"
#include "engine/core/result.h"
#include "engine/wire/bgp/decode_error.h"
#include "engine/wire/bgp/error_codes.h"

namespace vipcast::wire::bgp {

// RFC 9003 2: a length octet, then that many octets of UTF-8.
struct ShutdownCommunication {
  enum class Status : uint8_t {
    kNone,     // not Cease 2/4, or no data
    kValid,    // `message` holds the text
    kInvalid,  // length overruns the data or the text is not UTF-8 (RFC 9003 5: log only)
  };
  static constexpr size_t kMaxLength = 255;  // RFC 9003 2

  Status status = Status::kNone;
  std::string message;
  core::Bytes trailing;  // data after the communication, kept for logs
  std::string problem;   // why it is invalid
  bool operator==(const ShutdownCommunication&) const = default;
};

// Code and subcode are any octets (unknown ones are kept); `data` is
// whatever followed them.
struct NotificationMessage {
  uint8_t code = 0;
  uint8_t subcode = 0;
  core::Bytes data;

  // The shutdown communication, for Cease subcodes 2 and 4 (RFC 9003 2).
  ShutdownCommunication Shutdown() const;
  // A Cease NOTIFICATION with a shutdown communication; the message is cut
  // to 255 octets at a UTF-8 character boundary.
  static NotificationMessage MakeShutdown(uint8_t cease_subcode, std::string_view message);

  bool operator==(const NotificationMessage&) const = default;
};

// Never fails past the header checks: RFC 4271 6.4 forbids answering a
// NOTIFICATION with one, and RFC 9003 5 says a malformed shutdown
// communication is only logged.
core::Result<NotificationMessage, DecodeError> DecodeNotificationBody(core::ByteSpan body);

void EncodeNotificationBody(const NotificationMessage& notification, core::ByteWriter& out);

}  // namespace vipcast::wire::bgp
