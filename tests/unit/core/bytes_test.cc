#include "engine/core/bytes.h"

#include <gtest/gtest.h>

#include <functional>
#include <string>
#include <vector>

namespace vipcast::core {
namespace {

const Bytes kSample = {0x01, 0x02, 0x03, 0x04, 0x05, 0x06, 0x07, 0x08, 0x09, 0x0a};

TEST(ByteReaderTest, ReadsBigEndianValues) {
  ByteReader r(kSample);
  EXPECT_EQ(r.remaining(), 10u);
  EXPECT_EQ(r.PeekU8(), 0x01);
  EXPECT_EQ(r.U8(), 0x01);
  EXPECT_EQ(r.U16(), 0x0203);
  EXPECT_EQ(r.U24(), 0x040506u);
  EXPECT_EQ(r.U32(), 0x0708090au);
  EXPECT_TRUE(r.empty());
  EXPECT_EQ(r.position(), 10u);

  ByteReader r64(kSample);
  EXPECT_EQ(r64.U64(), 0x0102030405060708u);
  EXPECT_EQ(r64.remaining(), 2u);
  EXPECT_EQ(r64.Rest().size(), 2u);
  EXPECT_EQ(r64.Rest()[0], 0x09);
}

TEST(ByteReaderTest, HighBitsDoNotSignExtend) {
  Bytes ff(8, 0xff);
  ByteReader r(ff);
  EXPECT_EQ(r.U16(), 0xffff);
  EXPECT_EQ(r.U24(), 0xffffffu);
  ByteReader r32(ff);
  EXPECT_EQ(r32.U32(), 0xffffffffu);
  ByteReader r64(ff);
  EXPECT_EQ(r64.U64(), ~uint64_t{0});
}

TEST(ByteReaderTest, TakeSubSkipAndCopy) {
  ByteReader r(kSample);
  auto taken = r.Take(3);
  ASSERT_TRUE(taken.has_value());
  EXPECT_EQ(Bytes(taken->begin(), taken->end()), (Bytes{0x01, 0x02, 0x03}));
  EXPECT_EQ(taken->data(), kSample.data()) << "Take is a view, not a copy";
  EXPECT_TRUE(r.Skip(1));
  auto sub = r.Sub(4);
  ASSERT_TRUE(sub.has_value());
  EXPECT_EQ(r.position(), 8u) << "the parent moves past the sub-reader's bytes";
  EXPECT_EQ(sub->U32(), 0x05060708u);
  EXPECT_FALSE(sub->U8().has_value()) << "the sub-reader is bounded to its n bytes";
  uint8_t out[2] = {};
  EXPECT_TRUE(r.CopyTo(out));
  EXPECT_EQ(out[0], 0x09);
  EXPECT_EQ(out[1], 0x0a);
  EXPECT_TRUE(r.empty());
  EXPECT_TRUE(r.Take(0).has_value()) << "zero bytes are always available";
  EXPECT_TRUE(r.Skip(0));
}

TEST(ByteReaderTest, DefaultReaderIsEmpty) {
  ByteReader r;
  EXPECT_TRUE(r.empty());
  EXPECT_FALSE(r.U8().has_value());
  EXPECT_FALSE(r.PeekU8().has_value());
}

// Every read needing more bytes than remain must fail and leave the reader
// exactly where it was, so a parser can report the error at the right offset
// and no byte past the end is ever touched (ASan checks the latter).
TEST(ByteReaderTest, EveryReadOnShortInputFailsWithoutMoving) {
  struct Read {
    const char* name;
    size_t needs;
    std::function<bool(ByteReader&)> attempt;  // true when the read succeeded
  };
  const std::vector<Read> reads = {
      {"U8", 1, [](ByteReader& r) { return r.U8().has_value(); }},
      {"PeekU8", 1, [](ByteReader& r) { return r.PeekU8().has_value(); }},
      {"U16", 2, [](ByteReader& r) { return r.U16().has_value(); }},
      {"U24", 3, [](ByteReader& r) { return r.U24().has_value(); }},
      {"U32", 4, [](ByteReader& r) { return r.U32().has_value(); }},
      {"U64", 8, [](ByteReader& r) { return r.U64().has_value(); }},
      {"Take(5)", 5, [](ByteReader& r) { return r.Take(5).has_value(); }},
      {"Sub(5)", 5, [](ByteReader& r) { return r.Sub(5).has_value(); }},
      {"Skip(5)", 5, [](ByteReader& r) { return r.Skip(5); }},
      {"CopyTo<6>", 6,
       [](ByteReader& r) {
         uint8_t out[6] = {9, 9, 9, 9, 9, 9};
         bool ok = r.CopyTo(out);
         if (!ok) {
           for (uint8_t b : out) EXPECT_EQ(b, 9) << "a failed copy must not write";
         }
         return ok;
       }},
  };
  for (const Read& read : reads) {
    for (size_t available = 0; available < read.needs; ++available) {
      // Allocate exactly `available` bytes behind a one-byte prefix so that
      // ASan flags any over-read, and position the reader after the prefix.
      Bytes buffer(1 + available, 0xab);
      ByteReader r(buffer);
      ASSERT_TRUE(r.U8().has_value());
      EXPECT_FALSE(read.attempt(r)) << read.name << " with " << available << " bytes";
      EXPECT_EQ(r.position(), 1u) << read.name << " moved on failure";
      EXPECT_EQ(r.remaining(), available);
    }
    Bytes exact(read.needs, 0xab);
    ByteReader r(exact);
    EXPECT_TRUE(read.attempt(r)) << read.name << " with exactly enough bytes";
  }
  // Huge lengths (as a hostile length field would give) fail cleanly too.
  ByteReader r(kSample);
  EXPECT_FALSE(r.Take(~size_t{0}).has_value());
  EXPECT_FALSE(r.Sub(~size_t{0}).has_value());
  EXPECT_FALSE(r.Skip(~size_t{0}));
  EXPECT_EQ(r.position(), 0u);
}

TEST(ByteWriterTest, WritesBigEndianValues) {
  ByteWriter w;
  w.U8(0x01);
  w.U16(0x0203);
  w.U24(0x040506);
  w.U32(0x0708090a);
  w.U64(0x0b0c0d0e0f101112);
  w.Append(Bytes{0xaa, 0xbb});
  w.Zeros(2);
  EXPECT_EQ(w.size(), 1u + 2 + 3 + 4 + 8 + 2 + 2);
  EXPECT_EQ(ToHex(w.bytes()),
            "010203040506070809"
            "0a0b0c0d0e0f101112aabb0000");
  Bytes taken = w.Take();
  EXPECT_EQ(taken.size(), 22u);
}

TEST(ByteWriterTest, U24KeepsOnlyTheLowThreeBytes) {
  ByteWriter w;
  w.U24(0xff123456);
  EXPECT_EQ(ToHex(w.bytes()), "123456");
}

TEST(ByteWriterTest, AppendsToACallerBuffer) {
  Bytes out = {0xee};
  ByteWriter w(&out);
  w.U16(0x1234);
  EXPECT_EQ(out, (Bytes{0xee, 0x12, 0x34}));
  EXPECT_EQ(w.size(), 3u);
  EXPECT_EQ(&w.bytes(), &out);
}

TEST(ByteWriterTest, PlaceholdersArePatchedLater) {
  ByteWriter w;
  w.U8(0x7f);
  size_t len16 = w.Placeholder16();
  size_t len8 = w.Placeholder8();
  w.U32(0xdeadbeef);
  w.Patch16(len16, 0xabcd);
  w.Patch8(len8, 4);
  EXPECT_EQ(len16, 1u);
  EXPECT_EQ(len8, 3u);
  EXPECT_EQ(ToHex(w.bytes()), "7fabcd04deadbeef");
}

TEST(ByteWriterTest, ReaderReadsWhatWriterWrote) {
  ByteWriter w;
  w.U8(200);
  w.U16(65000);
  w.U24(0xabcdef);
  w.U32(4000000000u);
  w.U64(~uint64_t{0} - 1);
  ByteReader r(w.bytes());
  EXPECT_EQ(r.U8(), 200);
  EXPECT_EQ(r.U16(), 65000);
  EXPECT_EQ(r.U24(), 0xabcdefu);
  EXPECT_EQ(r.U32(), 4000000000u);
  EXPECT_EQ(r.U64(), ~uint64_t{0} - 1);
  EXPECT_TRUE(r.empty());
}

TEST(HexTest, FormatsLowerCase) {
  EXPECT_EQ(ToHex(Bytes{}), "");
  EXPECT_EQ(ToHex(Bytes{0x00, 0x0f, 0xa0, 0xff}), "000fa0ff");
}

TEST(HexTest, ParsesWithSeparatorsAndEitherCase) {
  EXPECT_EQ(FromHex(""), Bytes{});
  EXPECT_EQ(FromHex("000fa0ff"), (Bytes{0x00, 0x0f, 0xa0, 0xff}));
  EXPECT_EQ(FromHex("00:0F:A0:ff"), (Bytes{0x00, 0x0f, 0xa0, 0xff}));
  EXPECT_EQ(FromHex("00 0f\ta0\r\nff"), (Bytes{0x00, 0x0f, 0xa0, 0xff}));
  // Separators may fall inside a byte: only digits count.
  EXPECT_EQ(FromHex("0 0"), (Bytes{0x00}));
}

TEST(HexTest, RejectsOddCountsAndNonHex) {
  EXPECT_EQ(FromHex("abc"), std::nullopt);
  EXPECT_EQ(FromHex("0g"), std::nullopt);
  EXPECT_EQ(FromHex("0x00"), std::nullopt);
  EXPECT_EQ(FromHex("00-11"), std::nullopt);
}

TEST(HexTest, RoundTripsEveryByte) {
  Bytes all;
  for (int i = 0; i < 256; ++i) all.push_back(static_cast<uint8_t>(i));
  EXPECT_EQ(FromHex(ToHex(all)), all);
}

}  // namespace
}  // namespace vipcast::core
