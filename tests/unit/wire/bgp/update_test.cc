#include <gtest/gtest.h>

#include "engine/wire/bgp/message.h"
#include "tests/unit/wire/bgp/bgp_test_util.h"

namespace vipcast::wire::bgp {
namespace {

using namespace testing;

AsPath Seq(std::initializer_list<uint32_t> asns) {
  AsPathSegment s;
  s.type = AsSegmentType::kSequence;
  for (uint32_t a : asns) s.asns.emplace_back(a);
  return AsPath{{s}};
}

TEST(BgpUpdate, DecodesEveryTypedAttribute) {
  Bytes attrs = Cat({
      Attr(0x40, 1, {2}),
      Attr(0x40, 2, {2, 2, 0, 0, 0xfd, 0xe8, 0xfa, 0x56, 0xea, 0x01}),
      Attr(0x40, 3, {192, 0, 2, 1}),
      Attr(0x80, 4, {0, 0, 0, 100}),
      Attr(0x40, 5, {0, 0, 0, 200}),
      Attr(0x40, 6, {}),
      Attr(0xc0, 7, {0, 0, 0xfd, 0xe8, 10, 0, 0, 9}),
      Attr(0xc0, 8, {0xfd, 0xe8, 0, 1, 0xff, 0xff, 0xff, 0x01}),
      Attr(0xc0, 32, {0, 0, 0xfd, 0xe8, 0, 0, 0, 1, 0, 0, 0, 2}),
      Attr(0xc0, 16, {0, 2, 0xfd, 0xe8, 0, 0, 0, 1}),
  });
  Bytes m = UpdateMsg({16, 10, 1}, attrs, {32, 203, 0, 113, 7});
  auto decoded = DecodeMessage(m, Opts(true));
  ASSERT_TRUE(decoded.ok()) << decoded.error().reason;
  const auto& u = std::get<UpdateMessage>(*decoded);
  EXPECT_EQ(u.withdrawn, std::vector<core::Prefix>{P("10.1.0.0/16")});
  EXPECT_EQ(u.nlri, std::vector<core::Prefix>{P("203.0.113.7/32")});
  EXPECT_EQ(u.Find<OriginAttribute>()->origin, Origin::kIncomplete);
  EXPECT_EQ(u.Find<AsPathAttribute>()->path.ToString(), "65000 4200000001");
  EXPECT_EQ(u.Find<NextHopAttribute>()->address.ToString(), "192.0.2.1");
  EXPECT_EQ(u.Find<MedAttribute>()->value, 100u);
  EXPECT_EQ(u.Find<LocalPrefAttribute>()->value, 200u);
  EXPECT_NE(u.Find<AtomicAggregateAttribute>(), nullptr);
  EXPECT_EQ(u.Find<AggregatorAttribute>()->asn.value(), 65000u);
  EXPECT_EQ(u.Find<CommunitiesAttribute>()->communities,
            (std::vector<uint32_t>{0xfde80001, 0xffffff01}));
  EXPECT_EQ(u.Find<LargeCommunitiesAttribute>()->communities[0].local_data2, 2u);
  EXPECT_EQ(u.Find<RawAttribute>()->type, 16);
  EXPECT_EQ(*EncodeMessage(*decoded, Opts(true)), m);
}

TEST(BgpUpdate, Ipv6MpReachWithLinkLocalNextHop) {
  Bytes nh = Hex("20010db8000000000000000000000001fe800000000000000000000000000001");
  Bytes m = UpdateMsg(
      {},
      Cat({OriginAttr(), AsPath4(),
           Attr(0x80, 14, Cat({{0, 2, 1, 32}, nh, {0}, {48, 0x20, 0x01, 0x0d, 0xb8, 0, 1}}))}),
      {});
  auto decoded = DecodeMessage(m, Opts(true));
  ASSERT_TRUE(decoded.ok()) << decoded.error().reason;
  const auto* mp = std::get<UpdateMessage>(*decoded).Find<MpReachAttribute>();
  ASSERT_NE(mp, nullptr);
  EXPECT_EQ(mp->GlobalNextHop()->ToString(), "2001:db8::1");
  EXPECT_EQ(mp->LinkLocalNextHop()->ToString(), "fe80::1");
  EXPECT_EQ(mp->nlri, std::vector<core::Prefix>{P("2001:db8:1::/48")});
  EXPECT_EQ(*EncodeMessage(*decoded, Opts(true)), m);
  // The constructor helper builds the same attribute.
  auto built =
      MpReachAttribute::Unicast(kAfiIpv6, core::IpAddr::Parse("2001:db8::1").value(),
                                core::Ipv6Addr::Parse("fe80::1").value(), {P("2001:db8:1::/48")});
  EXPECT_EQ(built, *mp);
}

TEST(BgpUpdate, EndOfRib) {
  auto ipv4 = DecodeMessage(UpdateMsg({}, {}, {}), {});
  ASSERT_TRUE(ipv4.ok());
  EXPECT_EQ(std::get<UpdateMessage>(*ipv4).EndOfRib(), (AfiSafi{1, 1}));
  auto ipv6 = DecodeMessage(UpdateMsg({}, Attr(0x80, 15, {0, 2, 1}), {}), {});
  ASSERT_TRUE(ipv6.ok());
  EXPECT_EQ(std::get<UpdateMessage>(*ipv6).EndOfRib(), (AfiSafi{2, 1}));
  auto not_eor = DecodeMessage(UpdateMsg({8, 10}, {}, {}), {});
  EXPECT_FALSE(std::get<UpdateMessage>(*not_eor).EndOfRib().has_value());
}

TEST(BgpUpdate, HostBitsAreClearedSoReencodingNormalises) {
  // bgpdump's nlri_mask_trailing_bits case: 11.8.0.0/13 sent as 11.15.x.
  Bytes m = UpdateMsg({}, Cat({OriginAttr(), AsPath2(), NextHop()}), {13, 11, 15});
  auto decoded = DecodeMessage(m, {});
  ASSERT_TRUE(decoded.ok());
  EXPECT_EQ(std::get<UpdateMessage>(*decoded).nlri, std::vector<core::Prefix>{P("11.8.0.0/13")});
  auto again = DecodeMessage(*EncodeMessage(*decoded, {}), {});
  EXPECT_EQ(*again, *decoded);
}

TEST(BgpUpdate, LargeAttributeGetsExtendedLength) {
  UpdateMessage u;
  CommunitiesAttribute c;
  for (uint32_t i = 0; i < 100; ++i) c.communities.push_back(i);
  u.attributes.push_back(PathAttribute::Make(c));
  auto encoded = EncodeMessage(Message(u), {});
  ASSERT_TRUE(encoded.ok());
  EXPECT_EQ((*encoded)[23] & attr_flags::kExtendedLength, attr_flags::kExtendedLength);
  auto decoded = DecodeMessage(*encoded, {});
  ASSERT_TRUE(decoded.ok()) << decoded.error().reason;
  const auto& attribute = std::get<UpdateMessage>(*decoded).attributes.at(0);
  EXPECT_EQ(attribute.flags, 0xd0);
  EXPECT_EQ(std::get<CommunitiesAttribute>(attribute.value), c);
}

TEST(BgpUpdate, EncodingRespectsTheMessageLimit) {
  UpdateMessage u;
  for (int i = 0; i < 2000; ++i) u.nlri.push_back(P("10.0.0.0/24"));
  EXPECT_FALSE(EncodeMessage(Message(u), {}).ok());
  EXPECT_TRUE(EncodeMessage(Message(u), Opts(false, true)).ok());
}

TEST(AsPath, TextAndLength) {
  auto decoded = DecodeAsPath(Hex("0301 0000fde9 0202 00000001 00000002 0102 00000003 00000004 "
                                  "0401 0000fdea"),
                              true);
  ASSERT_TRUE(decoded.ok());
  EXPECT_EQ(decoded->ToString(), "(65001) 1 2 {3,4} [65002]");
  EXPECT_EQ(decoded->Length(), 3u);  // sequence 2 + set 1, confederations 0
  EXPECT_TRUE(decoded->Contains(core::Asn(3)));
}

TEST(AsPath, TwoOctetEncodingUsesAsTrans) {
  core::ByteWriter w;
  EncodeAsPath(Seq({65000, 4200000001u}), false, w);
  EXPECT_EQ(core::ToHex(w.bytes()), "0202fde85ba0");
}

TEST(AsPath, LongSegmentsAreSplitAt255) {
  AsPathSegment s;
  for (uint32_t i = 1; i <= 300; ++i) s.asns.emplace_back(i);
  core::ByteWriter w;
  EncodeAsPath(AsPath{{s}}, true, w);
  auto decoded = DecodeAsPath(w.bytes(), true);
  ASSERT_TRUE(decoded.ok());
  ASSERT_EQ(decoded->segments.size(), 2u);
  EXPECT_EQ(decoded->segments[0].asns.size(), 255u);
  EXPECT_EQ(decoded->Length(), 300u);
}

TEST(AsPath, MergeAs4PathRfc6793) {
  // AS_PATH 100 23456 23456 200 with AS4_PATH 4200000001 4200000002 200.
  AsPath as_path = Seq({100, 23456, 23456, 200});
  AsPath as4 = Seq({4200000001u, 4200000002u, 200});
  EXPECT_EQ(MergeAs4Path(as_path, as4).ToString(), "100 4200000001 4200000002 200");
  // AS4_PATH longer than AS_PATH: ignored.
  EXPECT_EQ(MergeAs4Path(Seq({23456}), Seq({1, 2})).ToString(), "23456");
  // Confederation segments in AS4_PATH are dropped.
  AsPath confed = Seq({4200000001u});
  confed.segments.insert(confed.segments.begin(),
                         AsPathSegment{AsSegmentType::kConfedSequence, {core::Asn(7)}});
  EXPECT_EQ(MergeAs4Path(Seq({1, 23456}), confed).ToString(), "1 4200000001");
}

TEST(BgpUpdate, ReconstructAs4FromTwoOctetPeer) {
  Bytes m = UpdateMsg(
      {},
      Cat({OriginAttr(), Attr(0x40, 2, {2, 2, 0x00, 0x64, 0x5b, 0xa0}), NextHop(),
           Attr(0xc0, 7, {0x5b, 0xa0, 10, 0, 0, 1}), Attr(0xc0, 17, {2, 1, 0xfa, 0x56, 0xea, 0x01}),
           Attr(0xc0, 18, {0xfa, 0x56, 0xea, 0x01, 10, 0, 0, 1})}),
      Nlri24());
  auto decoded = DecodeMessage(m, Opts(false));
  ASSERT_TRUE(decoded.ok()) << decoded.error().reason;
  auto r = ReconstructAs4(std::get<UpdateMessage>(*decoded));
  EXPECT_EQ(r.as_path.ToString(), "100 4200000001");
  ASSERT_TRUE(r.aggregator.has_value());
  EXPECT_EQ(r.aggregator->asn.value(), 4200000001u);
  EXPECT_EQ(*EncodeMessage(*decoded, Opts(false)), m);
}

TEST(BgpUpdate, ReconstructAs4IgnoresAs4WhenAggregatorIsReal) {
  UpdateMessage u;
  u.attributes.push_back(PathAttribute::Make(AsPathAttribute{Seq({100, 23456})}));
  u.attributes.push_back(
      PathAttribute::Make(AggregatorAttribute{core::Asn(300), core::Ipv4Addr(1)}));
  u.attributes.push_back(PathAttribute::Make(As4PathAttribute{Seq({4200000001u})}));
  u.attributes.push_back(
      PathAttribute::Make(As4AggregatorAttribute{core::Asn(4200000001u), core::Ipv4Addr(2)}));
  auto r = ReconstructAs4(u);
  EXPECT_EQ(r.as_path.ToString(), "100 23456");
  EXPECT_EQ(r.aggregator->asn.value(), 300u);
}

TEST(BgpUpdate, PrepareForPropagationSetsPartialOnUnknownTransitive) {
  PathAttribute transitive{0xc0, RawAttribute{99, {1}}};
  auto out = PrepareForPropagation(transitive);
  ASSERT_TRUE(out.has_value());
  EXPECT_EQ(out->flags, 0xe0);
  PathAttribute non_transitive{0x80, RawAttribute{98, {1}}};
  EXPECT_FALSE(PrepareForPropagation(non_transitive).has_value());
  PathAttribute known = PathAttribute::Make(MedAttribute{5});
  EXPECT_EQ(PrepareForPropagation(known)->flags, 0x80);
}

TEST(BgpUpdate, MakeUsesTheFlagsOfTheType) {
  EXPECT_EQ(PathAttribute::Make(OriginAttribute{}).flags, 0x40);
  EXPECT_EQ(PathAttribute::Make(MedAttribute{}).flags, 0x80);
  EXPECT_EQ(PathAttribute::Make(CommunitiesAttribute{}).flags, 0xc0);
  EXPECT_EQ(PathAttribute::Make(MpReachAttribute{}).flags, 0x80);
}

}  // namespace
}  // namespace vipcast::wire::bgp
