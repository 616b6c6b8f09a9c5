#include "engine/bgp/best_path.h"

#include <gtest/gtest.h>

namespace vipcast::bgp {
namespace {

namespace wb = wire::bgp;

core::IpAddr A(const char* t) { return core::IpAddr::Parse(t).value(); }

ReceivedRoute Route(const char* nh, std::vector<uint32_t> path, uint32_t lp = 100,
                    uint32_t med = 0) {
  ReceivedRoute r;
  r.next_hop = A(nh);
  wb::AsPath p;
  std::vector<core::Asn> asns;
  for (auto a : path) asns.push_back(core::Asn(a));
  if (!asns.empty()) p.segments.push_back({wb::AsSegmentType::kSequence, asns});
  r.attributes.push_back(wb::PathAttribute::Make(wb::AsPathAttribute{p}));
  r.attributes.push_back(wb::PathAttribute::Make(wb::LocalPrefAttribute{lp}));
  r.attributes.push_back(wb::PathAttribute::Make(wb::MedAttribute{med}));
  return r;
}

Candidate C(const char* nh, std::vector<uint32_t> path, bool external = true, uint32_t lp = 100,
            uint32_t med = 0, uint32_t id = 1) {
  return *MakeCandidate(nh, Route(nh, path, lp, med), external, core::RouterId(id),
                        core::Asn(65000));
}

TEST(BestPath, LoopIsRejected) {
  EXPECT_FALSE(MakeCandidate("p", Route("10.0.0.1", {64500, 65000}), true, core::RouterId(1),
                             core::Asn(65000)));
}

TEST(BestPath, ShorterAsPathWins) {
  auto s = Select({C("10.0.0.1", {64500, 64501}), C("10.0.0.2", {64502})});
  EXPECT_EQ(*s.best, 1u);
  EXPECT_EQ(s.multipath, (std::vector<core::IpAddr>{A("10.0.0.2")}));
}

TEST(BestPath, LocalPrefOnlyFromInternal) {
  // From eBGP the LOCAL_PREF is ignored, so the paths tie.
  auto s = Select({C("10.0.0.1", {64500}, true, 300), C("10.0.0.2", {64501}, true, 100)});
  EXPECT_EQ(s.multipath.size(), 2u);
  s = Select({C("10.0.0.1", {}, false, 300), C("10.0.0.2", {}, false, 100)});
  EXPECT_EQ(*s.best, 0u);
  EXPECT_EQ(s.multipath, (std::vector<core::IpAddr>{A("10.0.0.1")}));
}

TEST(BestPath, EcmpWithAsPathRelax) {
  auto s = Select({C("10.0.0.3", {64503}, true, 100, 0, 3), C("10.0.0.1", {64501}, true, 100, 0, 1),
                   C("10.0.0.2", {64502}, true, 100, 0, 2)});
  EXPECT_EQ(*s.best, 1u);  // lowest router ID
  EXPECT_EQ(s.multipath, (std::vector<core::IpAddr>{A("10.0.0.1"), A("10.0.0.2"), A("10.0.0.3")}));
}

TEST(BestPath, MedOnlyWithinNeighborAs) {
  auto s = Select({C("10.0.0.1", {64500}, true, 100, 10), C("10.0.0.2", {64500}, true, 100, 5)});
  EXPECT_EQ(*s.best, 1u);
  EXPECT_EQ(s.multipath.size(), 1u);
  s = Select({C("10.0.0.1", {64500}, true, 100, 10), C("10.0.0.2", {64501}, true, 100, 5)});
  EXPECT_EQ(s.multipath.size(), 2u);
}

TEST(BestPath, EbgpOverIbgp) {
  auto s = Select({C("10.0.0.1", {}, false), C("10.0.0.2", {}, true)});
  EXPECT_EQ(*s.best, 1u);
}

}  // namespace
}  // namespace vipcast::bgp
