// Wireshark as an independent judge of our BGP encoding: every message type
// the speaker sends, built by the same engine code the session uses
// (BuildOpen, the Adj-RIB-Out, EndOfRib, the codec), goes over one TCP
// connection in a pcap that tshark dissects. tshark must find nothing
// malformed and raise no expert warning or error, must see the message types
// in our order, and must read back the fields we wrote.
#include <gtest/gtest.h>
#include <unistd.h>

#include <cstdio>
#include <filesystem>
#include <sstream>
#include <string>
#include <vector>

#include "engine/bgp/adj_rib_out.h"
#include "engine/bgp/negotiate.h"
#include "engine/wire/bgp/message.h"
#include "tests/unit/wire/bgp/tshark_tcp_frames.h"

namespace vipcast::wire::bgp {
namespace {

namespace speaker = ::vipcast::bgp;  // the session side: Adj-RIB-Out, OPEN building

constexpr const char* kTshark = "/usr/bin/tshark";

std::string RunCommand(const std::string& command) {
  std::string output;
  std::FILE* pipe = ::popen(command.c_str(), "r");
  if (pipe == nullptr) return "popen failed";
  char buffer[4096];
  size_t n;
  while ((n = std::fread(buffer, 1, sizeof buffer, pipe)) > 0) output.append(buffer, n);
  const int status = ::pclose(pipe);
  if (status != 0) output += "\n[exit status " + std::to_string(status) + "]";
  return output;
}

// tshark -T fields prints one line per frame with repeated values joined by
// commas; this flattens them into one list.
std::vector<std::string> FieldValues(const std::string& output) {
  std::vector<std::string> values;
  std::string token;
  for (char c : output) {
    if (c == ',' || c == '\n') {
      if (!token.empty()) values.push_back(token);
      token.clear();
    } else {
      token += c;
    }
  }
  if (!token.empty()) values.push_back(token);
  return values;
}

struct Sent {
  std::vector<core::Bytes> segments;  // TCP payloads, in order
  std::vector<std::string> types;     // bgp.type of every message, in order
};

class Recorder {
 public:
  explicit Recorder(SessionOptions options) : options_(options) {}

  // Encodes `m` as its own segment, or appended to the previous one.
  void Add(const Message& m, bool same_segment = false) {
    auto bytes = EncodeMessage(m, options_);
    ASSERT_TRUE(bytes.ok()) << bytes.error();
    // Our own decoder must agree before tshark is asked.
    ASSERT_TRUE(DecodeMessage(*bytes, options_).ok());
    if (same_segment && !sent_.segments.empty()) {
      sent_.segments.back().insert(sent_.segments.back().end(), bytes->begin(), bytes->end());
    } else {
      sent_.segments.push_back(*bytes);
    }
    sent_.types.push_back(std::to_string(static_cast<int>(TypeOf(m))));
  }
  // Splits the last segment in two, so tshark has to reassemble the message.
  void SplitLast(size_t at) {
    core::Bytes tail(sent_.segments.back().begin() + static_cast<std::ptrdiff_t>(at),
                     sent_.segments.back().end());
    sent_.segments.back().resize(at);
    sent_.segments.push_back(tail);
  }
  const Sent& sent() const { return sent_; }

 private:
  SessionOptions options_;
  Sent sent_;
};

core::Prefix P(const char* text) { return core::Prefix::Parse(text).value(); }

// Everything the speaker sends on an iBGP session (so LOCAL_PREF is sent)
// that negotiated 4-octet AS, IPv4 and IPv6 unicast, and Enhanced Route
// Refresh, but not Extended Message (so UPDATEs stay within 4096 octets).
Sent SpeakerMessages() {
  speaker::LocalCapabilities local;
  local.asn = core::Asn(4200000001u);  // needs 4 octets: My AS is AS_TRANS
  local.router_id = core::RouterId(0xc0000201);
  local.hold_time = core::Duration::Seconds(90);
  local.graceful_restart = true;
  local.restarting = true;

  speaker::UpdateContext context;
  context.local_as = local.asn;
  context.internal = true;
  context.next_hop_v4 = core::Ipv4Addr::FromOctets(192, 0, 2, 1);
  context.next_hop_v6 = core::Ipv6Addr::Parse("2001:db8::1").value();
  context.options.four_octet_as = true;

  Recorder r(context.options);
  r.Add(BuildOpen(local));
  r.Add(KeepaliveMessage{});

  // 1000 IPv4 /32s and 3 IPv6 /128s with communities, large communities
  // and LOCAL_PREF 200: two IPv4 UPDATEs (5 octets a prefix, 4096 at most)
  // and one MP_REACH_NLRI UPDATE.
  speaker::RouteAttributes attrs;
  attrs.local_pref = 200;
  attrs.communities = {(65000u << 16) | 100, (65000u << 16) | 200};  // sorted, unique
  attrs.large_communities = {{4200000001u, 1, 2}};
  speaker::RibOut rib;
  for (uint32_t i = 0; i < 1000; ++i) {
    rib.emplace(core::Prefix::Make(core::IpAddr(core::Ipv4Addr((198u << 24) | (51u << 16) | i)), 32)
                    .value(),
                attrs);
  }
  for (const char* p : {"2001:db8:100::1/128", "2001:db8:100::2/128", "2001:db8:100::3/128"}) {
    rib.emplace(P(p), attrs);
  }
  speaker::AdjRibOut out;
  out.SetDesired(rib);
  int updates = 0;
  while (auto update = out.BuildUpdate(context, kMaxMessageSize)) {
    r.Add(*update);
    if (++updates == 1) r.SplitLast(1000);
  }
  EXPECT_EQ(updates, 3);
  r.Add(speaker::EndOfRib(core::IpFamily::kV4));
  r.Add(speaker::EndOfRib(core::IpFamily::kV6));

  // Withdrawals: IPv4 in Withdrawn Routes, IPv6 in MP_UNREACH_NLRI.
  speaker::RibOut fewer = rib;
  fewer.erase(
      core::Prefix::Make(core::IpAddr(core::Ipv4Addr((198u << 24) | (51u << 16) | 7)), 32).value());
  fewer.erase(P("2001:db8:100::2/128"));
  out.SetDesired(fewer);
  while (auto update = out.BuildUpdate(context, kMaxMessageSize)) r.Add(*update);

  // Route refresh (RFC 2918) and Enhanced Route Refresh (RFC 7313).
  r.Add(RouteRefreshMessage{kAfiIpv4, RouteRefreshMessage::kNormal, kSafiUnicast, {}});
  r.Add(RouteRefreshMessage{kAfiIpv6, RouteRefreshMessage::kBorr, kSafiUnicast, {}});
  r.Add(RouteRefreshMessage{kAfiIpv6, RouteRefreshMessage::kEorr, kSafiUnicast, {}});
  r.Add(KeepaliveMessage{});
  r.Add(KeepaliveMessage{}, /*same_segment=*/true);
  // RFC 9003 Cease / Administrative Shutdown with a communication.
  r.Add(NotificationMessage::MakeShutdown(2, "vipcast maintenance: node drained, back at 10:00"));
  return r.sent();
}

TEST(BgpTshark, DissectsEveryMessageWeSendWithoutWarnings) {
  ASSERT_TRUE(std::filesystem::exists(kTshark))
      << kTshark << " is missing: install the tshark package (Debian: apt-get install tshark); "
      << "this test checks our BGP encoding against Wireshark and must not be skipped";

  const Sent sent = SpeakerMessages();
  ASSERT_FALSE(HasFailure());
  testing::TcpConnectionFrames connection(core::Ipv4Addr::FromOctets(192, 0, 2, 1), 50179,
                                          core::Ipv4Addr::FromOctets(192, 0, 2, 2), 179);
  for (const auto& segment : sent.segments) connection.Send(segment);
  const std::string path = (std::filesystem::temp_directory_path() /
                            ("vipcast-bgp-" + std::to_string(::getpid()) + ".pcap"))
                               .string();
  ASSERT_TRUE(testing::WritePcap(path, connection.frames()));

  // Checksum validation is off by default in tshark; turn it on so that a
  // wrong IPv4 or TCP checksum in our framing would show up as well.
  const std::string base = std::string(kTshark) + " -n -o ip.check_checksum:TRUE " +
                           "-o tcp.check_checksum:TRUE -r " + path;
  // stderr only carries tshark's "running as root" banner; a failing run
  // still shows through the exit status RunCommand appends.
  const std::string problems =
      RunCommand(base + " -Y '_ws.malformed || _ws.expert.severity >= warning' 2>/dev/null");
  EXPECT_EQ(problems, "") << "tshark flagged frames in " << path;
  const std::string verbose = RunCommand(base + " -V 2>/dev/null");
  EXPECT_EQ(verbose.find("Malformed"), std::string::npos) << path;
  EXPECT_EQ(verbose.find("Expert Info (Warning"), std::string::npos) << path;
  EXPECT_EQ(verbose.find("Expert Info (Error"), std::string::npos) << path;

  // Every message, dissected as the type we sent, in our order.
  auto field = [&](const std::string& name) {
    return FieldValues(RunCommand(base + " -Y bgp -T fields -e " + name + " 2>/dev/null"));
  };
  EXPECT_EQ(field("bgp.type"), sent.types);

  // OPEN: AS_TRANS, the real AS and every capability we send: MP IPv4 and
  // IPv6 unicast (1), route refresh (2), enhanced route refresh (70),
  // 4-octet AS (65), graceful restart with the R bit (64). Wireshark 4.0
  // names the Extended Message capability (6) too.
  EXPECT_EQ(field("bgp.open.myas"), std::vector<std::string>{"23456"});
  EXPECT_EQ(field("bgp.cap.4as"), std::vector<std::string>{"4200000001"});
  EXPECT_EQ(field("bgp.cap.type"),
            (std::vector<std::string>{"1", "1", "2", "70", "65", "6", "64"}));
  EXPECT_EQ(field("bgp.cap.mp.afi"), (std::vector<std::string>{"1", "2"}));
  EXPECT_EQ(field("bgp.cap.gr.timers.restart_flag"), std::vector<std::string>{"1"});
  EXPECT_EQ(field("bgp.cap.gr.afi"), (std::vector<std::string>{"1", "2"}));

  // UPDATEs: LOCAL_PREF, communities and large communities on each of the
  // three announcements; the IPv6 ones in MP_REACH_NLRI; 1000 + 3 prefixes.
  EXPECT_EQ(field("bgp.update.path_attribute.local_pref"),
            (std::vector<std::string>{"200", "200", "200"}));
  EXPECT_EQ(field("bgp.large_communities.ga"),
            (std::vector<std::string>{"4200000001", "4200000001", "4200000001"}));
  EXPECT_EQ(field("bgp.update.path_attribute.community_as").size(), 6u);
  EXPECT_EQ(field("bgp.nlri_prefix").size(), 1000u);
  EXPECT_EQ(field("bgp.mp_reach_nlri_ipv6_prefix"),
            (std::vector<std::string>{"2001:db8:100::1", "2001:db8:100::2", "2001:db8:100::3"}));
  EXPECT_EQ(field("bgp.update.path_attribute.mp_reach_nlri.next_hop.ipv6"),
            std::vector<std::string>{"2001:db8::1"});
  EXPECT_EQ(field("bgp.withdrawn_prefix"), std::vector<std::string>{"198.51.0.7"});
  EXPECT_EQ(field("bgp.mp_unreach_nlri_ipv6_prefix"), std::vector<std::string>{"2001:db8:100::2"});

  // ROUTE-REFRESH subtypes normal, BoRR, EoRR; the shutdown communication.
  EXPECT_EQ(field("bgp.route_refresh.subtype"), (std::vector<std::string>{"0", "1", "2"}));
  EXPECT_EQ(field("bgp.notify.major_error"), std::vector<std::string>{"6"});
  EXPECT_EQ(field("bgp.notify.minor_error_cease"), std::vector<std::string>{"2"});
  EXPECT_NE(verbose.find("vipcast maintenance: node drained, back at 10:00"), std::string::npos);
  if (!HasFailure()) std::filesystem::remove(path);
}

}  // namespace
}  // namespace vipcast::wire::bgp
