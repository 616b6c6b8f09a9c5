#include "engine/wire/bfd/decode_error.h"

namespace vipcast::wire::bfd {

std::string_view ToString(DecodeErrorKind kind) {
  switch (kind) {
    case DecodeErrorKind::kTruncated:
      return "truncated";
    case DecodeErrorKind::kBadVersion:
      return "bad_version";
    case DecodeErrorKind::kLengthTooSmall:
      return "length_too_small";
    case DecodeErrorKind::kLengthExceedsPayload:
      return "length_exceeds_payload";
    case DecodeErrorKind::kZeroDetectMult:
      return "zero_detect_mult";
    case DecodeErrorKind::kMultipoint:
      return "multipoint";
    case DecodeErrorKind::kZeroMyDiscriminator:
      return "zero_my_discriminator";
    case DecodeErrorKind::kZeroYourDiscriminator:
      return "zero_your_discriminator";
    case DecodeErrorKind::kAuthMalformed:
      return "auth_malformed";
    case DecodeErrorKind::kAuthUnknownType:
      return "auth_unknown_type";
    case DecodeErrorKind::kAuthenticationUnsupported:
      return "authentication_unsupported";
  }
  return "unknown";
}

}  // namespace vipcast::wire::bfd
