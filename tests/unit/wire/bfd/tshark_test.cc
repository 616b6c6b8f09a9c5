// Wireshark as an independent judge of our BFD encoding: packets produced by
// the codec and by two live BfdEngines are written to a pcap and dissected by
// tshark, which must find nothing malformed and no expert warning, and must
// read the same fields we wrote.
#include <gtest/gtest.h>
#include <unistd.h>

#include <cstdio>
#include <filesystem>
#include <string>
#include <variant>
#include <vector>

#include "engine/wire/bfd/codec.h"
#include "tests/unit/bfd/datagram_loop.h"
#include "tests/unit/wire/bfd/pcap_writer.h"

namespace vipcast::wire::bfd {
namespace {

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

// Datagrams of a whole session life: handshake, Poll/Final, AdminDown, a
// detection timeout, all as two engines emitted them.
std::vector<testing::UdpDatagram> EngineDatagrams() {
  using ::vipcast::bfd::testing::Config;
  using ::vipcast::bfd::testing::DatagramLoop;
  using ::vipcast::bfd::testing::Ip;
  DatagramLoop loop;
  const size_t a = loop.AddNode(1, Ip("192.0.2.1"));
  const size_t b = loop.AddNode(2, Ip("192.0.2.2"));
  const auto t0 = loop.now();
  EXPECT_TRUE(loop.With(a,
                        [&](auto& e, auto& out) {
                          return e.AddSession(t0, Config("192.0.2.1", "192.0.2.2"), out);
                        })
                  .ok());
  EXPECT_TRUE(loop.With(b,
                        [&](auto& e, auto& out) {
                          return e.AddSession(t0, Config("192.0.2.2", "192.0.2.1"), out);
                        })
                  .ok());
  loop.RunFor(core::Duration::Seconds(5));
  const auto key_a = Config("192.0.2.1", "192.0.2.2").key;
  ::vipcast::bfd::SessionParameters slower;
  slower.desired_min_tx = core::Duration::Milliseconds(500);
  loop.With(a, [&](auto& e, auto& out) {
    EXPECT_TRUE(e.UpdateSession(loop.now(), key_a, slower, out).ok());
  });
  loop.RunFor(core::Duration::Seconds(3));
  loop.With(a, [&](auto& e, auto& out) { e.SetAdminDown(loop.now(), key_a, true, out); });
  loop.RunFor(core::Duration::Seconds(3));
  loop.With(a, [&](auto& e, auto& out) { e.SetAdminDown(loop.now(), key_a, false, out); });
  loop.RunFor(core::Duration::Seconds(5));
  // Silence a: b's detection timer expires (diag 1).
  loop.set_policy([&](size_t from, size_t, const core::SendDatagram&, core::TimePoint) {
    return from == a ? std::nullopt : std::optional(core::Duration::Milliseconds(1));
  });
  loop.RunFor(core::Duration::Seconds(5));

  std::vector<std::pair<core::TimePoint, testing::UdpDatagram>> all;
  for (size_t n : {a, b}) {
    for (const auto& [at, action] : loop.node(n).log) {
      if (const auto* send = std::get_if<core::SendDatagram>(&action)) {
        all.emplace_back(at, testing::UdpDatagram{send->local.address.v4(),
                                                  send->remote.address.v4(), send->local.port,
                                                  send->remote.port, send->ttl, send->payload});
      }
    }
  }
  std::stable_sort(all.begin(), all.end(),
                   [](const auto& x, const auto& y) { return x.first < y.first; });
  std::vector<testing::UdpDatagram> out;
  for (auto& [at, d] : all) out.push_back(std::move(d));
  return out;
}

std::vector<testing::UdpDatagram> CodecDatagrams() {
  std::vector<testing::UdpDatagram> out;
  auto add = [&](const ControlPacket& p, uint16_t port) {
    out.push_back(testing::UdpDatagram{core::Ipv4Addr::FromOctets(198, 51, 100, 1),
                                       core::Ipv4Addr::FromOctets(198, 51, 100, 2), 49152, port,
                                       255, Encode(p)});
  };
  ControlPacket p;
  p.state = State::kUp;
  p.detect_mult = 3;
  p.my_discriminator = 0x01020304;
  p.your_discriminator = 0x0a0b0c0d;
  p.desired_min_tx = core::Duration::Milliseconds(300);
  p.required_min_rx = core::Duration::Milliseconds(300);
  add(p, 3784);
  add(p, 4784);  // RFC 5883 multihop port
  ControlPacket with_auth = p;
  with_auth.auth =
      AuthSection{AuthType::kSimplePassword, 1, 0, {'v', 'i', 'p', 'c', 'a', 's', 't'}};
  add(with_auth, 3784);
  with_auth.auth = AuthSection{AuthType::kKeyedMd5, 2, 77, core::Bytes(16, 0x11)};
  add(with_auth, 3784);
  with_auth.auth = AuthSection{AuthType::kMeticulousKeyedMd5, 3, 78, core::Bytes(16, 0x22)};
  add(with_auth, 3784);
  with_auth.auth = AuthSection{AuthType::kKeyedSha1, 4, 79, core::Bytes(20, 0x33)};
  add(with_auth, 3784);
  with_auth.auth = AuthSection{AuthType::kMeticulousKeyedSha1, 5, 80, core::Bytes(20, 0x44)};
  add(with_auth, 3784);
  return out;
}

TEST(BfdTshark, DissectsOurPacketsWithoutWarnings) {
  ASSERT_TRUE(std::filesystem::exists(kTshark))
      << kTshark << " is missing: install the tshark package (Debian: apt-get install tshark); "
      << "this test checks our BFD encoding against Wireshark and must not be skipped";

  std::vector<testing::UdpDatagram> datagrams = EngineDatagrams();
  const size_t engine_count = datagrams.size();
  ASSERT_GT(engine_count, 20u);
  for (auto& d : CodecDatagrams()) datagrams.push_back(std::move(d));

  std::vector<core::Bytes> frames;
  std::string expected_fields;
  uint16_t id = 1;
  for (const auto& d : datagrams) {
    frames.push_back(testing::EthernetIpv4UdpFrame(d, id++));
    auto packet = Decode(d.payload, AuthPolicy::kParse);
    ASSERT_TRUE(packet.ok()) << packet.error().detail;
    expected_fields += std::to_string(static_cast<int>(packet->state)) + "," +
                       std::to_string(packet->my_discriminator) + "," +
                       std::to_string(packet->your_discriminator) + "," +
                       std::to_string(packet->desired_min_tx.microseconds()) + "\n";
  }
  const std::string path = (std::filesystem::temp_directory_path() /
                            ("vipcast-bfd-" + std::to_string(::getpid()) + ".pcap"))
                               .string();
  ASSERT_TRUE(testing::WritePcap(path, frames));

  // Checksum validation is off by default in tshark; turn it on so that a
  // wrong IPv4 or UDP checksum in our writer would show up as an expert error.
  const std::string base = std::string(kTshark) + " -n -o ip.check_checksum:TRUE " +
                           "-o udp.check_checksum:TRUE -r " + path;
  // stderr only carries tshark's "running as root" banner; a failing run
  // still shows through the exit status RunCommand appends.
  const std::string problems =
      RunCommand(base + " -Y '_ws.malformed || _ws.expert.severity >= warning' 2>/dev/null");
  EXPECT_EQ(problems, "") << "tshark flagged packets in " << path;

  // tshark recognised every frame as BFD and read our fields back.
  const std::string fields =
      RunCommand(base +
                 " -Y bfd -T fields -E separator=, -e bfd.sta -e bfd.my_discriminator "
                 "-e bfd.your_discriminator -e bfd.desired_min_tx_interval 2>/dev/null");
  std::string normalised;
  // tshark prints state as "0x03" or "3" depending on version; normalise hex.
  size_t start = 0;
  while (start < fields.size()) {
    size_t end = fields.find('\n', start);
    if (end == std::string::npos) end = fields.size();
    std::string line = fields.substr(start, end - start);
    std::string out_line;
    size_t pos = 0;
    while (pos <= line.size()) {
      size_t comma = line.find(',', pos);
      if (comma == std::string::npos) comma = line.size();
      std::string field = line.substr(pos, comma - pos);
      unsigned long long value = std::stoull(field, nullptr, 0);
      if (!out_line.empty()) out_line += ",";
      out_line += std::to_string(value);
      pos = comma + 1;
    }
    normalised += out_line + "\n";
    start = end + 1;
  }
  EXPECT_EQ(normalised, expected_fields);
  if (!HasFailure()) std::filesystem::remove(path);
}

}  // namespace
}  // namespace vipcast::wire::bfd
