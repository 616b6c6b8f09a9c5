// RFC 5880 4.1-4.4 packet layout, reader side, with the packet-only discard
// rules of RFC 5880 6.8.6 applied in the order the RFC lists them.
#include <string>

#include "engine/wire/bfd/codec.h"
#include "engine/wire/bfd/flags.h"

namespace vipcast::wire::bfd {
namespace {

using Decoded = core::Result<ControlPacket, DecodeError>;

core::Err<DecodeError> Fail(DecodeErrorKind kind, std::string detail) {
  return core::MakeErr(DecodeError{kind, std::move(detail)});
}

// Parses the authentication section in `section` (exactly Length - 24 bytes).
core::Result<AuthSection, DecodeError> ParseAuth(core::ByteSpan section) {
  core::ByteReader in(section);
  auto type = in.U8();
  auto auth_len = in.U8();
  auto key_id = in.U8();
  if (!type || !auth_len || !key_id) {
    return Fail(DecodeErrorKind::kAuthMalformed, "authentication section of " +
                                                     std::to_string(section.size()) +
                                                     " bytes is shorter than its 3-byte header");
  }
  // RFC 5880 4.1: "Auth Len: The length, in bytes, of the authentication
  // section, including the Auth Type and Auth Len fields." Length covers the
  // whole packet, so the two must agree.
  if (*auth_len != section.size()) {
    return Fail(DecodeErrorKind::kAuthMalformed,
                "Auth Len " + std::to_string(*auth_len) + " but Length leaves " +
                    std::to_string(section.size()) + " bytes for the section");
  }
  AuthSection auth;
  auth.type = static_cast<AuthType>(*type);
  auth.key_id = *key_id;
  switch (auth.type) {
    case AuthType::kSimplePassword: {
      // RFC 5880 4.2: password of 1 to 16 bytes, Auth Len = password + 3.
      const size_t password = *auth_len - kAuthHeaderLength;
      if (*auth_len < kAuthHeaderLength || password < kMinPasswordLength ||
          password > kMaxPasswordLength) {
        return Fail(DecodeErrorKind::kAuthMalformed, "Simple Password Auth Len " +
                                                         std::to_string(*auth_len) +
                                                         " is outside 4-19 (RFC 5880 4.2)");
      }
      auto value = in.Take(password);
      auth.value.assign(value->begin(), value->end());
      return auth;
    }
    case AuthType::kKeyedMd5:
    case AuthType::kMeticulousKeyedMd5:
    case AuthType::kKeyedSha1:
    case AuthType::kMeticulousKeyedSha1: {
      // RFC 5880 4.3: Auth Len 24 with a 16-byte digest; 4.4: 28 with 20.
      const bool md5 =
          auth.type == AuthType::kKeyedMd5 || auth.type == AuthType::kMeticulousKeyedMd5;
      const size_t expected = md5 ? kMd5AuthLength : kSha1AuthLength;
      if (*auth_len != expected) {
        return Fail(DecodeErrorKind::kAuthMalformed,
                    std::string(ToString(auth.type)) + " Auth Len " + std::to_string(*auth_len) +
                        " must be " + std::to_string(expected) +
                        (md5 ? " (RFC 5880 4.3)" : " (RFC 5880 4.4)"));
      }
      in.Skip(1);  // Reserved: "MUST be ignored on receipt"
      auth.sequence = *in.U32();
      auto value = in.Take(md5 ? kMd5DigestLength : kSha1HashLength);
      auth.value.assign(value->begin(), value->end());
      return auth;
    }
    default:
      return Fail(DecodeErrorKind::kAuthUnknownType,
                  "Auth Type " + std::to_string(*type) + " is reserved or unassigned");
  }
}

}  // namespace

Decoded Decode(core::ByteSpan payload, AuthPolicy auth_policy) {
  if (payload.empty()) return Fail(DecodeErrorKind::kTruncated, "empty payload");
  // RFC 5880 6.8.6: "If the version number is not correct (1), the packet
  // MUST be discarded."
  const unsigned version = payload[0] >> kVersionShift;
  if (version != kVersion) {
    return Fail(DecodeErrorKind::kBadVersion, "version " + std::to_string(version));
  }
  if (payload.size() < 4) {
    return Fail(DecodeErrorKind::kTruncated,
                std::to_string(payload.size()) + " bytes cannot hold the Length field");
  }
  const uint8_t flags = payload[1];
  const bool auth_present = (flags & kAuthPresentBit) != 0;
  const size_t length = payload[3];
  // RFC 5880 6.8.6: "If the Length field is less than the minimum correct
  // value (24 if the A bit is clear, or 26 if the A bit is set), the packet
  // MUST be discarded."
  const size_t minimum = auth_present ? kMinLengthWithAuth : kMandatoryLength;
  if (length < minimum) {
    return Fail(DecodeErrorKind::kLengthTooSmall, "Length " + std::to_string(length) + " < " +
                                                      std::to_string(minimum) +
                                                      (auth_present ? " with the A bit set" : ""));
  }
  // RFC 5880 6.8.6: "If the Length field is greater than the payload of the
  // encapsulating protocol, the packet MUST be discarded."
  if (length > payload.size()) {
    return Fail(
        DecodeErrorKind::kLengthExceedsPayload,
        "Length " + std::to_string(length) + " > payload " + std::to_string(payload.size()));
  }

  core::ByteReader in(payload.first(length));
  ControlPacket packet;
  const uint8_t first = *in.U8();
  packet.diag = static_cast<Diag>(first & kDiagMask);
  in.Skip(1);  // flags, already read
  packet.state = static_cast<State>((flags >> kStateShift) & kStateMask);
  packet.poll = (flags & kPollBit) != 0;
  packet.final = (flags & kFinalBit) != 0;
  packet.control_plane_independent = (flags & kControlPlaneIndependentBit) != 0;
  packet.demand = (flags & kDemandBit) != 0;
  packet.multipoint = (flags & kMultipointBit) != 0;
  packet.detect_mult = *in.U8();
  in.Skip(1);  // Length
  packet.my_discriminator = *in.U32();
  packet.your_discriminator = *in.U32();
  packet.desired_min_tx = core::Duration::Microseconds(*in.U32());
  packet.required_min_rx = core::Duration::Microseconds(*in.U32());
  packet.required_min_echo_rx = core::Duration::Microseconds(*in.U32());

  // RFC 5880 6.8.6: "If the Detect Mult field is zero, the packet MUST be
  // discarded."
  if (packet.detect_mult == 0) return Fail(DecodeErrorKind::kZeroDetectMult, "Detect Mult 0");
  // RFC 5880 6.8.6: "If the Multipoint (M) bit is nonzero, the packet MUST be
  // discarded."
  if (packet.multipoint) return Fail(DecodeErrorKind::kMultipoint, "M bit set");
  // RFC 5880 6.8.6: "If the My Discriminator field is zero, the packet MUST
  // be discarded."
  if (packet.my_discriminator == 0) {
    return Fail(DecodeErrorKind::kZeroMyDiscriminator, "My Discriminator 0");
  }
  // RFC 5880 6.8.6: "If the Your Discriminator field is zero and the State
  // field is not Down or AdminDown, the packet MUST be discarded."
  if (packet.your_discriminator == 0 && packet.state != State::kDown &&
      packet.state != State::kAdminDown) {
    return Fail(DecodeErrorKind::kZeroYourDiscriminator,
                "Your Discriminator 0 in state " + std::string(ToString(packet.state)));
  }

  if (auth_present) {
    auto auth = ParseAuth(in.Rest());
    if (!auth.ok()) return core::MakeErr(std::move(auth).error());
    // RFC 5880 6.8.6: "If the A bit is set and no authentication is in use
    // (bfd.AuthType is zero), the packet MUST be discarded."
    if (auth_policy == AuthPolicy::kRejectAsUnsupported) {
      return Fail(DecodeErrorKind::kAuthenticationUnsupported,
                  std::string(ToString(auth->type)) +
                      " authentication is not supported; BFD runs unauthenticated");
    }
    packet.auth = std::move(auth).value();
  }
  return packet;
}

}  // namespace vipcast::wire::bfd
