#include <gtest/gtest.h>

#include "engine/wire/bgp/framer.h"
#include "engine/wire/bgp/json.h"
#include "engine/wire/bgp/render_json.h"
#include "tests/unit/wire/bgp/bgp_test_util.h"

namespace vipcast::wire::bgp {
namespace {

using namespace testing;

TEST(BgpFramer, ReassemblesMessagesFedOneOctetAtATime) {
  Bytes keepalive = Msg(4, {});
  Bytes notification = Msg(3, {6, 2, 0});
  Bytes update = UpdateMsg({}, {}, {});
  Bytes stream = Cat({keepalive, notification, update});
  MessageFramer framer;
  std::vector<Bytes> out;
  for (uint8_t b : stream) {
    ASSERT_EQ(framer.Feed(core::ByteSpan(&b, 1)), 1u);
    while (true) {
      auto next = framer.Next();
      ASSERT_TRUE(next.ok());
      if (!next->has_value()) break;
      out.push_back(**next);
    }
  }
  ASSERT_EQ(out.size(), 3u);
  EXPECT_EQ(out[0], keepalive);
  EXPECT_EQ(out[1], notification);
  EXPECT_EQ(out[2], update);
  EXPECT_EQ(framer.buffered(), 0u);
}

TEST(BgpFramer, WholeStreamInOneChunk) {
  Bytes stream = Cat({Msg(4, {}), Msg(4, {})});
  MessageFramer framer;
  EXPECT_EQ(framer.Feed(stream), stream.size());
  EXPECT_TRUE(framer.Next()->has_value());
  EXPECT_TRUE(framer.Next()->has_value());
  EXPECT_FALSE(framer.Next()->has_value());
}

TEST(BgpFramer, HeaderErrorIsReportedEarlyAndSticks) {
  MessageFramer framer;
  Bytes bad = Msg(4, {});
  bad[0] = 0;
  framer.Feed(bad);
  auto next = framer.Next();
  ASSERT_FALSE(next.ok());
  EXPECT_EQ(next.error().subcode, 1);
  EXPECT_TRUE(framer.failed());
  EXPECT_EQ(framer.Feed(Msg(4, {})), 0u);
  EXPECT_FALSE(framer.Next().ok());
}

TEST(BgpFramer, OversizeLengthFailsBeforeTheBodyArrives) {
  MessageFramer framer;
  Bytes header = Msg(2, {});
  header[16] = 0x20;  // 8192 + 23
  header.resize(19);
  framer.Feed(header);
  auto next = framer.Next();
  ASSERT_FALSE(next.ok());
  EXPECT_EQ(next.error().subcode, 2);
}

TEST(BgpFramer, BufferIsBoundedByTheMaximumMessageSize) {
  MessageFramer framer;
  Bytes big(10000, 0xff);
  EXPECT_EQ(framer.Feed(big), kMaxMessageSize);
  EXPECT_EQ(framer.buffered(), kMaxMessageSize);
  MessageFramer extended(Opts(false, true));
  EXPECT_EQ(extended.capacity(), kMaxExtendedMessageSize);
}

TEST(BgpFramer, ExtendedMessageAfterNegotiation) {
  Bytes big = UpdateMsg({}, Attr(0xd0, 99, Bytes(5000, 1)), {});
  MessageFramer framer;
  framer.Feed(core::ByteSpan(big).first(19));
  EXPECT_FALSE(framer.Next().ok());
  MessageFramer negotiated;
  negotiated.SetOptions(Opts(false, true));
  size_t offset = 0;
  while (offset < big.size()) offset += negotiated.Feed(core::ByteSpan(big).subspan(offset));
  auto next = negotiated.Next();
  ASSERT_TRUE(next.ok());
  ASSERT_TRUE(next->has_value());
  EXPECT_EQ(**next, big);
}

TEST(Json, WriterEscapesAndNests) {
  JsonWriter w;
  w.BeginObject()
      .Field("s", "a\"b\\c\n\x01")
      .Key("list")
      .BeginArray()
      .Int(-1)
      .Uint(2)
      .Bool(true)
      .Null()
      .EndArray()
      .Key("o")
      .BeginObject()
      .EndObject()
      .EndObject();
  EXPECT_EQ(w.str(), R"({"s":"a\"b\\c\n\u0001","list":[-1,2,true,null],"o":{}})");
}

TEST(Json, InvalidUtf8IsReplaced) {
  JsonWriter w;
  w.String("ok\xc3\xa9\xff");
  EXPECT_EQ(w.str(), "\"ok\xc3\xa9\xef\xbf\xbd\"");
  EXPECT_TRUE(IsValidUtf8("h\xc3\xa9llo"));
  EXPECT_FALSE(IsValidUtf8("\xed\xa0\x80"));  // surrogate
  EXPECT_FALSE(IsValidUtf8("\xc0\xaf"));      // overlong
}

TEST(Json, RendersEachMessageType) {
  EXPECT_EQ(DecodeToJson(Msg(4, {}), {}), R"({"type":"KEEPALIVE"})");
  auto notification = DecodeToJson(Msg(3, {6, 2, 2, 'h', 'i'}), {});
  EXPECT_NE(notification.find(R"("type":"NOTIFICATION")"), std::string::npos);
  EXPECT_NE(notification.find(R"("code_name":"Cease")"), std::string::npos);
  EXPECT_NE(notification.find(R"("message":"hi")"), std::string::npos);
  auto refresh = DecodeToJson(Msg(5, {0, 1, 1, 1}), {});
  EXPECT_NE(refresh.find(R"("subtype_name":"BoRR")"), std::string::npos);
  auto update = DecodeToJson(
      UpdateMsg({8, 10}, Cat({OriginAttr(), AsPath4(), NextHop()}), Nlri24()), Opts(true));
  EXPECT_NE(update.find(R"("type":"UPDATE")"), std::string::npos);
  EXPECT_NE(update.find(R"("withdrawn":["10.0.0.0/8"])"), std::string::npos);
  EXPECT_NE(update.find(R"("nlri":["198.51.100.0/24"])"), std::string::npos);
  EXPECT_NE(update.find(R"("text":"65000")"), std::string::npos);
  EXPECT_NE(update.find(R"("value":"192.0.2.1")"), std::string::npos);
}

TEST(Json, RendersErrorsWithHandling) {
  auto bad_type = DecodeToJson(Msg(9, {}), {});
  EXPECT_EQ(bad_type.find(R"({"type":9,"error":{"code":1,"subcode":3,"handling":"session-reset")"),
            0u)
      << bad_type;
  // Treat-as-withdraw: NEXT_HOP with 5 octets.
  auto taw = DecodeToJson(
      UpdateMsg({}, Cat({OriginAttr(), AsPath4(), Attr(0x40, 3, {1, 2, 3, 4, 5})}), Nlri24()),
      Opts(true));
  EXPECT_NE(taw.find(R"("handling":"treat-as-withdraw")"), std::string::npos) << taw;
  EXPECT_NE(taw.find(R"("withdraw":["198.51.100.0/24"])"), std::string::npos) << taw;
}

}  // namespace
}  // namespace vipcast::wire::bgp
