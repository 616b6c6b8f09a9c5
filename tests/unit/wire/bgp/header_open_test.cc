#include <gtest/gtest.h>

#include "engine/wire/bgp/error_codes.h"
#include "engine/wire/bgp/message.h"
#include "tests/unit/wire/bgp/bgp_test_util.h"

namespace vipcast::wire::bgp {
namespace {

using namespace testing;

Bytes OpenBody(uint8_t version, uint16_t as, uint16_t hold, uint32_t id, const Bytes& params) {
  core::ByteWriter w;
  w.U8(version);
  w.U16(as);
  w.U16(hold);
  w.U32(id);
  w.U8(static_cast<uint8_t>(params.size()));
  w.Append(params);
  return w.Take();
}

// Capabilities parameter holding `caps`.
Bytes CapParam(const Bytes& caps) { return Cat({{2, static_cast<uint8_t>(caps.size())}, caps}); }

DecodeError ExpectError(const Bytes& message, SessionOptions options = {}) {
  auto decoded = DecodeMessage(message, options);
  EXPECT_FALSE(decoded.ok());
  return decoded.ok() ? DecodeError{} : decoded.error();
}

void ExpectExactRoundTrip(const Bytes& message, SessionOptions options = {}) {
  auto decoded = DecodeMessage(message, options);
  ASSERT_TRUE(decoded.ok()) << decoded.error().reason;
  auto encoded = EncodeMessage(*decoded, options);
  ASSERT_TRUE(encoded.ok()) << encoded.error();
  EXPECT_EQ(core::ToHex(*encoded), core::ToHex(message));
}

TEST(BgpHeader, KeepaliveDecodesAndEncodes) {
  Bytes keepalive = Msg(4, {});
  auto decoded = DecodeMessage(keepalive, {});
  ASSERT_TRUE(decoded.ok());
  EXPECT_TRUE(std::holds_alternative<KeepaliveMessage>(*decoded));
  ExpectExactRoundTrip(keepalive);
}

TEST(BgpHeader, MarkerNotAllOnesIsConnectionNotSynchronized) {
  Bytes m = Msg(4, {});
  m[3] = 0xfe;
  auto e = ExpectError(m);
  EXPECT_EQ(e.code, 1);
  EXPECT_EQ(e.subcode, header_error::kConnectionNotSynchronized);
  EXPECT_EQ(e.handling, ErrorHandling::kSessionReset);
}

TEST(BgpHeader, LengthBelow19CarriesTheLength) {
  Bytes m = Msg(4, {});
  m[17] = 18;
  auto e = DecodeHeader(m, {});
  ASSERT_FALSE(e.ok());
  EXPECT_EQ(e.error().subcode, header_error::kBadMessageLength);
  EXPECT_EQ(e.error().data, (Bytes{0, 18}));
}

TEST(BgpHeader, LengthAbove4096WithoutExtendedMessage) {
  Bytes m = Msg(2, Bytes(5000 - 19, 0));
  auto e = ExpectError(m);
  EXPECT_EQ(e.subcode, header_error::kBadMessageLength);
  EXPECT_EQ(e.data, (Bytes{0x13, 0x88}));
  // With RFC 8654 extended messages it passes the header check.
  auto h = DecodeHeader(m, Opts(false, true));
  EXPECT_TRUE(h.ok());
}

TEST(BgpHeader, OpenAndKeepaliveStayBelow4096EvenWhenExtended) {
  Bytes m = Msg(1, Bytes(5000 - 19, 0));
  auto h = DecodeHeader(m, Opts(false, true));
  ASSERT_FALSE(h.ok());
  EXPECT_EQ(h.error().subcode, header_error::kBadMessageLength);
}

TEST(BgpHeader, UnknownTypeIsBadMessageTypeWithTheType) {
  auto e = ExpectError(Msg(7, {}));
  EXPECT_EQ(e.code, 1);
  EXPECT_EQ(e.subcode, header_error::kBadMessageType);
  EXPECT_EQ(e.data, Bytes{7});
}

TEST(BgpHeader, PerTypeMinimumLengths) {
  EXPECT_EQ(ExpectError(Msg(4, {0})).subcode, header_error::kBadMessageLength);  // KEEPALIVE 20
  EXPECT_EQ(ExpectError(Msg(1, Bytes(9, 0))).subcode, header_error::kBadMessageLength);
  EXPECT_EQ(ExpectError(Msg(2, {0, 0, 0})).subcode, header_error::kBadMessageLength);
  EXPECT_EQ(ExpectError(Msg(3, {6})).subcode, header_error::kBadMessageLength);
  EXPECT_EQ(ExpectError(Msg(5, {0, 1, 0})).subcode, header_error::kBadMessageLength);
}

TEST(BgpHeader, LengthFieldDisagreeingWithInput) {
  Bytes m = Msg(4, {});
  m.push_back(0);
  EXPECT_EQ(ExpectError(m).subcode, header_error::kBadMessageLength);
}

TEST(BgpHeader, TruncatedHeader) {
  auto e = DecodeHeader(Bytes(10, 0xff), {});
  ASSERT_FALSE(e.ok());
  EXPECT_EQ(e.error().code, 1);
}

// A realistic OPEN: MP IPv4 + IPv6 unicast, route refresh, enhanced route
// refresh, 4-octet AS 4200000001, graceful restart with per-AFI flags,
// extended message, and an unknown capability (FQDN, 73).
Bytes RichOpen() {
  Bytes caps = Cat({
      {1, 4, 0, 1, 0, 1},                               // MP IPv4 unicast
      {1, 4, 0, 2, 0, 1},                               // MP IPv6 unicast
      {2, 0},                                           // route refresh
      {70, 0},                                          // enhanced route refresh
      {65, 4, 0xfa, 0x56, 0xea, 0x01},                  // 4-octet AS 4200000001
      {64, 10, 0xc0, 0x78, 0, 1, 1, 0x80, 0, 2, 1, 0},  // GR R+N, 120 s
      {6, 0},                                           // extended message
      {73, 5, 3, 'a', 'b', 'c', 0},                     // FQDN, kept raw
  });
  return Msg(1, OpenBody(4, 23456, 90, 0x0a000001, CapParam(caps)));
}

TEST(BgpOpen, DecodesEveryKnownCapability) {
  auto decoded = DecodeMessage(RichOpen(), {});
  ASSERT_TRUE(decoded.ok()) << decoded.error().reason;
  const auto& open = std::get<OpenMessage>(*decoded);
  EXPECT_EQ(open.version, 4);
  EXPECT_EQ(open.my_as, 23456);
  EXPECT_EQ(open.hold_time, 90);
  EXPECT_EQ(open.bgp_identifier.ToString(), "10.0.0.1");
  EXPECT_EQ(open.PeerAsn().value(), 4200000001u);
  auto caps = open.Capabilities();
  ASSERT_EQ(caps.size(), 8u);
  EXPECT_EQ(std::get<MultiprotocolCapability>(caps[1]).afi, kAfiIpv6);
  EXPECT_TRUE(std::holds_alternative<RouteRefreshCapability>(caps[2]));
  EXPECT_TRUE(std::holds_alternative<EnhancedRouteRefreshCapability>(caps[3]));
  const auto* gr = open.Find<GracefulRestartCapability>();
  ASSERT_NE(gr, nullptr);
  EXPECT_TRUE(gr->restart_state());
  EXPECT_TRUE(gr->notification());
  EXPECT_EQ(gr->restart_time, 120);
  ASSERT_EQ(gr->families.size(), 2u);
  EXPECT_TRUE(gr->families[0].forwarding_state_preserved());
  EXPECT_FALSE(gr->families[1].forwarding_state_preserved());
  EXPECT_NE(open.Find<ExtendedMessageCapability>(), nullptr);
  const auto& unknown = std::get<UnknownCapability>(caps[7]);
  EXPECT_EQ(unknown.code, 73);
  EXPECT_EQ(unknown.value.size(), 5u);
  ExpectExactRoundTrip(RichOpen());
}

TEST(BgpOpen, OneCapabilityPerParameterKeepsItsGrouping) {
  Bytes params = Cat({CapParam({1, 4, 0, 1, 0, 1}), CapParam({2, 0}), CapParam({})});
  Bytes m = Msg(1, OpenBody(4, 65000, 180, 1, params));
  auto decoded = DecodeMessage(m, {});
  ASSERT_TRUE(decoded.ok());
  EXPECT_EQ(std::get<OpenMessage>(*decoded).parameters.size(), 3u);
  ExpectExactRoundTrip(m);
}

TEST(BgpOpen, ExtendedOptionalParametersLengthRfc9072) {
  // Non-Ext OP Len 255, Non-Ext OP Type 255, Ext OP Len, then type + 2-octet length.
  Bytes caps = Cat({{1, 4, 0, 1, 0, 1}, {65, 4, 0, 0, 0xfd, 0xe8}});
  core::ByteWriter w;
  w.U8(4);
  w.U16(65000);
  w.U16(90);
  w.U32(0x01020304);
  w.U8(255);
  w.U8(255);
  w.U16(static_cast<uint16_t>(caps.size() + 3));
  w.U8(2);
  w.U16(static_cast<uint16_t>(caps.size()));
  w.Append(caps);
  Bytes m = Msg(1, w.Take());
  auto decoded = DecodeMessage(m, {});
  ASSERT_TRUE(decoded.ok()) << decoded.error().reason;
  EXPECT_TRUE(std::get<OpenMessage>(*decoded).extended_parameters_length);
  EXPECT_EQ(std::get<OpenMessage>(*decoded).PeerAsn().value(), 65000u);
  ExpectExactRoundTrip(m);
}

TEST(BgpOpen, EncoderSwitchesToExtendedLengthWhenParametersExceed255) {
  OpenMessage open;
  open.my_as = 65000;
  open.hold_time = 90;
  open.bgp_identifier = core::RouterId(1);
  CapabilityParameter param;
  for (int i = 0; i < 70; ++i) param.capabilities.push_back(UnknownCapability{200, {1, 2}});
  open.parameters.push_back(param);
  auto encoded = EncodeMessage(Message(open), {});
  ASSERT_TRUE(encoded.ok());
  auto decoded = DecodeMessage(*encoded, {});
  ASSERT_TRUE(decoded.ok()) << decoded.error().reason;
  open.extended_parameters_length = true;
  EXPECT_EQ(std::get<OpenMessage>(*decoded), open);
}

struct OpenErrorCase {
  const char* name;
  Bytes message;
  uint8_t subcode;
  Bytes data;
};

class BgpOpenErrors : public ::testing::TestWithParam<OpenErrorCase> {};

TEST_P(BgpOpenErrors, YieldsTheRfcNotification) {
  const auto& c = GetParam();
  auto e = ExpectError(c.message);
  EXPECT_EQ(e.code, 2) << e.reason;
  EXPECT_EQ(e.subcode, c.subcode) << e.reason;
  EXPECT_EQ(e.handling, ErrorHandling::kSessionReset);
  if (!c.data.empty()) {
    EXPECT_EQ(e.data, c.data);
  }
  EXPECT_FALSE(e.reason.empty());
}

const Bytes kMp4 = CapParam({1, 4, 0, 1, 0, 1});

INSTANTIATE_TEST_SUITE_P(
    Rfc4271Section6_2, BgpOpenErrors,
    ::testing::Values(
        // RFC 4271 6.2: data is our version, 2 octets.
        OpenErrorCase{"version3", Msg(1, OpenBody(3, 65000, 90, 1, {})), 1, {0, 4}},
        // RFC 7607 2: AS 0.
        OpenErrorCase{"my_as_zero", Msg(1, OpenBody(4, 0, 90, 1, {})), 2, {}},
        OpenErrorCase{"four_octet_as_zero",
                      Msg(1, OpenBody(4, 23456, 90, 1, CapParam({65, 4, 0, 0, 0, 0}))),
                      2,
                      {}},
        // RFC 6286 2.2: identifier 0.
        OpenErrorCase{"identifier_zero", Msg(1, OpenBody(4, 65000, 90, 0, {})), 3, {}},
        // RFC 4271 6.2: hold time 1 or 2.
        OpenErrorCase{"hold_time_1", Msg(1, OpenBody(4, 65000, 1, 1, {})), 6, {}},
        OpenErrorCase{"hold_time_2", Msg(1, OpenBody(4, 65000, 2, 1, {})), 6, {}},
        // RFC 5492 4: deprecated authentication parameter (type 1).
        OpenErrorCase{"auth_parameter", Msg(1, OpenBody(4, 65000, 90, 1, {1, 1, 0})), 4, {}},
        // Optional parameters length past the message end.
        OpenErrorCase{"opt_len_overrun",
                      Msg(1, Cat({{4, 0xfd, 0xe8, 0, 90, 0, 0, 0, 1, 20}, Bytes{2, 2, 2, 0}})),
                      0,
                      {}},
        // A parameter whose length overruns the parameters.
        OpenErrorCase{"param_overrun", Msg(1, OpenBody(4, 65000, 90, 1, {2, 9, 2, 0})), 0, {}},
        // A capability whose length overruns its parameter.
        OpenErrorCase{"capability_overrun",
                      Msg(1, OpenBody(4, 65000, 90, 1, CapParam({1, 8, 0, 1, 0, 1}))),
                      0,
                      {}},
        // Truncated capability header (code without length).
        OpenErrorCase{
            "capability_header_truncated", Msg(1, OpenBody(4, 65000, 90, 1, CapParam({1}))), 0, {}},
        // Known capabilities with impossible lengths.
        OpenErrorCase{
            "mp_len_3", Msg(1, OpenBody(4, 65000, 90, 1, CapParam({1, 3, 0, 1, 0}))), 0, {}},
        OpenErrorCase{
            "as4_len_2", Msg(1, OpenBody(4, 65000, 90, 1, CapParam({65, 2, 0, 1}))), 0, {}},
        OpenErrorCase{
            "gr_len_3", Msg(1, OpenBody(4, 65000, 90, 1, CapParam({64, 3, 0, 0, 1}))), 0, {}},
        OpenErrorCase{
            "route_refresh_len_1", Msg(1, OpenBody(4, 65000, 90, 1, CapParam({2, 1, 0}))), 0, {}},
        OpenErrorCase{"extended_message_len_1",
                      Msg(1, OpenBody(4, 65000, 90, 1, CapParam({6, 1, 0}))),
                      0,
                      {}},
        // Bytes after the optional parameters.
        OpenErrorCase{"trailing_bytes", Msg(1, Cat({OpenBody(4, 65000, 90, 1, kMp4), {0}})), 0, {}},
        // RFC 9072 marker without room for the extended length.
        OpenErrorCase{"ext_len_truncated",
                      Msg(1, Cat({{4, 0xfd, 0xe8, 0, 90, 0, 0, 0, 1, 255, 255}})),
                      0,
                      {}}),
    [](const ::testing::TestParamInfo<OpenErrorCase>& info) { return info.param.name; });

TEST(BgpOpen, HoldTimeZeroAndThreeAreAcceptable) {
  EXPECT_TRUE(DecodeMessage(Msg(1, OpenBody(4, 65000, 0, 1, {})), {}).ok());
  EXPECT_TRUE(DecodeMessage(Msg(1, OpenBody(4, 65000, 3, 1, {})), {}).ok());
}

TEST(BgpOpen, ErrorCodeNamesAreRegistered) {
  EXPECT_EQ(ErrorCodeName(2), "OPEN Message Error");
  EXPECT_EQ(ErrorSubcodeName(2, 6), "Unacceptable Hold Time");
  EXPECT_EQ(ErrorSubcodeName(1, 3), "Bad Message Type");
  EXPECT_EQ(ErrorSubcodeName(3, 11), "Malformed AS_PATH");
  EXPECT_EQ(ErrorSubcodeName(6, 10), "BFD Down");
  EXPECT_EQ(ErrorSubcodeName(7, 1), "Invalid Message Length");
  EXPECT_EQ(ErrorSubcodeName(9, 1), "");
  EXPECT_EQ(ErrorCodeName(99), "");
}

}  // namespace
}  // namespace vipcast::wire::bgp
