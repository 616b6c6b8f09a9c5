#include "engine/election/candidate_hash.h"

#include <gtest/gtest.h>

#include <cstdio>
#include <string>

namespace vipcast::election {
namespace {

core::IpAddr Ip(std::string_view text) { return core::IpAddr::Parse(text).value(); }

std::string Hex(const Digest& d) {
  std::string out;
  char buf[3];
  for (uint8_t b : d) {
    std::snprintf(buf, sizeof buf, "%02x", b);
    out += buf;
  }
  return out;
}

// tests/data/metallb-docs/DEFAULTS.md section 8: the vectors MetalLB's
// sortL2Candidates would produce (computed independently with hashlib).
TEST(CandidateHashTest, MetalLBVectorsIpv4) {
  CandidateHasher h;
  EXPECT_EQ(Hex(h.Hash("node-a", "192.168.1.240")),
            "0905ce28e61d7edba0d1a1e81637d349ef0299ecc2fb9fc9c8347049ba3a9c82");
  EXPECT_EQ(Hex(h.Hash("node-b", "192.168.1.240")),
            "c5db69956edf2871b03fcd4fea381f3374cd4082ef0a18aac7f889b3f88265d6");
  EXPECT_EQ(Hex(h.Hash("node-c", "192.168.1.240")),
            "a6530f9db1eb6e43a6ee4c1e37064e767a245ba829d2651c16d53e8ccba47e74");
}

TEST(CandidateHashTest, MetalLBVectorsIpv6) {
  CandidateHasher h;
  const std::string ip = GoIpString(Ip("fc00:f853:ccd:e799::1"));
  EXPECT_EQ(Hex(h.Hash("node-a", ip)),
            "7ad384bf62203a4f17f58369685b1e71a7738db2240837b7370ed018fbf666ba");
  EXPECT_EQ(Hex(h.Hash("node-b", ip)),
            "288f78939edf77a6e54765514f8c9e7561cb52f59c85ef73a5b0a428cdfb261e");
  EXPECT_EQ(Hex(h.Hash("node-c", ip)),
            "cdf5c8f8a9916f4cd0e76eb54e68b1fefcb5b602c1b8bd6e8d7a94cccbc00746");
}

TEST(CandidateHashTest, DigestPrefixOrdersLikeTheBytes) {
  CandidateHasher h;
  const Digest a = h.Hash("node-a", "192.168.1.240");
  const Digest c = h.Hash("node-c", "192.168.1.240");
  EXPECT_EQ(DigestPrefix(a), 0x0905ce28u);
  EXPECT_LT(DigestPrefix(a), DigestPrefix(c));
  EXPECT_LT(a, c);
}

TEST(CandidateHashTest, HasherIsReusable) {
  CandidateHasher h;
  const Digest first = h.Hash("node-a", "10.0.0.1");
  h.Hash("a-much-longer-node-name.example.internal", "2001:db8::1");
  EXPECT_EQ(h.Hash("node-a", "10.0.0.1"), first);
}

// What Go's net.IP.String() prints after net.ParseIP, for the forms where a
// naive printer would differ.
TEST(GoIpStringTest, MatchesGo) {
  EXPECT_EQ(GoIpString(Ip("192.168.1.240")), "192.168.1.240");
  EXPECT_EQ(GoIpString(Ip("FC00:F853:0CCD:E799:0:0:0:1")), "fc00:f853:ccd:e799::1");
  // IPv4-mapped: To4() succeeds, so Go prints the dotted quad.
  EXPECT_EQ(GoIpString(Ip("::ffff:10.0.0.1")), "10.0.0.1");
  // IPv4-compatible (no ffff) is plain IPv6 to Go.
  EXPECT_EQ(GoIpString(Ip("::10.0.0.1")), "::a00:1");
  // A single zero group is not compressed; the first of two equal runs is.
  EXPECT_EQ(GoIpString(Ip("2001:db8:0:1:1:1:1:1")), "2001:db8:0:1:1:1:1:1");
  EXPECT_EQ(GoIpString(Ip("2001:db8:0:0:1:0:0:1")), "2001:db8::1:0:0:1");
  EXPECT_EQ(GoIpString(Ip("2001:0:0:1:0:0:0:1")), "2001:0:0:1::1");
  EXPECT_EQ(GoIpString(Ip("::")), "::");
  EXPECT_EQ(GoIpString(Ip("::1")), "::1");
}

}  // namespace
}  // namespace vipcast::election
