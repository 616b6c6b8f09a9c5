// The authenticated envelope around every membership datagram.
//
// Wire form (big-endian):
//   0   version   u8   kVersion (1)
//   1   flags     u8   reserved, 0
//   2   boot_id   u64  the sender's boot identifier (see below)
//   10  sequence  u64  per-boot message counter of the sender, starting at 1
//   18  sender    name (u8 length + RFC 1123 subdomain)
//   ..  payload        message.h
//   -16 mac            HMAC-SHA-256-128 over every byte before it (mac_key.h)
//
// The MAC covers the header, so the sender name, boot id and sequence number
// are authenticated and the receiver can run an anti-replay window per
// (sender, boot id) in the manner of IPsec ESP (RFC 4303 3.4.3). The boot id
// is chosen by the runtime and must grow across restarts of a node (e.g. the
// wall-clock start time in nanoseconds); receivers reject boot ids lower than
// the highest seen, so recorded traffic from an earlier boot cannot be
// replayed after a restart resets the sequence counter.
//
// A whole datagram is at most kMaxDatagramSize bytes: it must fit one
// Ethernet frame with IPv6 and UDP headers and tunnel overhead to spare, so
// nothing depends on IP fragmentation.
#pragma once

#include <cstdint>

#include "engine/core/bytes.h"
#include "engine/core/node_name.h"
#include "engine/wire/membership/decode_error.h"
#include "engine/wire/membership/fields.h"
#include "engine/wire/membership/mac_key.h"

namespace vipcast::wire::membership {

inline constexpr uint8_t kVersion = 1;
inline constexpr size_t kMaxDatagramSize = 1400;
// Header without the variable-length sender name.
inline constexpr size_t kFixedHeaderSize = 18;
// A payload is at least a type byte, the sender's state with an IPv4
// endpoint and the update count.
inline constexpr size_t kMinPayloadSize = 1 + 12 + 1;
// The smallest possible datagram: one-character sender name.
inline constexpr size_t kMinDatagramSize = kFixedHeaderSize + 2 + kMinPayloadSize + kMacSize;

struct EnvelopeHeader {
  uint64_t boot_id = 0;
  uint64_t sequence = 0;
  core::NodeName sender;
  bool operator==(const EnvelopeHeader&) const = default;
};

struct OpenedEnvelope {
  EnvelopeHeader header;
  core::ByteSpan payload;  // a view into the datagram passed to Open
};

// Header plus MAC bytes for datagrams from `sender`.
size_t EnvelopeOverhead(const core::NodeName& sender);

// Builds a datagram. Precondition: sender non-empty.
core::Bytes Seal(const EnvelopeHeader& header, core::ByteSpan payload, const MacKey& key);

// Checks size, version and MAC, then parses the header. The payload is
// returned undecoded (DecodeMessage) so that callers can run the replay check
// on the authenticated header first. Never crashes, whatever the bytes.
DecodeResult<OpenedEnvelope> Open(core::ByteSpan datagram, const MacKey& key);

// Parses the header of a datagram without checking its MAC: for fuzzing and
// diagnostics only, never for accepting input.
DecodeResult<OpenedEnvelope> ParseUnauthenticated(core::ByteSpan datagram);

}  // namespace vipcast::wire::membership
