// One test per discard rule: every DecodeErrorKind is produced by the input
// the RFC names, and nothing crashes on short or hostile input.
#include <gtest/gtest.h>

#include <set>

#include "engine/core/bytes.h"
#include "engine/wire/bfd/codec.h"

namespace vipcast::wire::bfd {
namespace {

// A valid Up packet (see codec_golden_test.cc).
core::Bytes Valid() {
  return core::FromHex("20c00318 11223344 55667788 000493e0 000493e0 00000000").value();
}

// A valid Up packet with a Simple Password section ("pw", Auth Len 5).
core::Bytes ValidWithAuth() {
  return core::FromHex("20c4031d 11223344 55667788 000493e0 000493e0 00000000 0105017077").value();
}

DecodeErrorKind KindOf(const core::Bytes& bytes,
                       AuthPolicy policy = AuthPolicy::kRejectAsUnsupported) {
  auto decoded = Decode(bytes, policy);
  EXPECT_FALSE(decoded.ok());
  if (decoded.ok()) return DecodeErrorKind::kTruncated;
  EXPECT_FALSE(decoded.error().detail.empty());
  return decoded.error().kind;
}

TEST(BfdCodecMalformed, ValidBaselinesDecode) {
  EXPECT_TRUE(Decode(Valid()).ok());
  EXPECT_TRUE(Decode(ValidWithAuth(), AuthPolicy::kParse).ok());
}

TEST(BfdCodecMalformed, Truncated) {
  EXPECT_EQ(KindOf({}), DecodeErrorKind::kTruncated);
  EXPECT_EQ(KindOf({0x20}), DecodeErrorKind::kTruncated);
  EXPECT_EQ(KindOf({0x20, 0xc0, 0x03}), DecodeErrorKind::kTruncated);
}

// RFC 5880 6.8.6: "If the version number is not correct (1) ..."
TEST(BfdCodecMalformed, BadVersion) {
  for (uint8_t version : {0, 2, 3, 7}) {
    core::Bytes b = Valid();
    b[0] = static_cast<uint8_t>((version << 5) | (b[0] & 0x1f));
    EXPECT_EQ(KindOf(b), DecodeErrorKind::kBadVersion) << int{version};
  }
  // The version is checked before the length, even on a 1-byte payload.
  EXPECT_EQ(KindOf({0x00}), DecodeErrorKind::kBadVersion);
}

// RFC 5880 6.8.6: Length less than 24 (A clear) or 26 (A set).
TEST(BfdCodecMalformed, LengthTooSmall) {
  core::Bytes b = Valid();
  b[3] = 23;
  EXPECT_EQ(KindOf(b), DecodeErrorKind::kLengthTooSmall);
  b[3] = 0;
  EXPECT_EQ(KindOf(b), DecodeErrorKind::kLengthTooSmall);
  core::Bytes a = ValidWithAuth();
  a[3] = 25;
  EXPECT_EQ(KindOf(a), DecodeErrorKind::kLengthTooSmall);
  a[3] = 24;  // enough without A, not with it
  EXPECT_EQ(KindOf(a), DecodeErrorKind::kLengthTooSmall);
}

// RFC 5880 6.8.6: Length greater than the payload.
TEST(BfdCodecMalformed, LengthExceedsPayload) {
  core::Bytes b = Valid();
  b[3] = 25;
  EXPECT_EQ(KindOf(b), DecodeErrorKind::kLengthExceedsPayload);
  b[3] = 255;
  EXPECT_EQ(KindOf(b), DecodeErrorKind::kLengthExceedsPayload);
  b = Valid();
  b.resize(20);  // a short datagram whose header claims 24
  EXPECT_EQ(KindOf(b), DecodeErrorKind::kLengthExceedsPayload);
}

// RFC 5880 6.8.6: Detect Mult zero.
TEST(BfdCodecMalformed, ZeroDetectMult) {
  core::Bytes b = Valid();
  b[2] = 0;
  EXPECT_EQ(KindOf(b), DecodeErrorKind::kZeroDetectMult);
}

// RFC 5880 6.8.6: Multipoint bit set.
TEST(BfdCodecMalformed, Multipoint) {
  core::Bytes b = Valid();
  b[1] |= 0x01;
  EXPECT_EQ(KindOf(b), DecodeErrorKind::kMultipoint);
}

// RFC 5880 6.8.6: My Discriminator zero.
TEST(BfdCodecMalformed, ZeroMyDiscriminator) {
  core::Bytes b = Valid();
  b[4] = b[5] = b[6] = b[7] = 0;
  EXPECT_EQ(KindOf(b), DecodeErrorKind::kZeroMyDiscriminator);
}

// RFC 5880 6.8.6: Your Discriminator zero is only allowed in Down/AdminDown.
TEST(BfdCodecMalformed, ZeroYourDiscriminatorOnlyInDownOrAdminDown) {
  for (uint8_t state : {0, 1, 2, 3}) {
    core::Bytes b = Valid();
    b[1] = static_cast<uint8_t>(state << 6);
    b[8] = b[9] = b[10] = b[11] = 0;
    auto decoded = Decode(b);
    if (state == 0 || state == 1) {
      EXPECT_TRUE(decoded.ok()) << int{state};
    } else {
      ASSERT_FALSE(decoded.ok()) << int{state};
      EXPECT_EQ(decoded.error().kind, DecodeErrorKind::kZeroYourDiscriminator);
    }
  }
}

// RFC 5880 4.1/4.2: Auth Len must match Length - 24 and the type's size.
TEST(BfdCodecMalformed, AuthMalformed) {
  // Auth Len says 6 but Length leaves 5.
  core::Bytes b = ValidWithAuth();
  b[25] = 6;
  EXPECT_EQ(KindOf(b), DecodeErrorKind::kAuthMalformed);
  // Section shorter than its 3-byte header (Length 26, A set).
  b = ValidWithAuth();
  b[3] = 26;
  EXPECT_EQ(KindOf(b), DecodeErrorKind::kAuthMalformed);
  // Simple Password with an empty password (Auth Len 3).
  b = ValidWithAuth();
  b[3] = 27;
  b[25] = 3;
  EXPECT_EQ(KindOf(b), DecodeErrorKind::kAuthMalformed);
  // Simple Password of 17 bytes (Auth Len 20).
  b = core::FromHex("20c40320 11223344 55667788 000493e0 000493e0 00000000").value();
  b[3] = 24 + 20;
  const core::Bytes pw = core::FromHex("011401").value();
  b.insert(b.end(), pw.begin(), pw.end());
  b.insert(b.end(), 17, 'x');
  EXPECT_EQ(KindOf(b), DecodeErrorKind::kAuthMalformed);
  // Keyed MD5 must have Auth Len 24 (RFC 5880 4.3): give it 28.
  b = core::FromHex("20c40334 11223344 55667788 000493e0 000493e0 00000000").value();
  const core::Bytes md5 = core::FromHex("021c0100 00000001").value();
  b.insert(b.end(), md5.begin(), md5.end());
  b.insert(b.end(), 20, 0);
  EXPECT_EQ(KindOf(b), DecodeErrorKind::kAuthMalformed);
  // Keyed SHA1 must have Auth Len 28 (RFC 5880 4.4): give it 24.
  b = core::FromHex("20c40330 11223344 55667788 000493e0 000493e0 00000000").value();
  const core::Bytes sha1 = core::FromHex("04180100 00000001").value();
  b.insert(b.end(), sha1.begin(), sha1.end());
  b.insert(b.end(), 16, 0);
  EXPECT_EQ(KindOf(b), DecodeErrorKind::kAuthMalformed);
}

TEST(BfdCodecMalformed, AuthUnknownType) {
  for (uint8_t type : {0, 6, 200, 255}) {
    core::Bytes b = ValidWithAuth();
    b[24] = type;
    EXPECT_EQ(KindOf(b, AuthPolicy::kParse), DecodeErrorKind::kAuthUnknownType) << int{type};
  }
}

TEST(BfdCodecMalformed, AuthenticationUnsupported) {
  EXPECT_EQ(KindOf(ValidWithAuth()), DecodeErrorKind::kAuthenticationUnsupported);
}

TEST(BfdCodecMalformed, EveryKindHasADistinctName) {
  std::set<std::string_view> names;
  for (DecodeErrorKind kind : kAllDecodeErrorKinds) {
    EXPECT_NE(ToString(kind), "unknown");
    names.insert(ToString(kind));
  }
  EXPECT_EQ(names.size(), std::size(kAllDecodeErrorKinds));
}

// Every prefix of valid packets and every single-byte corruption decodes or
// fails cleanly (run under ASan/UBSan).
TEST(BfdCodecMalformed, PrefixesAndByteFlipsNeverCrash) {
  for (const core::Bytes& base : {Valid(), ValidWithAuth()}) {
    for (size_t n = 0; n <= base.size(); ++n) {
      (void)Decode(core::ByteSpan(base.data(), n), AuthPolicy::kParse);
    }
    for (size_t i = 0; i < base.size(); ++i) {
      for (int v = 0; v < 256; ++v) {
        core::Bytes b = base;
        b[i] = static_cast<uint8_t>(v);
        auto decoded = Decode(b, AuthPolicy::kParse);
        if (decoded.ok()) {
          // Whatever decodes re-encodes to a packet that decodes the same.
          auto again = Decode(Encode(decoded.value()), AuthPolicy::kParse);
          ASSERT_TRUE(again.ok());
          EXPECT_EQ(again.value(), decoded.value());
        }
      }
    }
  }
}

}  // namespace
}  // namespace vipcast::wire::bfd
