#include <gtest/gtest.h>

#include "engine/wire/bgp/message.h"
#include "tests/unit/wire/bgp/bgp_test_util.h"

namespace vipcast::wire::bgp {
namespace {

using namespace testing;

NotificationMessage DecodeNotification(const Bytes& m) {
  auto decoded = DecodeMessage(m, {});
  EXPECT_TRUE(decoded.ok());
  return decoded.ok() ? std::get<NotificationMessage>(*decoded) : NotificationMessage{};
}

TEST(BgpNotification, PlainNotificationRoundTrips) {
  Bytes m = Msg(3, {3, 1, 0xde, 0xad});
  auto n = DecodeNotification(m);
  EXPECT_EQ(n.code, 3);
  EXPECT_EQ(n.subcode, 1);
  EXPECT_EQ(n.data, (Bytes{0xde, 0xad}));
  EXPECT_EQ(n.Shutdown().status, ShutdownCommunication::Status::kNone);
  EXPECT_EQ(*EncodeMessage(Message(n), {}), m);
}

TEST(BgpNotification, UnknownCodesAreKept) {
  auto n = DecodeNotification(Msg(3, {42, 42}));
  EXPECT_EQ(n.code, 42);
  EXPECT_EQ(n.subcode, 42);
}

TEST(BgpNotification, ShutdownCommunicationRfc9003) {
  Bytes m = Msg(3, Cat({{6, 2, 5}, Bytes{'h', 'e', 'l', 'l', 'o'}}));
  auto s = DecodeNotification(m).Shutdown();
  EXPECT_EQ(s.status, ShutdownCommunication::Status::kValid);
  EXPECT_EQ(s.message, "hello");
  EXPECT_TRUE(s.trailing.empty());
}

TEST(BgpNotification, ShutdownCommunicationOnAdministrativeResetWithTrailingData) {
  Bytes m = Msg(3, {6, 4, 2, 'o', 'k', 0xaa, 0xbb});
  auto s = DecodeNotification(m).Shutdown();
  EXPECT_EQ(s.status, ShutdownCommunication::Status::kValid);
  EXPECT_EQ(s.message, "ok");
  EXPECT_EQ(s.trailing, (Bytes{0xaa, 0xbb}));
}

TEST(BgpNotification, ShutdownCommunicationLengthOverflowIsMarkedInvalidNotAnError) {
  // RFC 9003 5: length 200 but only 3 octets follow: decode, mark invalid.
  Bytes m = Msg(3, {6, 2, 200, 'a', 'b', 'c'});
  auto decoded = DecodeMessage(m, {});
  ASSERT_TRUE(decoded.ok());
  auto s = std::get<NotificationMessage>(*decoded).Shutdown();
  EXPECT_EQ(s.status, ShutdownCommunication::Status::kInvalid);
  EXPECT_NE(s.problem.find("overruns"), std::string::npos);
  EXPECT_EQ(*EncodeMessage(*decoded, {}), m);
}

TEST(BgpNotification, ShutdownCommunicationInvalidUtf8) {
  auto s = DecodeNotification(Msg(3, {6, 2, 2, 0xc3, 0x28})).Shutdown();
  EXPECT_EQ(s.status, ShutdownCommunication::Status::kInvalid);
}

TEST(BgpNotification, ShutdownCommunicationIgnoredForOtherCeaseSubcodes) {
  EXPECT_EQ(DecodeNotification(Msg(3, {6, 3, 2, 'h', 'i'})).Shutdown().status,
            ShutdownCommunication::Status::kNone);
}

TEST(BgpNotification, MakeShutdownCutsAt255OnACharacterBoundary) {
  std::string text(254, 'x');
  text += "\xc3\xa9";  // 'é' straddles octet 255
  auto n = NotificationMessage::MakeShutdown(cease::kAdministrativeShutdown, text);
  EXPECT_EQ(n.data[0], 254);
  auto s = n.Shutdown();
  EXPECT_EQ(s.status, ShutdownCommunication::Status::kValid);
  EXPECT_EQ(s.message, std::string(254, 'x'));
  auto short_one = NotificationMessage::MakeShutdown(cease::kAdministrativeReset, "maintenance");
  EXPECT_EQ(short_one.Shutdown().message, "maintenance");
}

TEST(BgpRouteRefresh, NormalBorrEorrRoundTrip) {
  for (uint8_t subtype : {0, 1, 2, 7}) {
    Bytes m = Msg(5, {0, 2, subtype, 1});
    auto decoded = DecodeMessage(m, {});
    ASSERT_TRUE(decoded.ok());
    const auto& rr = std::get<RouteRefreshMessage>(*decoded);
    EXPECT_EQ(rr.afi, kAfiIpv6);
    EXPECT_EQ(rr.safi, kSafiUnicast);
    EXPECT_EQ(rr.subtype, subtype);
    EXPECT_EQ(*EncodeMessage(*decoded, {}), m);
  }
}

TEST(BgpRouteRefresh, OrfEntriesAreKeptRaw) {
  Bytes m = Msg(5, {0, 1, 0, 1, 1, 0, 5, 0xaa});
  auto decoded = DecodeMessage(m, {});
  ASSERT_TRUE(decoded.ok());
  EXPECT_EQ(std::get<RouteRefreshMessage>(*decoded).orf.size(), 4u);
  EXPECT_EQ(*EncodeMessage(*decoded, {}), m);
}

TEST(BgpRouteRefresh, BorrWithExtraOctetsIsInvalidMessageLength) {
  // RFC 7313 5: 7/1 with the complete message as data.
  Bytes m = Msg(5, {0, 1, 1, 1, 0});
  auto decoded = DecodeMessage(m, {});
  ASSERT_FALSE(decoded.ok());
  EXPECT_EQ(decoded.error().code, 7);
  EXPECT_EQ(decoded.error().subcode, 1);
  EXPECT_EQ(decoded.error().data, m);
  EXPECT_EQ(decoded.error().handling, ErrorHandling::kSessionReset);
}

}  // namespace
}  // namespace vipcast::wire::bgp
