#include "engine/wire/membership/envelope.h"

#include <string>

namespace vipcast::wire::membership {
namespace {

DecodeResult<OpenedEnvelope> ParseHeader(core::ByteSpan datagram) {
  // Caller has checked kMinDatagramSize <= size <= kMaxDatagramSize.
  core::ByteReader r(datagram.first(datagram.size() - kMacSize));
  const uint8_t version = *r.U8();
  if (version != kVersion) {
    return core::MakeErr(
        MakeDecodeError(DecodeErrorKind::kBadVersion, 0, "version " + std::to_string(version)));
  }
  const uint8_t flags = *r.U8();
  if (flags != 0) {
    return core::MakeErr(
        MakeDecodeError(DecodeErrorKind::kBadFlags, 1, "flags " + std::to_string(flags)));
  }
  OpenedEnvelope out;
  out.header.boot_id = *r.U64();
  out.header.sequence = *r.U64();
  auto sender = ReadName(r, EmptyName::kReject);
  if (!sender) return core::MakeErr(std::move(sender).error());
  out.header.sender = std::move(sender).value();
  if (r.remaining() < kMinPayloadSize) {
    return core::MakeErr(
        MakeDecodeError(DecodeErrorKind::kTruncated, r.position(), "payload too short"));
  }
  out.payload = r.Rest();
  return out;
}

DecodeResult<OpenedEnvelope> CheckSize(core::ByteSpan datagram) {
  if (datagram.size() < kMinDatagramSize) {
    return core::MakeErr(
        MakeDecodeError(DecodeErrorKind::kTooShort, 0, std::to_string(datagram.size()) + " bytes"));
  }
  if (datagram.size() > kMaxDatagramSize) {
    return core::MakeErr(
        MakeDecodeError(DecodeErrorKind::kTooLong, 0, std::to_string(datagram.size()) + " bytes"));
  }
  if (datagram[0] != kVersion) {
    // The version decides the layout, including where the MAC is.
    return core::MakeErr(
        MakeDecodeError(DecodeErrorKind::kBadVersion, 0, "version " + std::to_string(datagram[0])));
  }
  return OpenedEnvelope{};
}

}  // namespace

size_t EnvelopeOverhead(const core::NodeName& sender) {
  return kFixedHeaderSize + NameSize(sender) + kMacSize;
}

core::Bytes Seal(const EnvelopeHeader& header, core::ByteSpan payload, const MacKey& key) {
  core::Bytes out;
  out.reserve(EnvelopeOverhead(header.sender) + payload.size());
  core::ByteWriter w(&out);
  w.U8(kVersion);
  w.U8(0);
  w.U64(header.boot_id);
  w.U64(header.sequence);
  WriteName(w, header.sender);
  w.Append(payload);
  const Mac mac = key.Compute(out);
  w.Append(mac);
  return out;
}

DecodeResult<OpenedEnvelope> Open(core::ByteSpan datagram, const MacKey& key) {
  if (auto size = CheckSize(datagram); !size) return size;
  const size_t body = datagram.size() - kMacSize;
  if (!key.Verify(datagram.first(body), datagram.subspan(body))) {
    return core::MakeErr(MakeDecodeError(DecodeErrorKind::kBadMac, body, "MAC mismatch"));
  }
  return ParseHeader(datagram);
}

DecodeResult<OpenedEnvelope> ParseUnauthenticated(core::ByteSpan datagram) {
  if (auto size = CheckSize(datagram); !size) return size;
  return ParseHeader(datagram);
}

}  // namespace vipcast::wire::membership
