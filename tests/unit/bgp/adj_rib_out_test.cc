#include "engine/bgp/adj_rib_out.h"

#include <gtest/gtest.h>

#include <set>

#include "engine/wire/bgp/message.h"

namespace vipcast::bgp {
namespace {

namespace wb = wire::bgp;

core::Prefix P(const char* text) { return core::Prefix::Parse(text).value(); }

UpdateContext Ctx(bool internal = false) {
  UpdateContext c;
  c.local_as = core::Asn(64500);
  c.internal = internal;
  c.next_hop_v4 = core::Ipv4Addr::Parse("10.0.0.1").value();
  c.next_hop_v6 = core::Ipv6Addr::Parse("2001:db8::1").value();
  c.options.four_octet_as = true;
  return c;
}

RibOut ManyV4(int n, RouteAttributes attrs = {}) {
  RibOut r;
  for (int i = 0; i < n; ++i) {
    auto a = core::Ipv4Addr(0x0a000000u + static_cast<uint32_t>(i) * 7);
    r[core::Prefix::Make(core::IpAddr(a), 32).value()] = attrs;
  }
  return r;
}

TEST(AdjRibOut, PacksSharedAttributesUpToTheLimit) {
  AdjRibOut rib;
  rib.SetDesired(ManyV4(2000));
  EXPECT_EQ(rib.pending_count(), 2000u);
  std::set<core::Prefix> seen;
  int messages = 0;
  while (auto u = rib.BuildUpdate(Ctx(), wb::kMaxMessageSize)) {
    auto bytes = wb::EncodeMessage(*u, Ctx().options);
    ASSERT_TRUE(bytes.ok());
    EXPECT_LE(bytes.value().size(), wb::kMaxMessageSize);
    for (const auto& p : u->nlri) seen.insert(p);
    ++messages;
  }
  EXPECT_EQ(seen.size(), 2000u);
  // 5 octets per /32: about 800 per 4096-octet message.
  EXPECT_LE(messages, 3);
  EXPECT_EQ(rib.sent().size(), 2000u);
  EXPECT_EQ(rib.pending_count(), 0u);
}

TEST(AdjRibOut, DifferentAttributesGoInDifferentUpdates) {
  AdjRibOut rib;
  RibOut r;
  r[P("10.0.0.1/32")] = {};
  r[P("10.0.0.2/32")] = RouteAttributes{std::nullopt, {1}, {}};
  r[P("10.0.0.3/32")] = {};
  rib.SetDesired(r);
  auto u1 = rib.BuildUpdate(Ctx(), 4096);
  ASSERT_TRUE(u1);
  EXPECT_EQ(u1->nlri, (std::vector<core::Prefix>{P("10.0.0.1/32"), P("10.0.0.3/32")}));
  auto u2 = rib.BuildUpdate(Ctx(), 4096);
  ASSERT_TRUE(u2);
  EXPECT_EQ(u2->nlri, (std::vector<core::Prefix>{P("10.0.0.2/32")}));
  ASSERT_NE(u2->Find<wb::CommunitiesAttribute>(), nullptr);
  EXPECT_FALSE(rib.BuildUpdate(Ctx(), 4096));
}

TEST(AdjRibOut, WithdrawalsArePackedAndGoFirst) {
  AdjRibOut rib;
  rib.SetDesired(ManyV4(1000));
  while (rib.BuildUpdate(Ctx(), 4096)) {
  }
  RibOut keep = ManyV4(1);
  rib.SetDesired(keep);
  EXPECT_EQ(rib.pending_count(), 999u);
  size_t withdrawn = 0;
  while (auto u = rib.BuildUpdate(Ctx(), 4096)) {
    EXPECT_TRUE(u->nlri.empty());
    withdrawn += u->withdrawn.size();
  }
  EXPECT_EQ(withdrawn, 999u);
  EXPECT_EQ(rib.sent().size(), 1u);
}

TEST(AdjRibOut, Ipv6UsesMpReachWithSessionNextHop) {
  AdjRibOut rib;
  RibOut r;
  r[P("2001:db8:1::/64")] = {};
  rib.SetDesired(r);
  auto u = rib.BuildUpdate(Ctx(), 4096);
  ASSERT_TRUE(u);
  EXPECT_TRUE(u->nlri.empty());
  const auto* mp = u->Find<wb::MpReachAttribute>();
  ASSERT_NE(mp, nullptr);
  EXPECT_EQ(mp->nlri, (std::vector<core::Prefix>{P("2001:db8:1::/64")}));
  EXPECT_EQ(*mp->GlobalNextHop(), core::IpAddr::Parse("2001:db8::1").value());
  rib.SetDesired({});
  auto w = rib.BuildUpdate(Ctx(), 4096);
  ASSERT_TRUE(w);
  const auto* un = w->Find<wb::MpUnreachAttribute>();
  ASSERT_NE(un, nullptr);
  EXPECT_EQ(un->withdrawn, (std::vector<core::Prefix>{P("2001:db8:1::/64")}));
}

TEST(AdjRibOut, LocalPrefOnlyInternal) {
  RouteAttributes a{200, {}, {}};
  auto ext = OriginatedAttributes(a, core::IpFamily::kV4, Ctx(false));
  auto in = OriginatedAttributes(a, core::IpFamily::kV4, Ctx(true));
  auto has_lp = [](const std::vector<wb::PathAttribute>& v) {
    for (const auto& x : v) {
      if (std::holds_alternative<wb::LocalPrefAttribute>(x.value)) return true;
    }
    return false;
  };
  EXPECT_FALSE(has_lp(ext));
  EXPECT_TRUE(has_lp(in));
}

TEST(AdjRibOut, EndOfRibForms) {
  EXPECT_EQ(EndOfRib(core::IpFamily::kV4).EndOfRib(), (wb::AfiSafi{wb::kAfiIpv4, 1}));
  EXPECT_EQ(EndOfRib(core::IpFamily::kV6).EndOfRib(), (wb::AfiSafi{wb::kAfiIpv6, 1}));
}

TEST(AdjRibOut, RefreshResendsAndResetResendsAll) {
  AdjRibOut rib;
  rib.SetDesired(ManyV4(3));
  while (rib.BuildUpdate(Ctx(), 4096)) {
  }
  rib.Refresh({wb::kAfiIpv4, 1});
  EXPECT_EQ(rib.pending_count(), 3u);
  while (rib.BuildUpdate(Ctx(), 4096)) {
  }
  rib.Reset();
  EXPECT_EQ(rib.pending_count(), 3u);
  EXPECT_TRUE(rib.sent().empty());
}

}  // namespace
}  // namespace vipcast::bgp
