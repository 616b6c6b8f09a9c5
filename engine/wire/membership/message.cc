#include "engine/wire/membership/message.h"

#include <cassert>
#include <string>

namespace vipcast::wire::membership {
namespace {

template <class... Ts>
struct Overloaded : Ts... {
  using Ts::operator()...;
};
template <class... Ts>
Overloaded(Ts...) -> Overloaded<Ts...>;

constexpr uint8_t kPingReqWantNack = 0x01;
constexpr uint8_t kPushPullResponse = 0x01;
constexpr uint8_t kPushPullJoin = 0x02;

void WriteUpdates(core::ByteWriter& w, const std::vector<MemberUpdate>& updates) {
  assert(updates.size() <= kMaxListEntries);
  w.U8(static_cast<uint8_t>(updates.size()));
  for (const auto& u : updates) WriteMemberUpdate(w, u);
}

size_t UpdatesSize(const std::vector<MemberUpdate>& updates) {
  size_t n = 1;
  for (const auto& u : updates) n += MemberUpdateSize(u);
  return n;
}

DecodeResult<std::vector<MemberUpdate>> ReadUpdates(core::ByteReader& r, const char* what) {
  const size_t at = r.position();
  auto count = r.U8();
  if (!count) return core::MakeErr(MakeDecodeError(DecodeErrorKind::kTruncated, at, what));
  std::vector<MemberUpdate> out;
  out.reserve(*count);
  for (size_t i = 0; i < *count; ++i) {
    auto u = ReadMemberUpdate(r);
    if (!u) return core::MakeErr(std::move(u).error());
    out.push_back(std::move(u).value());
  }
  return out;
}

DecodeResult<uint32_t> ReadProbeId(core::ByteReader& r) {
  const size_t at = r.position();
  auto id = r.U32();
  if (!id) return core::MakeErr(MakeDecodeError(DecodeErrorKind::kTruncated, at, "probe id"));
  return *id;
}

DecodeResult<Body> ReadBody(MessageType type, core::ByteReader& r) {
  switch (type) {
    case MessageType::kPing: {
      Ping p;
      auto id = ReadProbeId(r);
      if (!id) return core::MakeErr(std::move(id).error());
      p.probe_id = *id;
      auto target = ReadName(r, EmptyName::kReject);
      if (!target) return core::MakeErr(std::move(target).error());
      p.target = std::move(target).value();
      return Body(std::move(p));
    }
    case MessageType::kAck: {
      auto id = ReadProbeId(r);
      if (!id) return core::MakeErr(std::move(id).error());
      return Body(Ack{*id});
    }
    case MessageType::kNack: {
      auto id = ReadProbeId(r);
      if (!id) return core::MakeErr(std::move(id).error());
      return Body(Nack{*id});
    }
    case MessageType::kPingReq: {
      PingReq p;
      auto id = ReadProbeId(r);
      if (!id) return core::MakeErr(std::move(id).error());
      p.probe_id = *id;
      const size_t at = r.position();
      auto flags = r.U8();
      if (!flags) return core::MakeErr(MakeDecodeError(DecodeErrorKind::kTruncated, at, "flags"));
      if ((*flags & ~kPingReqWantNack) != 0) {
        return core::MakeErr(MakeDecodeError(DecodeErrorKind::kBadField, at, "ping-req flags"));
      }
      p.want_nack = (*flags & kPingReqWantNack) != 0;
      auto target = ReadName(r, EmptyName::kReject);
      if (!target) return core::MakeErr(std::move(target).error());
      p.target = std::move(target).value();
      auto endpoint = ReadEndpoint(r);
      if (!endpoint) return core::MakeErr(std::move(endpoint).error());
      p.target_endpoint = std::move(endpoint).value();
      return Body(std::move(p));
    }
    case MessageType::kPushPull: {
      PushPull p;
      const size_t at = r.position();
      auto flags = r.U8();
      if (!flags) return core::MakeErr(MakeDecodeError(DecodeErrorKind::kTruncated, at, "flags"));
      if ((*flags & ~(kPushPullResponse | kPushPullJoin)) != 0) {
        return core::MakeErr(MakeDecodeError(DecodeErrorKind::kBadField, at, "push-pull flags"));
      }
      p.response = (*flags & kPushPullResponse) != 0;
      p.join = (*flags & kPushPullJoin) != 0;
      auto begin = ReadName(r, EmptyName::kAllow);
      if (!begin) return core::MakeErr(std::move(begin).error());
      p.range_begin = std::move(begin).value();
      auto end = ReadName(r, EmptyName::kAllow);
      if (!end) return core::MakeErr(std::move(end).error());
      p.range_end = std::move(end).value();
      auto entries = ReadUpdates(r, "push-pull entry count");
      if (!entries) return core::MakeErr(std::move(entries).error());
      p.entries = std::move(entries).value();
      return Body(std::move(p));
    }
    case MessageType::kGossip:
      return Body(Gossip{});
  }
  return core::MakeErr(MakeDecodeError(DecodeErrorKind::kUnknownType, 0, "message type"));
}

DecodeResult<SenderState> ReadSender(core::ByteReader& r) {
  const size_t at = r.position();
  auto status = r.U8();
  if (!status) return core::MakeErr(MakeDecodeError(DecodeErrorKind::kTruncated, at, "sender"));
  if (*status != static_cast<uint8_t>(MemberStatus::kAlive) &&
      *status != static_cast<uint8_t>(MemberStatus::kLeft)) {
    return core::MakeErr(MakeDecodeError(DecodeErrorKind::kBadStatus, at,
                                         "sender status " + std::to_string(*status)));
  }
  SenderState out;
  out.status = static_cast<MemberStatus>(*status);
  auto incarnation = r.U32();
  if (!incarnation) {
    return core::MakeErr(MakeDecodeError(DecodeErrorKind::kTruncated, at, "sender incarnation"));
  }
  out.incarnation = *incarnation;
  auto endpoint = ReadEndpoint(r);
  if (!endpoint) return core::MakeErr(std::move(endpoint).error());
  out.endpoint = std::move(endpoint).value();
  return out;
}

bool KnownType(uint8_t type) {
  for (MessageType t : kAllMessageTypes) {
    if (static_cast<uint8_t>(t) == type) return true;
  }
  return false;
}

}  // namespace

std::string_view ToString(MessageType type) {
  switch (type) {
    case MessageType::kPing:
      return "ping";
    case MessageType::kAck:
      return "ack";
    case MessageType::kPingReq:
      return "ping_req";
    case MessageType::kNack:
      return "nack";
    case MessageType::kPushPull:
      return "push_pull";
    case MessageType::kGossip:
      return "gossip";
  }
  return "unknown";
}

MessageType TypeOf(const Body& body) {
  return std::visit(Overloaded{
                        [](const Ping&) { return MessageType::kPing; },
                        [](const Ack&) { return MessageType::kAck; },
                        [](const PingReq&) { return MessageType::kPingReq; },
                        [](const Nack&) { return MessageType::kNack; },
                        [](const PushPull&) { return MessageType::kPushPull; },
                        [](const Gossip&) { return MessageType::kGossip; },
                    },
                    body);
}

void WriteMessage(core::ByteWriter& w, const Message& message) {
  w.U8(static_cast<uint8_t>(TypeOf(message.body)));
  w.U8(static_cast<uint8_t>(message.sender.status));
  w.U32(message.sender.incarnation);
  WriteEndpoint(w, message.sender.endpoint);
  std::visit(Overloaded{
                 [&](const Ping& p) {
                   w.U32(p.probe_id);
                   WriteName(w, p.target);
                 },
                 [&](const Ack& a) { w.U32(a.probe_id); },
                 [&](const PingReq& p) {
                   w.U32(p.probe_id);
                   w.U8(p.want_nack ? kPingReqWantNack : 0);
                   WriteName(w, p.target);
                   WriteEndpoint(w, p.target_endpoint);
                 },
                 [&](const Nack& n) { w.U32(n.probe_id); },
                 [&](const PushPull& p) {
                   w.U8(static_cast<uint8_t>((p.response ? kPushPullResponse : 0) |
                                             (p.join ? kPushPullJoin : 0)));
                   WriteName(w, p.range_begin);
                   WriteName(w, p.range_end);
                   WriteUpdates(w, p.entries);
                 },
                 [&](const Gossip&) {},
             },
             message.body);
  WriteUpdates(w, message.updates);
}

core::Bytes EncodeMessage(const Message& message) {
  core::Bytes out;
  out.reserve(EncodedSize(message));
  core::ByteWriter w(&out);
  WriteMessage(w, message);
  return out;
}

size_t EncodedSize(const Message& message) {
  size_t body = std::visit(
      Overloaded{
          [](const Ping& p) { return 4 + NameSize(p.target); },
          [](const Ack&) -> size_t { return 4; },
          [](const PingReq& p) {
            return 4 + 1 + NameSize(p.target) + EndpointSize(p.target_endpoint);
          },
          [](const Nack&) -> size_t { return 4; },
          [](const PushPull& p) {
            return 1 + NameSize(p.range_begin) + NameSize(p.range_end) + UpdatesSize(p.entries);
          },
          [](const Gossip&) -> size_t { return 0; },
      },
      message.body);
  return 1 + 1 + 4 + EndpointSize(message.sender.endpoint) + body + UpdatesSize(message.updates);
}

DecodeResult<Message> DecodeMessage(core::ByteSpan payload) {
  core::ByteReader r(payload);
  auto type = r.U8();
  if (!type) return core::MakeErr(MakeDecodeError(DecodeErrorKind::kTruncated, 0, "type"));
  if (!KnownType(*type)) {
    return core::MakeErr(
        MakeDecodeError(DecodeErrorKind::kUnknownType, 0, "message type " + std::to_string(*type)));
  }
  Message out;
  auto sender = ReadSender(r);
  if (!sender) return core::MakeErr(std::move(sender).error());
  out.sender = std::move(sender).value();
  auto body = ReadBody(static_cast<MessageType>(*type), r);
  if (!body) return core::MakeErr(std::move(body).error());
  out.body = std::move(body).value();
  auto updates = ReadUpdates(r, "update count");
  if (!updates) return core::MakeErr(std::move(updates).error());
  out.updates = std::move(updates).value();
  if (!r.empty()) {
    return core::MakeErr(MakeDecodeError(DecodeErrorKind::kTrailingBytes, r.position(),
                                         std::to_string(r.remaining()) + " trailing bytes"));
  }
  return out;
}

}  // namespace vipcast::wire::membership
