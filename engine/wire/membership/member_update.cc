#include "engine/wire/membership/member_update.h"

#include <string>

namespace vipcast::wire::membership {

std::string_view ToString(MemberStatus status) {
  switch (status) {
    case MemberStatus::kAlive:
      return "alive";
    case MemberStatus::kSuspect:
      return "suspect";
    case MemberStatus::kDead:
      return "dead";
    case MemberStatus::kLeft:
      return "left";
  }
  return "unknown";
}

void WriteMemberUpdate(core::ByteWriter& w, const MemberUpdate& update) {
  w.U8(static_cast<uint8_t>(update.status));
  w.U32(update.incarnation);
  WriteName(w, update.node);
  WriteEndpoint(w, update.endpoint);
  if (HasFrom(update.status)) WriteName(w, update.from);
}

size_t MemberUpdateSize(const MemberUpdate& update) {
  return 1 + 4 + NameSize(update.node) + EndpointSize(update.endpoint) +
         (HasFrom(update.status) ? NameSize(update.from) : 0);
}

DecodeResult<MemberUpdate> ReadMemberUpdate(core::ByteReader& r) {
  const size_t at = r.position();
  auto status = r.U8();
  if (!status) return core::MakeErr(MakeDecodeError(DecodeErrorKind::kTruncated, at, "status"));
  if (*status > static_cast<uint8_t>(MemberStatus::kLeft)) {
    return core::MakeErr(MakeDecodeError(DecodeErrorKind::kBadStatus, at,
                                         "member status " + std::to_string(*status)));
  }
  MemberUpdate out;
  out.status = static_cast<MemberStatus>(*status);
  auto incarnation = r.U32();
  if (!incarnation) {
    return core::MakeErr(MakeDecodeError(DecodeErrorKind::kTruncated, at, "incarnation"));
  }
  out.incarnation = *incarnation;
  auto node = ReadName(r, EmptyName::kReject);
  if (!node) return core::MakeErr(std::move(node).error());
  out.node = std::move(node).value();
  auto endpoint = ReadEndpoint(r);
  if (!endpoint) return core::MakeErr(std::move(endpoint).error());
  out.endpoint = std::move(endpoint).value();
  if (HasFrom(out.status)) {
    auto from = ReadName(r, EmptyName::kReject);
    if (!from) return core::MakeErr(std::move(from).error());
    out.from = std::move(from).value();
  }
  return out;
}

}  // namespace vipcast::wire::membership
