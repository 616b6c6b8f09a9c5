// The membership protocol's messages: the payload inside an authenticated
// envelope (envelope.h). Every message type can carry piggybacked gossip
// updates, as SWIM (Das et al. 2002, section 4.1) piggybacks membership
// updates on ping and ack traffic instead of multicasting them.
//
// Payload wire form (big-endian):
//   type    u8    MessageType
//   sender        the sender's own state: status u8 (alive or left only),
//                 incarnation u32, endpoint (family u8, address, port u16)
//   body          per type, below
//   count   u8    number of piggybacked updates
//   updates       MemberUpdate x count (member_update.h)
// Nothing may follow the last update.
//
// The sender's state rides on every message (its name is in the envelope):
// a member's own word about its incarnation is the most authoritative there
// is, and carrying it on every datagram means a receiver learns of a member,
// or of its newer incarnation, as soon as the two exchange anything, instead
// of relying on a gossip epidemic that may miss it (12 bytes for IPv4).
//
// Bodies:
//   ping      probe_id u32, target name          SWIM 3.1 direct probe
//   ack       probe_id u32                       SWIM 3.1
//   ping-req  probe_id u32, flags u8 (bit 0: want nack), target name,
//             target endpoint                    SWIM 3.1 indirect probe
//   nack      probe_id u32                       Lifeguard 4.3 (Dadgar et al. 2018)
//   push-pull flags u8 (bit 0: response, bit 1: join), range_begin name
//             (may be empty), range_end name (may be empty = unbounded),
//             count u8, entries MemberUpdate x count
//   gossip    (empty)                            dissemination-only datagram
#pragma once

#include <cstdint>
#include <string_view>
#include <utility>
#include <variant>
#include <vector>

#include "engine/core/bytes.h"
#include "engine/core/io.h"
#include "engine/core/node_name.h"
#include "engine/wire/membership/decode_error.h"
#include "engine/wire/membership/fields.h"
#include "engine/wire/membership/member_update.h"

namespace vipcast::wire::membership {

enum class MessageType : uint8_t {
  kPing = 1,
  kAck = 2,
  kPingReq = 3,
  kNack = 4,
  kPushPull = 5,
  kGossip = 6,
};

inline constexpr MessageType kAllMessageTypes[] = {
    MessageType::kPing, MessageType::kAck,      MessageType::kPingReq,
    MessageType::kNack, MessageType::kPushPull, MessageType::kGossip,
};

// "ping", "ack", "ping_req", "nack", "push_pull", "gossip": metric labels.
std::string_view ToString(MessageType type);

// At most 255 updates or entries fit the one-byte counts; the datagram size
// limit (kMaxDatagramSize) binds long before that.
inline constexpr size_t kMaxListEntries = 255;

struct Ping {
  uint32_t probe_id = 0;
  // The node the sender meant to probe: a node that is not `target` drops the
  // ping instead of acknowledging for someone else (a stale address mapping).
  core::NodeName target;
  bool operator==(const Ping&) const = default;
};

struct Ack {
  uint32_t probe_id = 0;
  bool operator==(const Ack&) const = default;
};

struct PingReq {
  uint32_t probe_id = 0;
  bool want_nack = false;
  core::NodeName target;
  core::Endpoint target_endpoint;
  bool operator==(const PingReq&) const = default;
};

struct Nack {
  uint32_t probe_id = 0;
  bool operator==(const Nack&) const = default;
};

// One page of a full-state exchange. The initiator sends its members whose
// names fall in [range_begin, range_end) (empty range_end: to the end of the
// name space) plus its own entry and its view of the receiver; the responder
// answers with its own view of the same range. A join response carries the
// responder's whole table, split across as many pages as needed.
struct PushPull {
  bool response = false;
  bool join = false;
  core::NodeName range_begin;
  core::NodeName range_end;
  std::vector<MemberUpdate> entries;
  bool operator==(const PushPull&) const = default;
};

struct Gossip {
  bool operator==(const Gossip&) const = default;
};

using Body = std::variant<Ping, Ack, PingReq, Nack, PushPull, Gossip>;

MessageType TypeOf(const Body& body);

// What a sender says about itself. Only alive and left are meaningful: a
// member does not suspect or bury itself.
struct SenderState {
  MemberStatus status = MemberStatus::kAlive;
  uint32_t incarnation = 0;
  core::Endpoint endpoint;
  bool operator==(const SenderState&) const = default;
};

struct Message {
  Message() = default;
  Message(Body b, std::vector<MemberUpdate> u, SenderState s = {})
      : body(std::move(b)), updates(std::move(u)), sender(std::move(s)) {}

  Body body;
  std::vector<MemberUpdate> updates;  // piggybacked gossip, at most kMaxListEntries
  SenderState sender;
  bool operator==(const Message&) const = default;
};

// Encodes a payload. Precondition: list sizes at most kMaxListEntries.
core::Bytes EncodeMessage(const Message& message);
void WriteMessage(core::ByteWriter& w, const Message& message);
// Exactly the size EncodeMessage produces.
size_t EncodedSize(const Message& message);
// The bytes one more piggybacked update adds (the count byte is always there).
inline size_t PiggybackCost(const MemberUpdate& update) { return MemberUpdateSize(update); }

// Decodes a payload. Never crashes, whatever the bytes.
DecodeResult<Message> DecodeMessage(core::ByteSpan payload);

}  // namespace vipcast::wire::membership
