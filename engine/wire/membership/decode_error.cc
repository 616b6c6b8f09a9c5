#include "engine/wire/membership/decode_error.h"

namespace vipcast::wire::membership {

std::string_view ToString(DecodeErrorKind kind) {
  switch (kind) {
    case DecodeErrorKind::kTooShort:
      return "too_short";
    case DecodeErrorKind::kTooLong:
      return "too_long";
    case DecodeErrorKind::kBadVersion:
      return "bad_version";
    case DecodeErrorKind::kBadFlags:
      return "bad_flags";
    case DecodeErrorKind::kBadMac:
      return "bad_mac";
    case DecodeErrorKind::kTruncated:
      return "truncated";
    case DecodeErrorKind::kBadNodeName:
      return "bad_node_name";
    case DecodeErrorKind::kBadAddressFamily:
      return "bad_address_family";
    case DecodeErrorKind::kUnknownType:
      return "unknown_type";
    case DecodeErrorKind::kBadStatus:
      return "bad_status";
    case DecodeErrorKind::kBadField:
      return "bad_field";
    case DecodeErrorKind::kTrailingBytes:
      return "trailing_bytes";
  }
  return "unknown";
}

}  // namespace vipcast::wire::membership
