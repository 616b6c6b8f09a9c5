// Field codecs shared by the membership message types: node names and
// endpoints. Every reader is bounds-checked and turns bad input into a
// DecodeError; none can fail on output.
#pragma once

#include "engine/core/bytes.h"
#include "engine/core/io.h"
#include "engine/core/node_name.h"
#include "engine/core/result.h"
#include "engine/wire/membership/decode_error.h"

namespace vipcast::wire::membership {

template <typename T>
using DecodeResult = core::Result<T, DecodeError>;

DecodeError MakeDecodeError(DecodeErrorKind kind, size_t offset, std::string detail);

// A node name: one length byte then that many bytes of an RFC 1123 subdomain
// (at most 253, so the length always fits one byte). Length 0 encodes the
// empty (default-constructed) name, which readers accept only when asked to.
void WriteName(core::ByteWriter& w, const core::NodeName& name);
size_t NameSize(const core::NodeName& name);
enum class EmptyName : uint8_t { kReject, kAllow };
DecodeResult<core::NodeName> ReadName(core::ByteReader& r, EmptyName empty);

// An endpoint: family byte (4 or 6), the address (4 or 16 bytes), port (u16).
void WriteEndpoint(core::ByteWriter& w, const core::Endpoint& endpoint);
size_t EndpointSize(const core::Endpoint& endpoint);
DecodeResult<core::Endpoint> ReadEndpoint(core::ByteReader& r);

}  // namespace vipcast::wire::membership
