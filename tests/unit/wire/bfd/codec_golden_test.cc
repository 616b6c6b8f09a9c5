// Golden bytes for BFD Control packets, worked out by hand from the RFC 5880
// 4.1 figure: Vers(3) Diag(5) | Sta(2) P F C A D M | Detect Mult | Length,
// then five 32-bit fields (intervals in microseconds).
#include <gtest/gtest.h>

#include "engine/core/bytes.h"
#include "engine/wire/bfd/codec.h"

namespace vipcast::wire::bfd {
namespace {

using core::Duration;

core::Bytes Hex(const char* text) { return core::FromHex(text).value(); }

ControlPacket UpPacket() {
  ControlPacket p;
  p.state = State::kUp;
  p.detect_mult = 3;
  p.my_discriminator = 0x11223344;
  p.your_discriminator = 0x55667788;
  p.desired_min_tx = Duration::Microseconds(300000);
  p.required_min_rx = Duration::Microseconds(300000);
  return p;
}

// Version 1 in the top three bits: 001 00000 = 0x20. Up = 3 in the top two
// bits of byte 1: 11 000000 = 0xc0. Length 24 = 0x18. 300000 us = 0x000493e0.
constexpr const char* kUpGolden =
    "20 c0 03 18  11 22 33 44  55 66 77 88  00 04 93 e0  00 04 93 e0  00 00 00 00";

TEST(BfdCodecGolden, EncodesUpPacket) {
  EXPECT_EQ(core::ToHex(Encode(UpPacket())), core::ToHex(Hex(kUpGolden)));
}

TEST(BfdCodecGolden, DecodesUpPacket) {
  auto decoded = Decode(Hex(kUpGolden));
  ASSERT_TRUE(decoded.ok()) << decoded.error().detail;
  EXPECT_EQ(decoded.value(), UpPacket());
}

// Diag 1 (Control Detection Time Expired): 001 00001 = 0x21. Down = 1 with P:
// 01 1 0 0 0 0 0 = 0x60. 1 s = 0x000f4240 us, 50 ms = 0x0000c350 us.
TEST(BfdCodecGolden, DownWithPollAndDiag) {
  ControlPacket p;
  p.diag = Diag::kControlDetectionTimeExpired;
  p.state = State::kDown;
  p.poll = true;
  p.detect_mult = 5;
  p.my_discriminator = 1;
  p.desired_min_tx = Duration::Seconds(1);
  p.required_min_rx = Duration::Milliseconds(50);
  p.required_min_echo_rx = Duration::Milliseconds(50);
  const char* golden =
      "21 60 05 18  00 00 00 01  00 00 00 00  00 0f 42 40  00 00 c3 50  00 00 c3 50";
  EXPECT_EQ(core::ToHex(Encode(p)), core::ToHex(Hex(golden)));
  auto decoded = Decode(Hex(golden));
  ASSERT_TRUE(decoded.ok()) << decoded.error().detail;
  EXPECT_EQ(decoded.value(), p);
}

// Diag 7 (Administratively Down): 0x27. AdminDown = 0 with F, C and D:
// 00 0 1 1 0 1 0 = 0x1a.
TEST(BfdCodecGolden, AdminDownWithFinalControlIndependentDemand) {
  ControlPacket p;
  p.diag = Diag::kAdministrativelyDown;
  p.state = State::kAdminDown;
  p.final = true;
  p.control_plane_independent = true;
  p.demand = true;
  p.detect_mult = 255;
  p.my_discriminator = 0xffffffff;
  p.your_discriminator = 0;
  p.desired_min_tx = Duration::Microseconds(0xffffffff);
  p.required_min_rx = Duration::Zero();
  const char* golden =
      "27 1a ff 18  ff ff ff ff  00 00 00 00  ff ff ff ff  00 00 00 00  00 00 00 00";
  EXPECT_EQ(core::ToHex(Encode(p)), core::ToHex(Hex(golden)));
  auto decoded = Decode(Hex(golden));
  ASSERT_TRUE(decoded.ok()) << decoded.error().detail;
  EXPECT_EQ(decoded.value(), p);
}

// RFC 5880 4.2: Simple Password "secret", Key ID 2: Auth Type 1, Auth Len
// 3 + 6 = 9. A bit: Up (0xc0) | 0x04 = 0xc4; Length 24 + 9 = 33 = 0x21.
TEST(BfdCodecGolden, SimplePasswordSection) {
  ControlPacket p = UpPacket();
  p.auth = AuthSection{AuthType::kSimplePassword, 2, 0, {'s', 'e', 'c', 'r', 'e', 't'}};
  const char* golden =
      "20 c4 03 21  11 22 33 44  55 66 77 88  00 04 93 e0  00 04 93 e0  00 00 00 00"
      "01 09 02 73 65 63 72 65 74";
  EXPECT_EQ(core::ToHex(Encode(p)), core::ToHex(Hex(golden)));
  auto parsed = Decode(Hex(golden), AuthPolicy::kParse);
  ASSERT_TRUE(parsed.ok()) << parsed.error().detail;
  EXPECT_EQ(parsed.value(), p);
}

// RFC 5880 4.3: Keyed MD5, Auth Len 24, Key ID 7, Reserved 0, Sequence
// 0x01020304, 16-byte digest. Length 24 + 24 = 48 = 0x30.
TEST(BfdCodecGolden, KeyedMd5Section) {
  ControlPacket p = UpPacket();
  p.auth = AuthSection{AuthType::kKeyedMd5, 7, 0x01020304, core::Bytes(16, 0xab)};
  const char* golden =
      "20 c4 03 30  11 22 33 44  55 66 77 88  00 04 93 e0  00 04 93 e0  00 00 00 00"
      "02 18 07 00 01 02 03 04 abababababababababababababababab";
  EXPECT_EQ(core::ToHex(Encode(p)), core::ToHex(Hex(golden)));
  auto parsed = Decode(Hex(golden), AuthPolicy::kParse);
  ASSERT_TRUE(parsed.ok()) << parsed.error().detail;
  EXPECT_EQ(parsed.value(), p);
}

// RFC 5880 4.4: Meticulous Keyed SHA1, Auth Len 28, 20-byte hash. Length
// 24 + 28 = 52 = 0x34.
TEST(BfdCodecGolden, MeticulousKeyedSha1Section) {
  ControlPacket p = UpPacket();
  p.auth = AuthSection{AuthType::kMeticulousKeyedSha1, 1, 0x00000102, core::Bytes(20, 0x5a)};
  const char* golden =
      "20 c4 03 34  11 22 33 44  55 66 77 88  00 04 93 e0  00 04 93 e0  00 00 00 00"
      "05 1c 01 00 00 00 01 02 5a5a5a5a5a5a5a5a5a5a5a5a5a5a5a5a5a5a5a5a";
  EXPECT_EQ(core::ToHex(Encode(p)), core::ToHex(Hex(golden)));
  auto parsed = Decode(Hex(golden), AuthPolicy::kParse);
  ASSERT_TRUE(parsed.ok()) << parsed.error().detail;
  EXPECT_EQ(parsed.value(), p);
}

TEST(BfdCodecGolden, AuthenticatedPacketIsReportedUnsupportedByDefault) {
  const char* golden =
      "20 c4 03 21  11 22 33 44  55 66 77 88  00 04 93 e0  00 04 93 e0  00 00 00 00"
      "01 09 02 73 65 63 72 65 74";
  auto decoded = Decode(Hex(golden));
  ASSERT_FALSE(decoded.ok());
  EXPECT_EQ(decoded.error().kind, DecodeErrorKind::kAuthenticationUnsupported);
  EXPECT_NE(decoded.error().detail.find("Simple Password"), std::string::npos);
}

TEST(BfdCodecGolden, TrailingBytesAfterLengthAreIgnored) {
  core::Bytes bytes = Hex(kUpGolden);
  bytes.push_back(0xee);
  bytes.push_back(0xff);
  auto decoded = Decode(bytes);
  ASSERT_TRUE(decoded.ok()) << decoded.error().detail;
  EXPECT_EQ(decoded.value(), UpPacket());
}

TEST(BfdCodecGolden, ReservedDiagnosticSurvivesRoundTrip) {
  ControlPacket p = UpPacket();
  p.diag = static_cast<Diag>(31);
  auto decoded = Decode(Encode(p));
  ASSERT_TRUE(decoded.ok());
  EXPECT_EQ(decoded.value().diag, static_cast<Diag>(31));
  EXPECT_EQ(ToString(static_cast<Diag>(31)), "Reserved (31)");
}

TEST(BfdCodecGolden, EncoderSaturatesAndTruncates) {
  ControlPacket p = UpPacket();
  p.desired_min_tx = Duration::Seconds(100000);     // beyond 2^32-1 us
  p.required_min_rx = Duration::Nanoseconds(1500);  // 1.5 us -> 1 us
  auto decoded = Decode(Encode(p));
  ASSERT_TRUE(decoded.ok());
  EXPECT_EQ(decoded.value().desired_min_tx, Duration::Microseconds(0xffffffff));
  EXPECT_EQ(decoded.value().required_min_rx, Duration::Microseconds(1));

  p.auth = AuthSection{AuthType::kSimplePassword, 0, 0, core::Bytes(40, 'x')};
  EXPECT_EQ(Encode(p).size(), 24u + 3u + 16u);  // RFC 5880 4.2: at most 16 bytes
  auto parsed = Decode(Encode(p), AuthPolicy::kParse);
  ASSERT_TRUE(parsed.ok());
  EXPECT_EQ(parsed.value().auth->value.size(), 16u);
}

TEST(BfdCodecGolden, NamesOfStatesAndDiagnostics) {
  EXPECT_EQ(ToString(State::kAdminDown), "AdminDown");
  EXPECT_EQ(ToString(State::kDown), "Down");
  EXPECT_EQ(ToString(State::kInit), "Init");
  EXPECT_EQ(ToString(State::kUp), "Up");
  EXPECT_EQ(ToString(Diag::kNeighborSignaledSessionDown), "Neighbor Signaled Session Down");
  EXPECT_EQ(ToString(AuthType::kKeyedSha1), "Keyed SHA1");
}

}  // namespace
}  // namespace vipcast::wire::bfd
