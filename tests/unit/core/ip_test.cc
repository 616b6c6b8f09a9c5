#include "engine/core/ip.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <string>
#include <vector>

namespace vipcast::core {
namespace {

IpAddr Ip(std::string_view text) { return IpAddr::Parse(text).value(); }
Prefix Pfx(std::string_view text) { return Prefix::ParseStrict(text).value(); }
IpRange Range(std::string_view text) { return IpRange::Parse(text).value(); }

std::vector<std::string> Strings(const std::vector<Prefix>& prefixes) {
  std::vector<std::string> out;
  for (const auto& p : prefixes) out.push_back(p.ToString());
  return out;
}

std::vector<std::string> Iterate(const Prefix& prefix) {
  std::vector<std::string> out;
  for (IpAddr a : prefix) out.push_back(a.ToString());
  return out;
}

// Uint128 has no printer; compare halves so failures read as numbers.
std::pair<uint64_t, uint64_t> Halves(Uint128 v) {
  return {static_cast<uint64_t>(v >> 64), static_cast<uint64_t>(v)};
}

// ---------------------------------------------------------------- Ipv4Addr

TEST(Ipv4AddrTest, ParsesAndFormatsDottedQuads) {
  for (const char* text : {"0.0.0.0", "255.255.255.255", "192.168.1.10", "10.0.0.1", "1.2.3.4"}) {
    auto parsed = Ipv4Addr::Parse(text);
    ASSERT_TRUE(parsed.ok()) << text << ": " << parsed.error();
    EXPECT_EQ(parsed->ToString(), text);
  }
  EXPECT_EQ(Ipv4Addr::Parse("192.168.1.10")->value(), 0xc0a8010au);
  EXPECT_EQ(Ipv4Addr::FromOctets(192, 168, 1, 10).value(), 0xc0a8010au);
  EXPECT_EQ(Ipv4Addr(0xc0a8010au).Octets(), (std::array<uint8_t, 4>{192, 168, 1, 10}));
}

TEST(Ipv4AddrTest, RejectsMalformedTextWithExactError) {
  for (const char* text :
       {"", "1.2.3", "1.2.3.4.5", "256.0.0.1", "1.2.3.256", "01.2.3.4", "1.2.3.00", "1.2.3.4 ",
        " 1.2.3.4", "1..2.3", "a.b.c.d", "1.2.3.-4", "1234.1.1.1", "1.2.3.4/24", "1.2.3.", ".1.2.3",
        "0x1.2.3.4", "::1", "1.2.3.4:80"}) {
    auto parsed = Ipv4Addr::Parse(text);
    ASSERT_FALSE(parsed.ok()) << text;
    EXPECT_EQ(parsed.error(), "invalid IPv4 address \"" + std::string(text) + "\"");
  }
}

TEST(Ipv4AddrTest, OrdersNumerically) {
  EXPECT_LT(Ipv4Addr::Parse("9.255.255.255").value(), Ipv4Addr::Parse("10.0.0.0").value());
  EXPECT_LT(Ipv4Addr::Parse("10.0.0.2").value(), Ipv4Addr::Parse("10.0.0.10").value());
  EXPECT_EQ(Ipv4Addr::Parse("10.0.0.2").value(), Ipv4Addr::FromOctets(10, 0, 0, 2));
}

// ---------------------------------------------------------------- Ipv6Addr

TEST(Ipv6AddrTest, ParsesRfc4291TextForms) {
  struct Case {
    const char* text;
    const char* canonical;
  };
  for (const Case& c : std::vector<Case>{
           {"::", "::"},
           {"::1", "::1"},
           {"1::", "1::"},
           {"2001:db8::1", "2001:db8::1"},
           {"2001:DB8::A", "2001:db8::a"},
           {"2001:0db8:0000:0000:0000:0000:0002:0001", "2001:db8::2:1"},
           {"1:2:3:4:5:6:7:8", "1:2:3:4:5:6:7:8"},
           {"1:2:3:4:5:6:7::", "1:2:3:4:5:6:7:0"},
           {"::2:3:4:5:6:7:8", "0:2:3:4:5:6:7:8"},
           {"fe80::1", "fe80::1"},
           {"::ffff:192.0.2.1", "::ffff:192.0.2.1"},
           {"64:ff9b::192.0.2.33", "64:ff9b::c000:221"},
           {"1:2:3:4:5:6:1.2.3.4", "1:2:3:4:5:6:102:304"},
           {"::1.2.3.4", "::102:304"},
           {"ffff:ffff:ffff:ffff:ffff:ffff:ffff:ffff", "ffff:ffff:ffff:ffff:ffff:ffff:ffff:ffff"},
       }) {
    auto parsed = Ipv6Addr::Parse(c.text);
    ASSERT_TRUE(parsed.ok()) << c.text << ": " << parsed.error();
    EXPECT_EQ(parsed->ToString(), c.canonical) << c.text;
  }
}

TEST(Ipv6AddrTest, RejectsMalformedTextWithExactError) {
  for (const char* text : {"",
                           ":",
                           ":::",
                           "1:::2",
                           "1::2::3",
                           "12345::",
                           "g::",
                           "1:2:3:4:5:6:7:8:9",
                           "1:2:3:4:5:6:7",
                           "1:2:3:4:5:6:7:8::",
                           "::1:2:3:4:5:6:7:8",
                           ":1::",
                           "1::2:",
                           "1:2:3:4:5:6:7:",
                           "::1.2.3",
                           "::1.2.3.4:5",
                           "::256.1.1.1",
                           "fe80::1%eth0",
                           "1:2:3:4:5:6:7:1.2.3.4",
                           "1.2.3.4",
                           "[::1]",
                           " ::1",
                           "::1 ",
                           "-1::"}) {
    auto parsed = Ipv6Addr::Parse(text);
    ASSERT_FALSE(parsed.ok()) << text << " parsed as " << parsed->ToString();
    EXPECT_EQ(parsed.error(), "invalid IPv6 address \"" + std::string(text) + "\"");
  }
}

TEST(Ipv6AddrTest, FormatsPerRfc5952) {
  struct Case {
    const char* text;
    const char* canonical;
    const char* why;
  };
  for (const Case& c : std::vector<Case>{
           {"2001:db8:0:0:1:0:0:1", "2001:db8::1:0:0:1", "4.2.3: tie -> first run"},
           {"2001:0:0:1:0:0:0:1", "2001:0:0:1::1", "4.2.3: longest run wins"},
           {"2001:db8:0:0:1:0:0:0", "2001:db8:0:0:1::", "longest run at the end"},
           {"2001:db8:0:1:1:1:1:1", "2001:db8:0:1:1:1:1:1", "4.2.2: single 0 not compressed"},
           {"2001:db8:0:1:0:1:0:1", "2001:db8:0:1:0:1:0:1", "several single zeros"},
           {"0:0:0:0:0:0:0:0", "::", "all zero"},
           {"0:0:0:0:0:0:0:1", "::1", "loopback"},
           {"1:0:0:0:0:0:0:0", "1::", "trailing run"},
           {"0:1:0:0:0:0:0:0", "0:1::", "leading single zero kept"},
           {"2001:0DB8:00AB:000C::0001", "2001:db8:ab:c::1",
            "4.1 and 4.3: lower case, no leading 0"},
           {"0:0:0:0:0:ffff:c000:201", "::ffff:192.0.2.1", "5: IPv4-mapped keeps dotted quad"},
           {"::ffff:0:0", "::ffff:0.0.0.0", "IPv4-mapped zero address"},
           {"::ffff:255.255.255.255", "::ffff:255.255.255.255", "IPv4-mapped broadcast"},
           {"0:0:0:0:0:fffe:c000:201", "::fffe:c000:201", "not mapped: hex"},
           {"0:0:0:0:1:ffff:c000:201", "::1:ffff:c000:201", "not mapped: group 4 set"},
       }) {
    auto parsed = Ipv6Addr::Parse(c.text);
    ASSERT_TRUE(parsed.ok()) << c.text;
    EXPECT_EQ(parsed->ToString(), c.canonical) << c.why;
    auto again = Ipv6Addr::Parse(parsed->ToString());
    ASSERT_TRUE(again.ok()) << parsed->ToString();
    EXPECT_EQ(*again, *parsed) << "canonical text must parse back: " << c.why;
  }
}

TEST(Ipv6AddrTest, ConvertsToAndFromUint128) {
  auto a = Ipv6Addr::Parse("2001:db8::1").value();
  EXPECT_EQ(Halves(a.ToUint128()), Halves((Uint128{0x20010db800000000} << 64) | 1));
  EXPECT_EQ(Ipv6Addr::FromUint128(a.ToUint128()), a);
  EXPECT_EQ(Ipv6Addr::FromUint128(0), Ipv6Addr());
  EXPECT_EQ(Ipv6Addr::FromUint128(~Uint128{0}).ToString(),
            "ffff:ffff:ffff:ffff:ffff:ffff:ffff:ffff");
  EXPECT_EQ(a.bytes()[0], 0x20);
  EXPECT_EQ(a.bytes()[15], 0x01);
}

TEST(Ipv6AddrTest, ClassifiesLinkLocalAndMulticast) {
  EXPECT_TRUE(Ipv6Addr::Parse("fe80::1")->IsLinkLocal());
  EXPECT_TRUE(Ipv6Addr::Parse("febf::1")->IsLinkLocal());
  EXPECT_FALSE(Ipv6Addr::Parse("fec0::1")->IsLinkLocal());
  EXPECT_FALSE(Ipv6Addr::Parse("2001:db8::1")->IsLinkLocal());
  EXPECT_TRUE(Ipv6Addr::Parse("ff02::1")->IsMulticast());
  EXPECT_FALSE(Ipv6Addr::Parse("fe80::1")->IsMulticast());
}

// ---------------------------------------------------------------- IpAddr

TEST(IpAddrTest, ParsesEitherFamily) {
  IpAddr v4 = Ip("10.0.0.1");
  EXPECT_TRUE(v4.is_v4());
  EXPECT_EQ(v4.family(), IpFamily::kV4);
  EXPECT_EQ(v4.BitLength(), 32);
  EXPECT_EQ(v4.v4(), Ipv4Addr::FromOctets(10, 0, 0, 1));
  EXPECT_EQ(v4.ToString(), "10.0.0.1");
  EXPECT_EQ(v4.Bytes(), (std::vector<uint8_t>{10, 0, 0, 1}));

  IpAddr v6 = Ip("2001:db8::1");
  EXPECT_TRUE(v6.is_v6());
  EXPECT_EQ(v6.family(), IpFamily::kV6);
  EXPECT_EQ(v6.BitLength(), 128);
  EXPECT_EQ(v6.ToString(), "2001:db8::1");
  EXPECT_EQ(v6.Bytes().size(), 16u);
  EXPECT_EQ(v6.Bytes()[1], 0x01);

  EXPECT_EQ(ToString(IpFamily::kV4), "IPv4");
  EXPECT_EQ(ToString(IpFamily::kV6), "IPv6");
}

TEST(IpAddrTest, ReportsTheFamilySpecificError) {
  EXPECT_EQ(IpAddr::Parse("10.0.0.256").error(), "invalid IP address \"10.0.0.256\"");
  EXPECT_EQ(IpAddr::Parse("").error(), "invalid IP address \"\"");
  EXPECT_EQ(IpAddr::Parse("host.example").error(), "invalid IP address \"host.example\"");
  EXPECT_EQ(IpAddr::Parse("1::2::3").error(), "invalid IPv6 address \"1::2::3\"");
}

TEST(IpAddrTest, DefaultIsIpv4Zero) {
  IpAddr a;
  EXPECT_TRUE(a.is_v4());
  EXPECT_EQ(a, Ip("0.0.0.0"));
}

TEST(IpAddrTest, OrdersIpv4BeforeIpv6ThenNumerically) {
  EXPECT_LT(Ip("255.255.255.255"), Ip("::"));
  EXPECT_LT(Ip("0.0.0.0"), Ip("0.0.0.1"));
  EXPECT_LT(Ip("10.0.0.9"), Ip("10.0.0.10"));
  EXPECT_LT(Ip("2001:db8::9"), Ip("2001:db8::10"));
  EXPECT_LT(Ip("::ffff:0.0.0.1"), Ip("::ffff:0.0.0.2"));
  // Same numeric value, different family: not equal, and IPv4 first.
  EXPECT_NE(Ip("0.0.0.1"), Ip("::1"));
  EXPECT_LT(Ip("0.0.0.1"), Ip("::1"));
  EXPECT_EQ(Ip("2001:DB8::1"), Ip("2001:db8:0::1"));
  std::vector<IpAddr> sorted = {Ip("::1"), Ip("10.0.0.2"), Ip("1.0.0.0"), Ip("::")};
  std::sort(sorted.begin(), sorted.end());
  EXPECT_EQ(sorted, (std::vector<IpAddr>{Ip("1.0.0.0"), Ip("10.0.0.2"), Ip("::"), Ip("::1")}));
}

TEST(IpAddrTest, BuildsFromUint128) {
  EXPECT_EQ(IpAddr::FromUint128(IpFamily::kV4, 0x0a000001), Ip("10.0.0.1"));
  // Only the low 32 bits count for IPv4.
  EXPECT_EQ(IpAddr::FromUint128(IpFamily::kV4, (Uint128{1} << 64) | 0x0a000001), Ip("10.0.0.1"));
  EXPECT_EQ(IpAddr::FromUint128(IpFamily::kV6, 1), Ip("::1"));
  EXPECT_EQ(Halves(Ip("10.0.0.1").ToUint128()), Halves(0x0a000001));
  EXPECT_EQ(Halves(Ip("::1").ToUint128()), Halves(1));
}

TEST(IpAddrTest, StepsWithinTheFamilyAndStopsAtTheEnds) {
  EXPECT_EQ(Ip("10.0.0.255").Next(), Ip("10.0.1.0"));
  EXPECT_EQ(Ip("10.0.1.0").Prev(), Ip("10.0.0.255"));
  EXPECT_EQ(Ip("255.255.255.255").Next(), std::nullopt);
  EXPECT_EQ(Ip("0.0.0.0").Prev(), std::nullopt);
  EXPECT_EQ(Ip("::").Prev(), std::nullopt);
  EXPECT_EQ(Ip("ffff:ffff:ffff:ffff:ffff:ffff:ffff:ffff").Next(), std::nullopt);
  EXPECT_EQ(Ip("::ffff").Next(), Ip("::1:0"));
  EXPECT_EQ(Ip("0:0:0:1::").Prev(), Ip("::ffff:ffff:ffff:ffff"));
  // IPv4 never spills into IPv6 and vice versa.
  EXPECT_TRUE(Ip("255.255.255.254").Next()->is_v4());
}

// ---------------------------------------------------------------- Prefix

TEST(PrefixTest, MakeMasksHostBits) {
  auto p = Prefix::Make(Ip("10.1.2.3"), 8);
  ASSERT_TRUE(p.ok());
  EXPECT_EQ(p->ToString(), "10.0.0.0/8");
  EXPECT_EQ(p->network(), Ip("10.0.0.0"));
  EXPECT_EQ(p->length(), 8);
  EXPECT_EQ(p->family(), IpFamily::kV4);
  EXPECT_EQ(Prefix::Make(Ip("10.1.2.3"), 0)->ToString(), "0.0.0.0/0");
  EXPECT_EQ(Prefix::Make(Ip("10.1.2.3"), 32)->ToString(), "10.1.2.3/32");
  EXPECT_EQ(Prefix::Make(Ip("10.1.2.3"), 31)->ToString(), "10.1.2.2/31");
  EXPECT_EQ(Prefix::Make(Ip("2001:db8::1"), 127)->ToString(), "2001:db8::/127");
  EXPECT_EQ(Prefix::Make(Ip("2001:db8:ffff::1"), 33)->ToString(), "2001:db8:8000::/33");
  EXPECT_EQ(Prefix::Make(Ip("ffff::1"), 1)->ToString(), "8000::/1");
  EXPECT_EQ(Prefix::Make(Ip("ffff::1"), 0)->ToString(), "::/0");
  EXPECT_EQ(Prefix::Make(Ip("ffff::1"), 128)->ToString(), "ffff::1/128");
}

TEST(PrefixTest, MakeRejectsLengthsOutsideTheFamily) {
  EXPECT_EQ(Prefix::Make(Ip("10.0.0.0"), 33).error(), "prefix length 33 out of range for IPv4");
  EXPECT_EQ(Prefix::Make(Ip("10.0.0.0"), -1).error(), "prefix length -1 out of range for IPv4");
  EXPECT_EQ(Prefix::Make(Ip("::"), 129).error(), "prefix length 129 out of range for IPv6");
}

TEST(PrefixTest, ParseMasksAndParseStrictRejectsHostBits) {
  EXPECT_EQ(Prefix::Parse("10.1.2.3/8")->ToString(), "10.0.0.0/8");
  EXPECT_EQ(Prefix::Parse("2001:db8::1/32")->ToString(), "2001:db8::/32");
  EXPECT_EQ(Prefix::ParseStrict("10.1.2.3/8").error(),
            "invalid CIDR \"10.1.2.3/8\": host bits set (network is 10.0.0.0/8)");
  EXPECT_EQ(Prefix::ParseStrict("10.0.0.0/8")->ToString(), "10.0.0.0/8");
  EXPECT_EQ(Prefix::ParseStrict("2001:db8::/32")->ToString(), "2001:db8::/32");
  EXPECT_EQ(Prefix::ParseStrict("0.0.0.0/0")->ToString(), "0.0.0.0/0");
  EXPECT_EQ(Prefix::ParseStrict("::/0")->ToString(), "::/0");
}

TEST(PrefixTest, ParseRejectsMalformedTextWithExactError) {
  struct Case {
    const char* text;
    const char* error;
  };
  for (const Case& c : std::vector<Case>{
           {"10.0.0.0", "invalid CIDR \"10.0.0.0\": missing /"},
           {"", "invalid CIDR \"\": missing /"},
           {"10.0.0.0/", "invalid CIDR \"10.0.0.0/\""},
           {"10.0.0.0/08", "invalid CIDR \"10.0.0.0/08\""},
           {"10.0.0.0/x", "invalid CIDR \"10.0.0.0/x\""},
           {"10.0.0.0/-1", "invalid CIDR \"10.0.0.0/-1\""},
           {"10.0.0.0/1000", "invalid CIDR \"10.0.0.0/1000\""},
           {"10.0.0.0/8/8", "invalid CIDR \"10.0.0.0/8/8\""},
           {"10.0.0.0/ 8", "invalid CIDR \"10.0.0.0/ 8\""},
           {"10.0.0.0/33", "invalid CIDR \"10.0.0.0/33\": prefix length 33 exceeds 32"},
           {"::/129", "invalid CIDR \"::/129\": prefix length 129 exceeds 128"},
           {"x/8", "invalid CIDR \"x/8\": invalid IP address \"x\""},
           {"/8", "invalid CIDR \"/8\": invalid IP address \"\""},
           {"1::2::/8", "invalid CIDR \"1::2::/8\": invalid IPv6 address \"1::2::\""},
       }) {
    auto parsed = Prefix::Parse(c.text);
    ASSERT_FALSE(parsed.ok()) << c.text;
    EXPECT_EQ(parsed.error(), c.error);
    EXPECT_EQ(Prefix::ParseStrict(c.text).error(), c.error);
  }
}

TEST(PrefixTest, FirstLastAndSize) {
  Prefix p = Pfx("192.168.1.0/24");
  EXPECT_EQ(p.First(), Ip("192.168.1.0"));
  EXPECT_EQ(p.Last(), Ip("192.168.1.255"));
  EXPECT_EQ(Halves(p.Size()), Halves(256));
  EXPECT_EQ(Halves(Pfx("10.0.0.1/32").Size()), Halves(1));
  EXPECT_EQ(Halves(Pfx("0.0.0.0/0").Size()), Halves(Uint128{1} << 32));
  EXPECT_EQ(Pfx("0.0.0.0/0").Last(), Ip("255.255.255.255"));
  EXPECT_EQ(Halves(Pfx("2001:db8::/64").Size()), Halves(Uint128{1} << 64));
  EXPECT_EQ(Halves(Pfx("::/1").Size()), Halves(Uint128{1} << 127));
  EXPECT_EQ(Halves(Pfx("::/0").Size()), Halves(~Uint128{0})) << "saturated";
  EXPECT_EQ(Pfx("::/0").Last(), Ip("ffff:ffff:ffff:ffff:ffff:ffff:ffff:ffff"));
  EXPECT_EQ(Pfx("2001:db8::/32").Last(), Ip("2001:db8:ffff:ffff:ffff:ffff:ffff:ffff"));
}

TEST(PrefixTest, ContainsAddressesOfItsOwnFamilyOnly) {
  Prefix p = Pfx("10.0.0.0/8");
  EXPECT_TRUE(p.Contains(Ip("10.0.0.0")));
  EXPECT_TRUE(p.Contains(Ip("10.255.255.255")));
  EXPECT_FALSE(p.Contains(Ip("11.0.0.0")));
  EXPECT_FALSE(p.Contains(Ip("9.255.255.255")));
  EXPECT_FALSE(p.Contains(Ip("::a00:1"))) << "same bits, other family";
  EXPECT_TRUE(Pfx("0.0.0.0/0").Contains(Ip("255.255.255.255")));
  EXPECT_FALSE(Pfx("0.0.0.0/0").Contains(Ip("::")));
  EXPECT_TRUE(Pfx("::/0").Contains(Ip("ffff::")));
  EXPECT_FALSE(Pfx("::/0").Contains(Ip("0.0.0.0")));
  EXPECT_TRUE(Pfx("2001:db8::/32").Contains(Ip("2001:db8:1::1")));
  EXPECT_FALSE(Pfx("2001:db8::/32").Contains(Ip("2001:db9::")));
}

TEST(PrefixTest, ContainsAndOverlapsPrefixes) {
  EXPECT_TRUE(Pfx("10.0.0.0/8").Contains(Pfx("10.1.0.0/16")));
  EXPECT_TRUE(Pfx("10.0.0.0/8").Contains(Pfx("10.0.0.0/8")));
  EXPECT_FALSE(Pfx("10.1.0.0/16").Contains(Pfx("10.0.0.0/8")));
  EXPECT_FALSE(Pfx("10.0.0.0/8").Contains(Pfx("11.0.0.0/16")));
  EXPECT_FALSE(Pfx("0.0.0.0/0").Contains(Pfx("::/0")));

  EXPECT_TRUE(Pfx("10.0.0.0/8").Overlaps(Pfx("10.1.0.0/16")));
  EXPECT_TRUE(Pfx("10.1.0.0/16").Overlaps(Pfx("10.0.0.0/8")));
  EXPECT_TRUE(Pfx("10.1.0.0/16").Overlaps(Pfx("10.1.0.0/16")));
  EXPECT_FALSE(Pfx("10.1.0.0/16").Overlaps(Pfx("10.2.0.0/16")));
  EXPECT_FALSE(Pfx("192.168.1.0/25").Overlaps(Pfx("192.168.1.128/25")));
  EXPECT_FALSE(Pfx("0.0.0.0/0").Overlaps(Pfx("::/0")));
  EXPECT_TRUE(Pfx("::/0").Overlaps(Pfx("2001:db8::1/128")));
}

TEST(PrefixTest, IteratesEveryAddressAndTerminatesAtTheEndOfSpace) {
  EXPECT_EQ(Iterate(Pfx("192.168.1.4/30")),
            (std::vector<std::string>{"192.168.1.4", "192.168.1.5", "192.168.1.6", "192.168.1.7"}));
  EXPECT_EQ(Iterate(Pfx("10.0.0.1/32")), (std::vector<std::string>{"10.0.0.1"}));
  EXPECT_EQ(Iterate(Pfx("255.255.255.255/32")), (std::vector<std::string>{"255.255.255.255"}));
  EXPECT_EQ(Iterate(Pfx("255.255.255.252/30")),
            (std::vector<std::string>{"255.255.255.252", "255.255.255.253", "255.255.255.254",
                                      "255.255.255.255"}));
  EXPECT_EQ(Iterate(Pfx("2001:db8::/126")),
            (std::vector<std::string>{"2001:db8::", "2001:db8::1", "2001:db8::2", "2001:db8::3"}));
  EXPECT_EQ(Iterate(Pfx("ffff:ffff:ffff:ffff:ffff:ffff:ffff:fffe/127")).size(), 2u);
  EXPECT_EQ(Iterate(Pfx("10.0.0.0/22")).size(), 1024u);
}

TEST(PrefixTest, OrdersByNetworkThenLength) {
  EXPECT_LT(Pfx("10.0.0.0/8"), Pfx("10.0.0.0/16"));
  EXPECT_LT(Pfx("10.0.0.0/16"), Pfx("10.1.0.0/16"));
  EXPECT_LT(Pfx("255.0.0.0/8"), Pfx("::/0"));
  EXPECT_EQ(Pfx("10.0.0.0/8"), Prefix::Parse("10.9.9.9/8").value());
  EXPECT_NE(Pfx("10.0.0.0/8"), Pfx("10.0.0.0/9"));
}

// ---------------------------------------------------------------- IpRange

TEST(IpRangeTest, ParsesDashedRangesAndCidrs) {
  IpRange r = Range("192.168.1.240-192.168.1.250");
  EXPECT_EQ(r.first(), Ip("192.168.1.240"));
  EXPECT_EQ(r.last(), Ip("192.168.1.250"));
  EXPECT_EQ(r.family(), IpFamily::kV4);
  EXPECT_EQ(Halves(r.Size()), Halves(11));
  EXPECT_EQ(r.ToString(), "192.168.1.240-192.168.1.250");
  EXPECT_EQ(Range(" 192.168.1.240 - 192.168.1.250 "), r) << "MetalLB trims spaces";
  EXPECT_EQ(Range("\t192.168.1.240-\t192.168.1.250"), r);

  IpRange cidr = Range("192.168.1.0/24");
  EXPECT_EQ(cidr.ToString(), "192.168.1.0-192.168.1.255");
  EXPECT_EQ(Range("192.168.1.7/24"), cidr) << "CIDR host bits are masked like Go's ParseCIDR";
  EXPECT_EQ(Range("fc00::1-fc00::ff").ToString(), "fc00::1-fc00::ff");
  EXPECT_EQ(Range("10.0.0.1-10.0.0.1").ToString(), "10.0.0.1-10.0.0.1");
  EXPECT_EQ(IpRange::FromPrefix(Pfx("10.0.0.0/30")), Range("10.0.0.0-10.0.0.3"));
}

TEST(IpRangeTest, RejectsMalformedRangesWithExactError) {
  struct Case {
    const char* text;
    const char* error;
  };
  for (const Case& c : std::vector<Case>{
           {"", "invalid address range \"\": expected a CIDR or FIRST-LAST"},
           {"10.0.0.1", "invalid address range \"10.0.0.1\": expected a CIDR or FIRST-LAST"},
           {"10.0.0.1-x", "invalid address range \"10.0.0.1-x\": invalid IP address \"x\""},
           {"-10.0.0.1", "invalid address range \"-10.0.0.1\": invalid IP address \"\""},
           {"10.0.0.1-", "invalid address range \"10.0.0.1-\": invalid IP address \"\""},
           {"10.0.0.1-10.0.0.2-10.0.0.3",
            "invalid address range \"10.0.0.1-10.0.0.2-10.0.0.3\": invalid IP address "
            "\"10.0.0.2-10.0.0.3\""},
           {"10.0.0.5-10.0.0.1", "range 10.0.0.5-10.0.0.1 ends before it starts"},
           {"10.0.0.1-::1", "range 10.0.0.1-::1 mixes IPv4 and IPv6"},
           {"10.0.0.0/33", "invalid CIDR \"10.0.0.0/33\": prefix length 33 exceeds 32"},
       }) {
    auto parsed = IpRange::Parse(c.text);
    ASSERT_FALSE(parsed.ok()) << c.text;
    EXPECT_EQ(parsed.error(), c.error);
  }
  EXPECT_EQ(IpRange::Make(Ip("::2"), Ip("::1")).error(), "range ::2-::1 ends before it starts");
}

TEST(IpRangeTest, ContainsOverlapsAndSize) {
  IpRange r = Range("10.0.0.10-10.0.0.20");
  EXPECT_TRUE(r.Contains(Ip("10.0.0.10")));
  EXPECT_TRUE(r.Contains(Ip("10.0.0.20")));
  EXPECT_FALSE(r.Contains(Ip("10.0.0.21")));
  EXPECT_FALSE(r.Contains(Ip("10.0.0.9")));
  EXPECT_FALSE(r.Contains(Ip("::a00:f")));
  EXPECT_TRUE(r.Overlaps(Range("10.0.0.20-10.0.0.30")));
  EXPECT_TRUE(r.Overlaps(Range("10.0.0.0-10.0.0.10")));
  EXPECT_TRUE(r.Overlaps(Range("10.0.0.12-10.0.0.13")));
  EXPECT_FALSE(r.Overlaps(Range("10.0.0.21-10.0.0.30")));
  EXPECT_EQ(Halves(Range("0.0.0.0-255.255.255.255").Size()), Halves(Uint128{1} << 32));
  EXPECT_EQ(Halves(Range("::-ffff:ffff:ffff:ffff:ffff:ffff:ffff:ffff").Size()), Halves(~Uint128{0}))
      << "saturated";
  EXPECT_EQ(Halves(Range("::-7fff:ffff:ffff:ffff:ffff:ffff:ffff:ffff").Size()),
            Halves(Uint128{1} << 127));
}

TEST(IpRangeTest, ToPrefixesSplitsIntoTheFewestAlignedBlocks) {
  struct Case {
    const char* range;
    std::vector<std::string> prefixes;
  };
  for (const Case& c : std::vector<Case>{
           {"192.168.1.240-192.168.1.250",
            {"192.168.1.240/29", "192.168.1.248/31", "192.168.1.250/32"}},
           {"192.168.1.0-192.168.1.255", {"192.168.1.0/24"}},
           {"10.0.0.1-10.0.0.1", {"10.0.0.1/32"}},
           {"10.0.0.1-10.0.0.6", {"10.0.0.1/32", "10.0.0.2/31", "10.0.0.4/31", "10.0.0.6/32"}},
           {"0.0.0.0-255.255.255.255", {"0.0.0.0/0"}},
           {"0.0.0.0-255.255.255.254",
            {"0.0.0.0/1",          "128.0.0.0/2",        "192.0.0.0/3",
             "224.0.0.0/4",        "240.0.0.0/5",        "248.0.0.0/6",
             "252.0.0.0/7",        "254.0.0.0/8",        "255.0.0.0/9",
             "255.128.0.0/10",     "255.192.0.0/11",     "255.224.0.0/12",
             "255.240.0.0/13",     "255.248.0.0/14",     "255.252.0.0/15",
             "255.254.0.0/16",     "255.255.0.0/17",     "255.255.128.0/18",
             "255.255.192.0/19",   "255.255.224.0/20",   "255.255.240.0/21",
             "255.255.248.0/22",   "255.255.252.0/23",   "255.255.254.0/24",
             "255.255.255.0/25",   "255.255.255.128/26", "255.255.255.192/27",
             "255.255.255.224/28", "255.255.255.240/29", "255.255.255.248/30",
             "255.255.255.252/31", "255.255.255.254/32"}},
           {"255.255.255.255-255.255.255.255", {"255.255.255.255/32"}},
           {"255.255.255.254-255.255.255.255", {"255.255.255.254/31"}},
           {"128.0.0.0-255.255.255.255", {"128.0.0.0/1"}},
           {"::-ffff:ffff:ffff:ffff:ffff:ffff:ffff:ffff", {"::/0"}},
           {"::-7fff:ffff:ffff:ffff:ffff:ffff:ffff:ffff", {"::/1"}},
           {"8000::-ffff:ffff:ffff:ffff:ffff:ffff:ffff:ffff", {"8000::/1"}},
           {"ffff:ffff:ffff:ffff:ffff:ffff:ffff:ffff-ffff:ffff:ffff:ffff:ffff:ffff:ffff:ffff",
            {"ffff:ffff:ffff:ffff:ffff:ffff:ffff:ffff/128"}},
           {"2001:db8::-2001:db8::ff", {"2001:db8::/120"}},
           {"2001:db8::1-2001:db8::2", {"2001:db8::1/128", "2001:db8::2/128"}},
       }) {
    EXPECT_EQ(Strings(Range(c.range).ToPrefixes()), c.prefixes) << c.range;
  }
  // ::1 to the top: one block per bit above 0, /128 for ::1 then ::2/127 ... 8000::/1.
  auto blocks = Range("::1-ffff:ffff:ffff:ffff:ffff:ffff:ffff:ffff").ToPrefixes();
  ASSERT_EQ(blocks.size(), 128u);
  EXPECT_EQ(blocks.front().ToString(), "::1/128");
  EXPECT_EQ(blocks[1].ToString(), "::2/127");
  EXPECT_EQ(blocks.back().ToString(), "8000::/1");
}

}  // namespace
}  // namespace vipcast::core
