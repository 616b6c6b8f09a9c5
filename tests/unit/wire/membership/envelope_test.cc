// The authenticated envelope: HMAC-SHA-256-128 and header parsing.
#include "engine/wire/membership/envelope.h"

#include <gtest/gtest.h>

#include <string>

#include "engine/wire/membership/message.h"

namespace vipcast::wire::membership {
namespace {

core::Bytes Key(uint8_t fill = 0x11) { return core::Bytes(32, fill); }
core::NodeName Name(const std::string& s) { return core::NodeName::Parse(s).value(); }

core::Bytes SamplePayload() { return EncodeMessage(Message{Ping{7, Name("node-b")}, {}}); }

TEST(MembershipMac, MatchesRfc4231TestCase2Truncated) {
  // RFC 4231 4.3: key "Jefe", data "what do ya want for nothing?",
  // HMAC-SHA-256 = 5bdcc146bf60754e6a042426089575c7 5a003f08...; we keep the
  // first 128 bits (RFC 4868 2.1.1 truncation).
  const std::string key = "Jefe";
  const std::string data = "what do ya want for nothing?";
  MacKey mac(core::ByteSpan(reinterpret_cast<const uint8_t*>(key.data()), key.size()));
  const Mac out =
      mac.Compute(core::ByteSpan(reinterpret_cast<const uint8_t*>(data.data()), data.size()));
  EXPECT_EQ(core::ToHex(out), "5bdcc146bf60754e6a042426089575c7");
  // Repeated use of the same keyed context gives the same answer.
  EXPECT_EQ(mac.Compute(core::ByteSpan(reinterpret_cast<const uint8_t*>(data.data()), data.size())),
            out);
}

TEST(MembershipEnvelope, SealOpenRoundTrip) {
  MacKey key(Key());
  const EnvelopeHeader header{0x0102030405060708ULL, 99, Name("node-a")};
  const core::Bytes payload = SamplePayload();
  const core::Bytes datagram = Seal(header, payload, key);
  EXPECT_EQ(datagram.size(), EnvelopeOverhead(header.sender) + payload.size());
  auto opened = Open(datagram, key);
  ASSERT_TRUE(opened.ok()) << opened.error().detail;
  EXPECT_EQ(opened->header, header);
  EXPECT_EQ(core::Bytes(opened->payload.begin(), opened->payload.end()), payload);
}

TEST(MembershipEnvelope, WrongKeyIsBadMac) {
  const core::Bytes datagram =
      Seal(EnvelopeHeader{1, 1, Name("node-a")}, SamplePayload(), MacKey(Key(0x11)));
  auto opened = Open(datagram, MacKey(Key(0x12)));
  ASSERT_FALSE(opened.ok());
  EXPECT_EQ(opened.error().kind, DecodeErrorKind::kBadMac);
}

TEST(MembershipEnvelope, AnyFlippedBitIsRejected) {
  MacKey key(Key());
  const core::Bytes datagram = Seal(EnvelopeHeader{1, 1, Name("node-a")}, SamplePayload(), key);
  for (size_t i = 0; i < datagram.size(); ++i) {
    for (int bit = 0; bit < 8; ++bit) {
      core::Bytes forged = datagram;
      forged[i] ^= static_cast<uint8_t>(1 << bit);
      auto opened = Open(forged, key);
      ASSERT_FALSE(opened.ok()) << "byte " << i << " bit " << bit;
      EXPECT_EQ(opened.error().kind,
                i == 0 ? DecodeErrorKind::kBadVersion : DecodeErrorKind::kBadMac);
    }
  }
}

TEST(MembershipEnvelope, SizeAndVersionChecks) {
  MacKey key(Key());
  auto short_one = Open(core::Bytes(kMinDatagramSize - 1, 1), key);
  ASSERT_FALSE(short_one.ok());
  EXPECT_EQ(short_one.error().kind, DecodeErrorKind::kTooShort);
  auto long_one = Open(core::Bytes(kMaxDatagramSize + 1, 1), key);
  ASSERT_FALSE(long_one.ok());
  EXPECT_EQ(long_one.error().kind, DecodeErrorKind::kTooLong);
  core::Bytes v2 = Seal(EnvelopeHeader{1, 1, Name("a")}, SamplePayload(), key);
  v2[0] = 2;
  auto bad_version = Open(v2, key);
  ASSERT_FALSE(bad_version.ok());
  EXPECT_EQ(bad_version.error().kind, DecodeErrorKind::kBadVersion);
}

// Re-signs `datagram` after a header edit, to reach the checks behind the MAC.
core::Bytes Resign(core::Bytes datagram, const MacKey& key) {
  datagram.resize(datagram.size() - kMacSize);
  const Mac mac = key.Compute(datagram);
  datagram.insert(datagram.end(), mac.begin(), mac.end());
  return datagram;
}

TEST(MembershipEnvelope, AuthenticatedButMalformedHeaders) {
  MacKey key(Key());
  const core::Bytes good = Seal(EnvelopeHeader{1, 1, Name("node-a")}, SamplePayload(), key);
  core::Bytes flags = good;
  flags[1] = 0x80;
  auto f = Open(Resign(flags, key), key);
  ASSERT_FALSE(f.ok());
  EXPECT_EQ(f.error().kind, DecodeErrorKind::kBadFlags);

  core::Bytes name = good;
  name[kFixedHeaderSize + 1] = 'N';  // upper case is not an RFC 1123 name
  auto n = Open(Resign(name, key), key);
  ASSERT_FALSE(n.ok());
  EXPECT_EQ(n.error().kind, DecodeErrorKind::kBadNodeName);

  core::Bytes long_name = good;
  long_name[kFixedHeaderSize] = 200;  // name length past the end
  auto l = Open(Resign(long_name, key), key);
  ASSERT_FALSE(l.ok());
  EXPECT_EQ(l.error().kind, DecodeErrorKind::kTruncated);
}

TEST(MembershipEnvelope, ParseUnauthenticatedSkipsOnlyTheMac) {
  MacKey key(Key());
  core::Bytes datagram = Seal(EnvelopeHeader{5, 6, Name("node-a")}, SamplePayload(), key);
  datagram.back() ^= 1;
  EXPECT_FALSE(Open(datagram, key).ok());
  auto parsed = ParseUnauthenticated(datagram);
  ASSERT_TRUE(parsed.ok());
  EXPECT_EQ(parsed->header.sequence, 6u);
  EXPECT_TRUE(DecodeMessage(parsed->payload).ok());
}

TEST(MembershipEnvelope, LargestMessageFits) {
  // The biggest mandatory part (a ping-req between 253-character names)
  // leaves room for piggybacked gossip within the datagram limit.
  const std::string longest = std::string(63, 'a') + "." + std::string(63, 'b') + "." +
                              std::string(63, 'c') + "." + std::string(61, 'd');
  const Message m{PingReq{1, true, Name(longest), core::Endpoint{core::Ipv6Addr(), 1}}, {}};
  EXPECT_LT(EnvelopeOverhead(Name(longest)) + EncodedSize(m), kMaxDatagramSize / 2);
}

}  // namespace
}  // namespace vipcast::wire::membership
