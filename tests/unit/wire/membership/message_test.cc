// Round trips and malformed inputs for the membership message payloads.
#include "engine/wire/membership/message.h"

#include <gtest/gtest.h>

#include <functional>
#include <string>
#include <vector>

namespace vipcast::wire::membership {
namespace {

core::NodeName Name(const std::string& s) { return core::NodeName::Parse(s).value(); }

core::Endpoint V4(uint8_t last, uint16_t port = 7946) {
  return core::Endpoint{core::Ipv4Addr::FromOctets(10, 0, 0, last), port};
}

core::Endpoint V6() { return core::Endpoint{core::Ipv6Addr::Parse("2001:db8::42").value(), 7947}; }

std::vector<MemberUpdate> SomeUpdates() {
  return {
      MemberUpdate{Name("node-a"), MemberStatus::kAlive, 3, V4(1), {}},
      MemberUpdate{Name("node-b"), MemberStatus::kSuspect, 7, V6(), Name("node-a")},
      MemberUpdate{Name("node-c.example.com"), MemberStatus::kDead, 0, V4(3), Name("node-b")},
      MemberUpdate{Name("node-d"), MemberStatus::kLeft, 0xffffffff, V4(4, 1), {}},
  };
}

std::vector<Message> Samples() {
  std::vector<Message> out;
  out.push_back(Message{Ping{1, Name("node-b")}, {}});
  out.push_back(Message{Ping{0xdeadbeef, Name("node-b")}, SomeUpdates()});
  out.push_back(Message{Ack{42}, SomeUpdates()});
  out.push_back(Message{PingReq{9, true, Name("node-c"), V4(3)}, {}});
  out.push_back(Message{PingReq{10, false, Name("node-c"), V6()}, SomeUpdates()});
  out.push_back(Message{Nack{11}, {}});
  out.push_back(Message{PushPull{false, false, {}, {}, {}}, {}});
  out.push_back(Message{PushPull{true, true, Name("node-a"), Name("node-z"), SomeUpdates()}, {}});
  out.push_back(Message{PushPull{false, true, {}, Name("node-m"), SomeUpdates()}, SomeUpdates()});
  out.push_back(Message{Gossip{}, SomeUpdates()});
  out.push_back(Message{Ack{5}, {}, SenderState{MemberStatus::kAlive, 12, V6()}});
  out.push_back(Message{Gossip{}, SomeUpdates(), SenderState{MemberStatus::kLeft, 3, V4(9)}});
  return out;
}

TEST(MembershipMessage, RoundTripsEveryType) {
  for (const Message& m : Samples()) {
    const core::Bytes bytes = EncodeMessage(m);
    EXPECT_EQ(bytes.size(), EncodedSize(m)) << ToString(TypeOf(m.body));
    auto decoded = DecodeMessage(bytes);
    ASSERT_TRUE(decoded.ok()) << ToString(TypeOf(m.body)) << ": " << decoded.error().detail;
    EXPECT_EQ(*decoded, m);
  }
}

TEST(MembershipMessage, GoldenPingBytes) {
  // Pins the wire format: type, sender state, probe id, target, one update.
  Message m{Ping{0x01020304, Name("b")},
            {MemberUpdate{Name("a"), MemberStatus::kAlive, 5, V4(1, 0x1f0a), {}}},
            SenderState{MemberStatus::kAlive, 9, V4(2, 0x1f0a)}};
  EXPECT_EQ(core::ToHex(EncodeMessage(m)),
            "01"                // ping
            "00"                // sender alive
            "00000009"          // sender incarnation
            "040a0000021f0a"    // sender endpoint 10.0.0.2:7946
            "01020304"          // probe id
            "0162"              // "b"
            "01"                // one update
            "00"                // alive
            "00000005"          // incarnation
            "0161"              // "a"
            "040a0000011f0a");  // IPv4 10.0.0.1 port 7946
}

TEST(MembershipMessage, SenderStateRoundTripsAndIsChecked) {
  for (MemberStatus status : {MemberStatus::kAlive, MemberStatus::kLeft}) {
    const Message m{Ack{1}, {}, SenderState{status, 77, V6()}};
    auto decoded = DecodeMessage(EncodeMessage(m));
    ASSERT_TRUE(decoded.ok());
    EXPECT_EQ(decoded->sender, m.sender);
  }
  // A member does not suspect or bury itself.
  for (uint8_t bad : {1, 2, 4, 0xff}) {
    core::Bytes bytes = EncodeMessage(Message{Ack{1}, {}, {}});
    bytes[1] = bad;
    auto decoded = DecodeMessage(bytes);
    ASSERT_FALSE(decoded.ok());
    EXPECT_EQ(decoded.error().kind, DecodeErrorKind::kBadStatus);
  }
}

TEST(MembershipMessage, EveryTruncationFailsCleanly) {
  for (const Message& m : Samples()) {
    const core::Bytes bytes = EncodeMessage(m);
    for (size_t len = 0; len < bytes.size(); ++len) {
      auto decoded = DecodeMessage(core::ByteSpan(bytes.data(), len));
      EXPECT_FALSE(decoded.ok()) << ToString(TypeOf(m.body)) << " prefix " << len;
    }
  }
}

TEST(MembershipMessage, TrailingBytesRejected) {
  core::Bytes bytes = EncodeMessage(Message{Ack{1}, {}});
  bytes.push_back(0);
  auto decoded = DecodeMessage(bytes);
  ASSERT_FALSE(decoded.ok());
  EXPECT_EQ(decoded.error().kind, DecodeErrorKind::kTrailingBytes);
}

TEST(MembershipMessage, UnknownTypeRejected) {
  for (uint8_t type : {0, 7, 0x80, 0xff}) {
    core::Bytes bytes = EncodeMessage(Message{Ack{1}, {}});
    bytes[0] = type;
    auto decoded = DecodeMessage(bytes);
    ASSERT_FALSE(decoded.ok());
    EXPECT_EQ(decoded.error().kind, DecodeErrorKind::kUnknownType);
  }
  auto empty = DecodeMessage({});
  ASSERT_FALSE(empty.ok());
  EXPECT_EQ(empty.error().kind, DecodeErrorKind::kTruncated);
}

// Encodes `m`, lets `mutate` edit the bytes, and returns the decode error.
DecodeErrorKind ErrorAfter(const Message& m, const std::function<void(core::Bytes&)>& mutate) {
  core::Bytes bytes = EncodeMessage(m);
  mutate(bytes);
  auto decoded = DecodeMessage(bytes);
  EXPECT_FALSE(decoded.ok());
  return decoded.ok() ? DecodeErrorKind::kTruncated : decoded.error().kind;
}

TEST(MembershipMessage, BadFieldsRejected) {
  const Message gossip{Gossip{}, {MemberUpdate{Name("a"), MemberStatus::kAlive, 1, V4(1), {}}}};
  // Layout: [0]=type [1..12]=sender (status, incarnation, IPv4 endpoint)
  // [13]=count [14]=status [15..18]=incarnation [19]=name length [20]='a'
  // [21]=family
  EXPECT_EQ(ErrorAfter(gossip, [](core::Bytes& b) { b[14] = 4; }), DecodeErrorKind::kBadStatus);
  EXPECT_EQ(ErrorAfter(gossip, [](core::Bytes& b) { b[21] = 5; }),
            DecodeErrorKind::kBadAddressFamily);
  EXPECT_EQ(ErrorAfter(gossip, [](core::Bytes& b) { b[6] = 0; }),
            DecodeErrorKind::kBadAddressFamily);  // the sender's endpoint
  EXPECT_EQ(ErrorAfter(gossip, [](core::Bytes& b) { b[20] = 'A'; }), DecodeErrorKind::kBadNodeName);
  EXPECT_EQ(ErrorAfter(gossip, [](core::Bytes& b) { b[20] = '-'; }), DecodeErrorKind::kBadNodeName);
  // A zero-length node name where one is required: ping [13..16]=id [17]=length.
  EXPECT_EQ(ErrorAfter(Message{Ping{1, Name("b")}, {}}, [](core::Bytes& b) { b[17] = 0; }),
            DecodeErrorKind::kBadNodeName);
  // Reserved flag bits: ping-req flags at [17], push-pull flags at [13].
  EXPECT_EQ(ErrorAfter(Message{PingReq{1, false, Name("c"), V4(3)}, {}},
                       [](core::Bytes& b) { b[17] = 0x02; }),
            DecodeErrorKind::kBadField);
  EXPECT_EQ(ErrorAfter(Message{PushPull{}, {}}, [](core::Bytes& b) { b[13] = 0x04; }),
            DecodeErrorKind::kBadField);
  // A count that promises more updates than there are.
  EXPECT_EQ(ErrorAfter(gossip, [](core::Bytes& b) { b[13] = 2; }), DecodeErrorKind::kTruncated);
}

TEST(MembershipMessage, SuspectAndDeadNeedFrom) {
  // An alive update re-labelled as suspect lacks the `from` name.
  const Message m{Gossip{}, {MemberUpdate{Name("a"), MemberStatus::kAlive, 1, V4(1), {}}}};
  EXPECT_EQ(ErrorAfter(m, [](core::Bytes& b) { b[14] = 1; }), DecodeErrorKind::kTruncated);
  EXPECT_EQ(ErrorAfter(m,
                       [](core::Bytes& b) {
                         b[14] = 2;
                         b.push_back(0);  // an empty from name
                       }),
            DecodeErrorKind::kBadNodeName);
}

TEST(MembershipMessage, LongestNamesFit) {
  const std::string longest = std::string(63, 'a') + "." + std::string(63, 'b') + "." +
                              std::string(63, 'c') + "." + std::string(61, 'd');
  ASSERT_EQ(longest.size(), 253u);
  const Message m{PingReq{1, true, Name(longest), V6()},
                  {MemberUpdate{Name(longest), MemberStatus::kDead, 1, V6(), Name(longest)}}};
  auto decoded = DecodeMessage(EncodeMessage(m));
  ASSERT_TRUE(decoded.ok());
  EXPECT_EQ(*decoded, m);
}

TEST(MembershipMessage, ErrorNamesAreStable) {
  EXPECT_EQ(ToString(DecodeErrorKind::kBadMac), "bad_mac");
  EXPECT_EQ(ToString(DecodeErrorKind::kTrailingBytes), "trailing_bytes");
  EXPECT_EQ(ToString(MessageType::kPingReq), "ping_req");
  EXPECT_EQ(ToString(MemberStatus::kLeft), "left");
  for (DecodeErrorKind k : kAllDecodeErrorKinds) EXPECT_NE(ToString(k), "unknown");
}

}  // namespace
}  // namespace vipcast::wire::membership
