// Encoding and decoding of BFD Control packets (RFC 5880 4.1-4.4) with the
// reception checks of RFC 5880 6.8.6 that depend on the packet alone. The
// checks that need session state (demultiplexing by Your Discriminator, the
// TTL rules of RFC 5881/5883) are the session engine's.
//
// Decoding never reads outside the given span and never fails by crashing;
// every rejected input is a DecodeError naming the rule it broke.
#pragma once

#include "engine/core/bytes.h"
#include "engine/core/result.h"
#include "engine/wire/bfd/control_packet.h"
#include "engine/wire/bfd/decode_error.h"

namespace vipcast::wire::bfd {

// What to do with a packet whose A bit is set.
enum class AuthPolicy : uint8_t {
  // vipcast runs without authentication (bfd.AuthType zero), so RFC 5880
  // 6.8.6 says such a packet "MUST be discarded": it decodes to
  // kAuthenticationUnsupported once its section is known to be well formed.
  kRejectAsUnsupported,
  // Tools and tests: return the parsed section instead.
  kParse,
};

// Appends the packet to `out`: 24 bytes plus the authentication section when
// present. Version is always 1 and Length is computed. A Simple Password is
// truncated to 16 bytes, digests are zero-padded or truncated to their fixed
// size, so the output is structurally well formed (RFC 5880 4.2-4.4); field
// values such as a zero discriminator are written as given.
void Encode(const ControlPacket& packet, core::ByteWriter& out);
core::Bytes Encode(const ControlPacket& packet);

// Decodes `payload`, a whole UDP payload. Bytes after Length are ignored
// (RFC 5880 6.8.6 only forbids a Length larger than the payload).
core::Result<ControlPacket, DecodeError> Decode(
    core::ByteSpan payload, AuthPolicy auth_policy = AuthPolicy::kRejectAsUnsupported);

}  // namespace vipcast::wire::bfd
