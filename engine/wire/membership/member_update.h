// One member's state as some node asserts it. The same record is a gossip
// update piggybacked on any message (SWIM, Das et al. 2002, section 4.1:
// "infection-style dissemination") and an entry of a push-pull state page.
//
// Wire form (all integers big-endian):
//   status      u8   0 alive, 1 suspect, 2 dead, 3 left (other values rejected)
//   incarnation u32  SWIM 4.2: orders assertions about one node
//   node        name (u8 length + RFC 1123 subdomain)
//   endpoint    family u8 (4|6), address, port u16
//   from        name, present only for suspect and dead: who declared it.
//               Lifeguard (Dadgar et al. 2018, section 4.2) counts suspicions
//               from distinct `from` nodes as independent confirmations.
#pragma once

#include <cstdint>
#include <string_view>

#include "engine/core/bytes.h"
#include "engine/core/io.h"
#include "engine/core/node_name.h"
#include "engine/wire/membership/fields.h"

namespace vipcast::wire::membership {

enum class MemberStatus : uint8_t { kAlive = 0, kSuspect = 1, kDead = 2, kLeft = 3 };

// "alive", "suspect", "dead", "left".
std::string_view ToString(MemberStatus status);

// True when the status carries a `from` field on the wire.
constexpr bool HasFrom(MemberStatus status) {
  return status == MemberStatus::kSuspect || status == MemberStatus::kDead;
}

// Invariant (for records the decoder produces): `node` is non-empty, and
// `from` is non-empty exactly when HasFrom(status).
struct MemberUpdate {
  core::NodeName node;
  MemberStatus status = MemberStatus::kAlive;
  uint32_t incarnation = 0;
  core::Endpoint endpoint;
  core::NodeName from;

  bool operator==(const MemberUpdate&) const = default;
};

void WriteMemberUpdate(core::ByteWriter& w, const MemberUpdate& update);
// Exactly the number of bytes WriteMemberUpdate appends.
size_t MemberUpdateSize(const MemberUpdate& update);
DecodeResult<MemberUpdate> ReadMemberUpdate(core::ByteReader& r);

}  // namespace vipcast::wire::membership
