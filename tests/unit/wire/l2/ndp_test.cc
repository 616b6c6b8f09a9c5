// Neighbor Discovery decoding: the Linux goldens and every rule of RFC 4861
// 7.1.1/7.1.2 and 4.6, each broken on its own with a valid checksum so that
// the reported reason is the rule under test.
#include "engine/wire/l2/ndp.h"

#include <gtest/gtest.h>

#include "engine/wire/l2/frame.h"
#include "tests/unit/wire/l2/test_frames.h"

namespace vipcast::wire {
namespace {

using testing::FixIcmpv6Checksum;
using testing::Hex;

// Offsets in an untagged Ethernet/IPv6/ICMPv6 frame.
constexpr size_t kVersion = 14;
constexpr size_t kPayloadLength = 18;
constexpr size_t kNextHeader = 20;
constexpr size_t kHopLimit = 21;
constexpr size_t kSrc = 22;
constexpr size_t kDst = 38;
constexpr size_t kType = 54;
constexpr size_t kCode = 55;
constexpr size_t kChecksum = 56;
constexpr size_t kFlags = 58;
constexpr size_t kTarget = 62;
constexpr size_t kOptions = 78;

core::Bytes Ns() { return Hex(testing::kLinuxNeighborSolicitation); }
core::Bytes Na() { return Hex(testing::kLinuxNeighborAdvertisement); }

void SetPayloadLength(core::Bytes& f, size_t n) {
  f[kPayloadLength] = static_cast<uint8_t>(n >> 8);
  f[kPayloadLength + 1] = static_cast<uint8_t>(n);
}
void SetAddr(core::Bytes& f, size_t at, std::string_view text) {
  const auto a = core::Ipv6Addr::Parse(text).value();
  for (size_t i = 0; i < 16; ++i) f[at + i] = a.bytes()[i];
}
// Replaces everything after the fixed 24 bytes with `options` (hex).
void SetOptions(core::Bytes& f, std::string_view options) {
  f.resize(kOptions);
  const core::Bytes o = Hex(options);
  f.insert(f.end(), o.begin(), o.end());
  SetPayloadLength(f, f.size() - kType);
}

L2Error ErrorOf(const core::Bytes& frame) {
  auto parsed = ParseFrame(frame);
  EXPECT_FALSE(parsed.ok());
  return parsed.ok() ? L2Error::kUnsupportedEtherType : parsed.error();
}

TEST(Ndp, DecodesLinuxSolicitation) {
  auto f = ParseFrame(Ns());
  ASSERT_TRUE(f.ok()) << ToString(f.error());
  const auto& p = std::get<NdpPacket>(f->payload);
  EXPECT_EQ(p.ip.src.ToString(), "2001:db8::1");
  EXPECT_EQ(p.ip.dst.ToString(), "ff02::1:ff00:2");
  EXPECT_EQ(p.ip.hop_limit, 255);
  const auto& ns = std::get<NeighborSolicitation>(p.message);
  EXPECT_EQ(ns.target.ToString(), "2001:db8::2");
  ASSERT_TRUE(ns.source_lla.has_value());
  EXPECT_EQ(ns.source_lla->ToString(), "02:00:00:00:00:0a");
}

TEST(Ndp, DecodesLinuxAdvertisement) {
  auto f = ParseFrame(Na());
  ASSERT_TRUE(f.ok()) << ToString(f.error());
  const auto& na = std::get<NeighborAdvertisement>(std::get<NdpPacket>(f->payload).message);
  EXPECT_FALSE(na.router_flag);
  EXPECT_TRUE(na.solicited_flag);
  EXPECT_TRUE(na.override_flag);
  EXPECT_EQ(na.target.ToString(), "2001:db8::2");
  EXPECT_EQ(na.target_lla->ToString(), "02:00:00:00:00:0b");
}

TEST(Ndp, EncodesLinuxFramesByteForByte) {
  for (auto hex : {testing::kLinuxNeighborSolicitation, testing::kLinuxNeighborAdvertisement}) {
    auto f = ParseFrame(Hex(hex));
    ASSERT_TRUE(f.ok());
    EXPECT_EQ(core::ToHex(EncodeFrame(*f)), core::ToHex(Hex(hex)));
  }
}

TEST(Ndp, IgnoresLinkLayerPaddingAfterPayloadLength) {
  core::Bytes f = Ns();
  f.insert(f.end(), 20, 0xee);
  EXPECT_TRUE(ParseFrame(f).ok());
}

TEST(Ndp, SkipsUnknownOptionsByLength) {
  // RFC 4861 4.6 / 4.3: unrecognised options are ignored. Type 14 is the
  // RFC 3971 nonce; put one before and one after the SLLA.
  core::Bytes f = Ns();
  SetOptions(f, "0e01 112233445566  0101 02000000000a  0e02 0000000000000000000000000000");
  FixIcmpv6Checksum(f);
  auto parsed = ParseFrame(f);
  ASSERT_TRUE(parsed.ok()) << ToString(parsed.error());
  const auto& ns = std::get<NeighborSolicitation>(std::get<NdpPacket>(parsed->payload).message);
  EXPECT_EQ(ns.source_lla->ToString(), "02:00:00:00:00:0a");
}

TEST(Ndp, FirstOfDuplicateLinkLayerOptionsWinsAndWrongDirectionIsIgnored) {
  core::Bytes f = Ns();
  // A target LLA (meaningless in an NS), then two source LLAs.
  SetOptions(f, "0201 0a0a0a0a0a0a  0101 020000000001  0101 020000000002");
  FixIcmpv6Checksum(f);
  auto parsed = ParseFrame(f);
  ASSERT_TRUE(parsed.ok());
  const auto& ns = std::get<NeighborSolicitation>(std::get<NdpPacket>(parsed->payload).message);
  EXPECT_EQ(ns.source_lla->ToString(), "02:00:00:00:00:01");
}

TEST(Ndp, SolicitationWithoutOptionsIsValid) {
  core::Bytes f = Ns();
  SetOptions(f, "");
  FixIcmpv6Checksum(f);
  auto parsed = ParseFrame(f);
  ASSERT_TRUE(parsed.ok());
  EXPECT_FALSE(
      std::get<NeighborSolicitation>(std::get<NdpPacket>(parsed->payload).message).source_lla);
}

TEST(Ndp, DadSolicitationIsValid) {
  core::Bytes f = Ns();
  SetAddr(f, kSrc, "::");
  SetOptions(f, "");
  FixIcmpv6Checksum(f);
  EXPECT_TRUE(ParseFrame(f).ok());
}

TEST(Ndp, RejectsHopLimitBelow255) {
  // RFC 4861 7.1.1: anything else may have been forwarded by a router.
  core::Bytes f = Ns();
  f[kHopLimit] = 254;  // not in the pseudo-header: checksum still valid
  EXPECT_EQ(ErrorOf(f), L2Error::kNdpHopLimit);
}

TEST(Ndp, RejectsBadChecksum) {
  core::Bytes f = Ns();
  f[kChecksum + 1] ^= 0x01;
  EXPECT_EQ(ErrorOf(f), L2Error::kIcmpv6Checksum);
  // A bit flipped anywhere in the covered data, e.g. the pseudo-header's
  // destination, is caught too.
  core::Bytes g = Na();
  g[kDst + 15] ^= 0x01;
  EXPECT_EQ(ErrorOf(g), L2Error::kIcmpv6Checksum);
}

TEST(Ndp, RejectsNonZeroCode) {
  core::Bytes f = Ns();
  f[kCode] = 1;
  FixIcmpv6Checksum(f);
  EXPECT_EQ(ErrorOf(f), L2Error::kNdpCode);
}

TEST(Ndp, RejectsMessagesShorterThan24Bytes) {
  core::Bytes f = Ns();
  f.resize(kType + 20);
  SetPayloadLength(f, 20);
  FixIcmpv6Checksum(f);
  EXPECT_EQ(ErrorOf(f), L2Error::kNdpTooShort);
}

TEST(Ndp, RejectsMulticastTarget) {
  core::Bytes f = Ns();
  SetAddr(f, kTarget, "ff02::1");
  FixIcmpv6Checksum(f);
  EXPECT_EQ(ErrorOf(f), L2Error::kNdpTargetMulticast);
}

TEST(Ndp, RejectsOptionOfLengthZero) {
  // RFC 4861 4.6: "Nodes MUST silently discard an ND packet that contains
  // an option with length zero."
  core::Bytes f = Ns();
  SetOptions(f, "0e00 000000000000");
  FixIcmpv6Checksum(f);
  EXPECT_EQ(ErrorOf(f), L2Error::kNdpOptionLengthZero);
}

TEST(Ndp, RejectsTruncatedOptions) {
  core::Bytes f = Ns();
  SetOptions(f, "0102 02000000000a");  // claims 16 bytes, has 8
  FixIcmpv6Checksum(f);
  EXPECT_EQ(ErrorOf(f), L2Error::kNdpOptionTruncated);
  core::Bytes g = Ns();
  SetOptions(g, "0101 02000000000a 0e");  // a lone type byte
  FixIcmpv6Checksum(g);
  EXPECT_EQ(ErrorOf(g), L2Error::kNdpOptionTruncated);
}

TEST(Ndp, RejectsLinkLayerOptionOfWrongSize) {
  core::Bytes f = Ns();
  SetOptions(f, "0102 02000000000a 0000000000000000");
  FixIcmpv6Checksum(f);
  EXPECT_EQ(ErrorOf(f), L2Error::kNdpLinkLayerOptionLength);
}

TEST(Ndp, RejectsDadSolicitationWithSourceLinkLayerOption) {
  core::Bytes f = Ns();
  SetAddr(f, kSrc, "::");
  FixIcmpv6Checksum(f);
  EXPECT_EQ(ErrorOf(f), L2Error::kNdpDadWithSourceLla);
}

TEST(Ndp, RejectsDadSolicitationNotToSolicitedNodeGroup) {
  core::Bytes f = Ns();
  SetAddr(f, kSrc, "::");
  SetAddr(f, kDst, "ff02::1");
  SetOptions(f, "");
  FixIcmpv6Checksum(f);
  EXPECT_EQ(ErrorOf(f), L2Error::kNdpDadDestination);
}

TEST(Ndp, RejectsSolicitedAdvertisementToMulticast) {
  core::Bytes f = Na();
  SetAddr(f, kDst, "ff02::1");
  FixIcmpv6Checksum(f);
  EXPECT_EQ(ErrorOf(f), L2Error::kNdpSolicitedToMulticast);
  // The same advertisement with S=0 is a valid unsolicited one.
  f[kFlags] = 0x20;
  FixIcmpv6Checksum(f);
  EXPECT_TRUE(ParseFrame(f).ok());
}

TEST(Ndp, RejectsBrokenIpv6Headers) {
  core::Bytes version = Ns();
  version[kVersion] = 0x40;
  EXPECT_EQ(ErrorOf(version), L2Error::kIpv6Version);

  core::Bytes too_long = Ns();
  SetPayloadLength(too_long, 33);
  EXPECT_EQ(ErrorOf(too_long), L2Error::kIpv6PayloadLength);

  core::Bytes multicast_source = Ns();
  SetAddr(multicast_source, kSrc, "ff02::2");
  FixIcmpv6Checksum(multicast_source);
  EXPECT_EQ(ErrorOf(multicast_source), L2Error::kIpv6SourceMulticast);

  const core::Bytes ns = Ns();
  for (size_t n = kEthernetHeaderSize; n < kEthernetHeaderSize + kIpv6HeaderSize; ++n) {
    EXPECT_EQ(ErrorOf(core::Bytes(ns.begin(), ns.begin() + n)), L2Error::kTruncatedIpv6);
  }

  core::Bytes short_icmp = Ns();
  short_icmp.resize(kType + 3);
  SetPayloadLength(short_icmp, 3);
  EXPECT_EQ(ErrorOf(short_icmp), L2Error::kTruncatedIcmpv6);
}

TEST(Ndp, OtherIpv6TrafficIsNotOursRatherThanMalformed) {
  core::Bytes udp = Ns();
  udp[kNextHeader] = 17;
  EXPECT_EQ(ErrorOf(udp), L2Error::kUnsupportedNextHeader);
  core::Bytes echo = Ns();
  echo[kType] = 128;
  echo[kHopLimit] = 64;
  EXPECT_EQ(ErrorOf(echo), L2Error::kUnsupportedIcmpv6Type);
  EXPECT_FALSE(IsMalformed(L2Error::kUnsupportedNextHeader));
  EXPECT_FALSE(IsMalformed(L2Error::kUnsupportedIcmpv6Type));
}

TEST(Ndp, SizeCountsTheOptionalLinkLayerOption) {
  EXPECT_EQ(NdpSize(NdpMessage(NeighborSolicitation{})), 24u);
  NeighborAdvertisement na;
  na.target_lla = core::MacAddr::Broadcast();
  EXPECT_EQ(NdpSize(NdpMessage(na)), 32u);
}

}  // namespace
}  // namespace vipcast::wire
