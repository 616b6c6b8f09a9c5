// RFC 5880 4.1-4.4 packet layout, writer side.
#include <algorithm>
#include <limits>

#include "engine/wire/bfd/codec.h"
#include "engine/wire/bfd/flags.h"

namespace vipcast::wire::bfd {
namespace {

// Microseconds on the wire: whole microseconds, saturated to 32 bits.
uint32_t ToWireMicroseconds(core::Duration d) {
  const int64_t us = d.microseconds();
  if (us <= 0) return 0;
  if (us >= int64_t{std::numeric_limits<uint32_t>::max()}) {
    return std::numeric_limits<uint32_t>::max();
  }
  return static_cast<uint32_t>(us);
}

void EncodeAuth(const AuthSection& auth, core::ByteWriter& out) {
  out.U8(static_cast<uint8_t>(auth.type));
  switch (auth.type) {
    case AuthType::kKeyedMd5:
    case AuthType::kMeticulousKeyedMd5:
    case AuthType::kKeyedSha1:
    case AuthType::kMeticulousKeyedSha1: {
      // RFC 5880 4.3/4.4: Type, Len, Key ID, Reserved, Sequence Number, digest.
      const bool md5 =
          auth.type == AuthType::kKeyedMd5 || auth.type == AuthType::kMeticulousKeyedMd5;
      const size_t digest_length = md5 ? kMd5DigestLength : kSha1HashLength;
      out.U8(static_cast<uint8_t>(md5 ? kMd5AuthLength : kSha1AuthLength));
      out.U8(auth.key_id);
      out.U8(0);  // Reserved: "MUST be set to zero on transmit"
      out.U32(auth.sequence);
      const size_t copied = std::min(digest_length, auth.value.size());
      out.Append(core::ByteSpan(auth.value.data(), copied));
      out.Zeros(digest_length - copied);
      return;
    }
    default: {
      // RFC 5880 4.2 layout (Type, Len, Key ID, Password); also used for
      // reserved types so that tests can put them on the wire.
      const size_t length = std::min(kMaxPasswordLength, auth.value.size());
      out.U8(static_cast<uint8_t>(kAuthHeaderLength + length));
      out.U8(auth.key_id);
      out.Append(core::ByteSpan(auth.value.data(), length));
      return;
    }
  }
}

}  // namespace

void Encode(const ControlPacket& packet, core::ByteWriter& out) {
  out.U8(static_cast<uint8_t>((kVersion << kVersionShift) |
                              (static_cast<uint8_t>(packet.diag) & kDiagMask)));
  uint8_t flags =
      static_cast<uint8_t>((static_cast<uint8_t>(packet.state) & kStateMask) << kStateShift);
  if (packet.poll) flags |= kPollBit;
  if (packet.final) flags |= kFinalBit;
  if (packet.control_plane_independent) flags |= kControlPlaneIndependentBit;
  if (packet.auth) flags |= kAuthPresentBit;
  if (packet.demand) flags |= kDemandBit;
  if (packet.multipoint) flags |= kMultipointBit;
  out.U8(flags);
  out.U8(packet.detect_mult);
  const size_t length_at = out.Placeholder8();
  const size_t start = length_at - 3;
  out.U32(packet.my_discriminator);
  out.U32(packet.your_discriminator);
  out.U32(ToWireMicroseconds(packet.desired_min_tx));
  out.U32(ToWireMicroseconds(packet.required_min_rx));
  out.U32(ToWireMicroseconds(packet.required_min_echo_rx));
  if (packet.auth) EncodeAuth(*packet.auth, out);
  out.Patch8(length_at, static_cast<uint8_t>(out.size() - start));
}

core::Bytes Encode(const ControlPacket& packet) {
  core::ByteWriter out;
  Encode(packet, out);
  return out.Take();
}

}  // namespace vipcast::wire::bfd
