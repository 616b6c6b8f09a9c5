// Every kind of frame the responder sends, written to a pcap file and
// dissected by tshark: no malformed packets, no expert warnings, and every
// ICMPv6 checksum reported good. tshark is a build dependency
// (tools/debian-packages.txt); its absence fails the test.
#include <gtest/gtest.h>
#include <unistd.h>

#include <cstdio>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>
#include <vector>

#include "engine/l2/answers.h"
#include "tests/unit/l2/responder_fixture.h"

namespace vipcast::l2 {
namespace {

using testing::All;
using testing::Mac;
using testing::ResponderTest;
using testing::V4;
using testing::V6;
using wire::testing::Hex;

constexpr const char* kTshark = "/usr/bin/tshark";

// Classic libpcap format (not pcapng): 24-byte global header, then a
// 16-byte record header per frame. Little-endian, microsecond timestamps,
// link type 1 = DLT_EN10MB (Ethernet without FCS).
class PcapWriter {
 public:
  explicit PcapWriter(const std::string& path) : out_(path, std::ios::binary) {
    U32(0xa1b2c3d4);  // magic
    U16(2);           // version 2.4
    U16(4);
    U32(0);      // thiszone
    U32(0);      // sigfigs
    U32(65535);  // snaplen
    U32(1);      // DLT_EN10MB
  }
  void Write(const core::Bytes& frame) {
    ++seconds_;
    U32(seconds_);
    U32(0);
    U32(static_cast<uint32_t>(frame.size()));  // captured
    U32(static_cast<uint32_t>(frame.size()));  // on the wire
    out_.write(reinterpret_cast<const char*>(frame.data()),
               static_cast<std::streamsize>(frame.size()));
  }
  bool ok() const { return out_.good(); }

 private:
  void U16(uint16_t v) {
    const char b[2] = {static_cast<char>(v), static_cast<char>(v >> 8)};
    out_.write(b, 2);
  }
  void U32(uint32_t v) {
    U16(static_cast<uint16_t>(v));
    U16(static_cast<uint16_t>(v >> 16));
  }
  std::ofstream out_;
  uint32_t seconds_ = 0;
};

std::string RunCommand(const std::string& command, int* status) {
  std::string output;
  FILE* pipe = popen(command.c_str(), "r");
  if (pipe == nullptr) {
    *status = -1;
    return output;
  }
  char buffer[4096];
  size_t n;
  while ((n = fread(buffer, 1, sizeof buffer, pipe)) > 0) output.append(buffer, n);
  *status = pclose(pipe);
  return output;
}

class WiresharkTest : public ResponderTest {
 protected:
  // Frames from one scenario: the node answers and announces an IPv4 and an
  // IPv6 VIP, including a probe, a DAD probe, a NUD probe and a VLAN tag.
  std::vector<core::Bytes> OurFrames() {
    std::vector<core::Bytes> frames;
    auto keep = [&](const std::vector<core::Action>& actions) {
      for (const auto& f : All<core::SendFrame>(actions)) frames.push_back(f.frame);
    };
    responder_.Own(kT0, kVip4, {"eth0"}, "default/web", out_);
    responder_.Own(kT0, kVip6, {"eth0"}, "default/web", out_);
    keep(out_.Drain());
    keep(Feed(Hex(wire::testing::kLinuxArpRequest)));
    keep(Feed(ArpRequest(kVip4.v4(), core::MacAddr::Broadcast(), core::Ipv4Addr())));
    auto tagged = wire::ParseFrame(ArpRequest(kVip4.v4()));
    tagged->ethernet.vlan_tci = 100;
    keep(Feed(wire::EncodeFrame(*tagged)));
    keep(Feed(Hex(wire::testing::kLinuxNeighborSolicitation)));
    keep(
        Feed(Solicitation(kVip6.v6(), core::Ipv6Addr(), std::nullopt, std::nullopt, std::nullopt)));
    keep(Feed(Solicitation(kVip6.v6(), V6("fe80::1"), kVip6.v6(), kMac0, std::nullopt)));
    responder_.Advance(kT0 + core::Duration::Milliseconds(1100), out_);
    keep(out_.Drain());
    return frames;
  }
};

struct Row {
  std::string protocol;
  std::string expert;
  std::string malformed;
  std::string icmpv6_checksum_status;  // 1 = good, 0 = bad
  std::string line;
};

// Writes `frames` to a pcap file and returns tshark's verdict per frame.
std::vector<Row> Dissect(const std::vector<core::Bytes>& frames) {
  EXPECT_TRUE(std::filesystem::exists(kTshark))
      << kTshark << " is missing: install the tshark package (tools/debian-packages.txt); "
      << "this test must not be skipped";
  const std::string path = (std::filesystem::temp_directory_path() /
                            ("vipcast-l2-" + std::to_string(getpid()) + ".pcap"))
                               .string();
  {
    PcapWriter pcap(path);
    for (const auto& f : frames) pcap.Write(f);
    EXPECT_TRUE(pcap.ok());
  }
  int status = 0;
  const std::string output =
      RunCommand(std::string(kTshark) + " -r " + path +
                     " -T fields -E separator=/t -e _ws.col.Protocol -e _ws.expert -e _ws.malformed"
                     " -e icmpv6.checksum.status -e _ws.col.Info 2>/dev/null",
                 &status);
  std::filesystem::remove(path);
  EXPECT_EQ(status, 0) << output;

  std::vector<Row> rows;
  std::istringstream lines(output);
  std::string line;
  while (std::getline(lines, line)) {
    std::vector<std::string> cols;
    std::istringstream fields(line);
    std::string col;
    while (std::getline(fields, col, '\t')) cols.push_back(col);
    cols.resize(5);
    rows.push_back(Row{cols[0], cols[1], cols[2], cols[3], line});
  }
  return rows;
}

TEST_F(WiresharkTest, TsharkDecodesEveryFrameWeSendWithoutWarnings) {
  std::vector<core::Bytes> frames = OurFrames();
  // The requests we answer, as codec output, so the decoder sees both sides.
  frames.push_back(ArpRequest(kVip4.v4()));
  frames.push_back(Solicitation(kVip6.v6()));
  ASSERT_GE(frames.size(), 12u);

  const std::vector<Row> rows = Dissect(frames);
  ASSERT_EQ(rows.size(), frames.size());
  size_t icmpv6 = 0;
  for (const Row& row : rows) {
    SCOPED_TRACE(row.line);
    EXPECT_EQ(row.expert, "") << "expert info";
    EXPECT_EQ(row.malformed, "") << "malformed";
    if (row.protocol == "ICMPv6") {
      ++icmpv6;
      EXPECT_EQ(row.icmpv6_checksum_status, "1") << "ICMPv6 checksum not reported good";
    } else {
      EXPECT_EQ(row.protocol, "ARP");
    }
  }
  EXPECT_GE(icmpv6, 5u);
}

// The oracle itself: tshark must flag what the test above says it would.
TEST_F(WiresharkTest, TsharkFlagsBadChecksumsAndTruncation) {
  core::Bytes bad_checksum = Hex(wire::testing::kLinuxNeighborSolicitation);
  bad_checksum[57] ^= 1;
  const core::Bytes truncated_arp = Hex("ffffffffffff02000000000a08060001080006040001");
  const std::vector<Row> rows = Dissect({bad_checksum, truncated_arp});
  ASSERT_EQ(rows.size(), 2u);
  EXPECT_NE(rows[0].expert, "");
  EXPECT_EQ(rows[0].icmpv6_checksum_status, "0");
  EXPECT_NE(rows[1].malformed, "");
}

}  // namespace
}  // namespace vipcast::l2
