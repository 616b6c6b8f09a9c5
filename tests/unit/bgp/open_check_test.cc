#include "engine/bgp/open_check.h"

#include <gtest/gtest.h>

#include "engine/bgp/negotiate.h"

namespace vipcast::bgp {
namespace {

namespace wb = wire::bgp;

wb::OpenMessage PeerOpen(uint32_t asn, uint32_t id, uint16_t hold = 90) {
  LocalCapabilities l;
  l.asn = core::Asn(asn);
  l.router_id = core::RouterId(id);
  l.hold_time = core::Duration::Seconds(hold);
  return BuildOpen(l);
}

struct Case {
  const char* name;
  wb::OpenMessage open;
  OpenExpectations expect;
  std::optional<std::pair<int, int>> error;
};

TEST(OpenCheck, Table) {
  OpenExpectations ebgp{core::Asn(64500), core::Asn(64501), std::nullopt, core::RouterId(1)};
  OpenExpectations ibgp{core::Asn(64500), core::Asn(64500), std::nullopt, core::RouterId(1)};
  OpenExpectations dyn_int{core::Asn(64500), std::nullopt, config::DynamicAsn::kInternal,
                           core::RouterId(1)};
  OpenExpectations dyn_ext{core::Asn(64500), std::nullopt, config::DynamicAsn::kExternal,
                           core::RouterId(1)};
  wb::OpenMessage v3 = PeerOpen(64501, 2);
  v3.version = 3;
  wb::OpenMessage as_trans_no_cap = PeerOpen(64501, 2);
  as_trans_no_cap.my_as = 23456;
  as_trans_no_cap.parameters.clear();
  std::vector<Case> cases = {
      {"ok", PeerOpen(64501, 2), ebgp, std::nullopt},
      {"version", v3, ebgp, std::pair{2, 1}},
      {"bad peer as", PeerOpen(64999, 2), ebgp, std::pair{2, 2}},
      {"hold 1", PeerOpen(64501, 2, 1), ebgp, std::pair{2, 6}},
      {"hold 2", PeerOpen(64501, 2, 2), ebgp, std::pair{2, 6}},
      {"hold 0 ok", PeerOpen(64501, 2, 0), ebgp, std::nullopt},
      {"hold 3 ok", PeerOpen(64501, 2, 3), ebgp, std::nullopt},
      {"id zero", PeerOpen(64501, 0), ebgp, std::pair{2, 3}},
      {"ibgp same id", PeerOpen(64500, 1), ibgp, std::pair{2, 3}},
      {"ebgp same id ok", PeerOpen(64501, 1), ebgp, std::nullopt},
      {"dynamic internal ok", PeerOpen(64500, 2), dyn_int, std::nullopt},
      {"dynamic internal bad", PeerOpen(64501, 2), dyn_int, std::pair{2, 2}},
      {"dynamic external ok", PeerOpen(64501, 2), dyn_ext, std::nullopt},
      {"dynamic external bad", PeerOpen(64500, 2), dyn_ext, std::pair{2, 2}},
      {"4-octet peer", PeerOpen(4200000001u, 2),
       OpenExpectations{core::Asn(64500), core::Asn(4200000001u), std::nullopt, core::RouterId(1)},
       std::nullopt},
      {"AS_TRANS without capability", as_trans_no_cap,
       OpenExpectations{core::Asn(64500), std::nullopt, std::nullopt, core::RouterId(1)},
       std::pair{2, 2}},
  };
  for (const auto& c : cases) {
    auto n = CheckOpen(c.open, c.expect);
    if (!c.error) {
      EXPECT_FALSE(n.has_value()) << c.name;
    } else {
      ASSERT_TRUE(n.has_value()) << c.name;
      EXPECT_EQ(n->code, c.error->first) << c.name;
      EXPECT_EQ(n->subcode, c.error->second) << c.name;
    }
  }
}

TEST(OpenCheck, FourOctetOpenUsesAsTrans) {
  wb::OpenMessage open = PeerOpen(4200000001u, 2);
  EXPECT_EQ(open.my_as, 23456);
  EXPECT_EQ(open.PeerAsn(), core::Asn(4200000001u));
}

TEST(Negotiate, CapabilitiesNeedBothSides) {
  LocalCapabilities local;
  local.asn = core::Asn(64500);
  local.router_id = core::RouterId(1);
  local.hold_time = core::Duration::Seconds(90);
  wb::OpenMessage peer = PeerOpen(64501, 2, 30);
  Negotiated n = Negotiate(local, peer);
  EXPECT_TRUE(n.ipv4);
  EXPECT_TRUE(n.ipv6);
  EXPECT_TRUE(n.options.four_octet_as);
  EXPECT_TRUE(n.options.extended_message);
  EXPECT_TRUE(n.enhanced_route_refresh);
  EXPECT_EQ(n.hold_time, core::Duration::Seconds(30));
  // RFC 4760 8: no multiprotocol capability at all means IPv4 unicast only.
  peer.parameters.clear();
  n = Negotiate(local, peer);
  EXPECT_TRUE(n.ipv4);
  EXPECT_FALSE(n.ipv6);
  EXPECT_FALSE(n.options.four_octet_as);
  EXPECT_FALSE(n.options.extended_message);
  EXPECT_FALSE(n.route_refresh);
}

}  // namespace
}  // namespace vipcast::bgp
