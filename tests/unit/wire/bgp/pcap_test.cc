// The tcpdump BGP captures in ../shared/data/bgp/pcap: a minimal pcap and
// pcapng reader pulls the TCP port-179 payloads out of each frame, joins
// them per direction in capture order, and runs the streams through the
// framer and the same checks as the fuzzers. Many captures are deliberately
// malformed (they reproduce tcpdump over-reads), so the assertion is that
// nothing crashes or breaks the round trip, not that everything decodes.
#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <iterator>
#include <map>
#include <tuple>

#include "fuzz/bgp_checks.h"
#include "tests/unit/wire/bgp/bgp_test_util.h"

namespace vipcast::wire::bgp {
namespace {

namespace fs = std::filesystem;
using core::Bytes;
using core::ByteSpan;

struct Frame {
  uint32_t linktype = 0;
  ByteSpan data;
};

uint32_t Load32(ByteSpan b, size_t at, bool little) {
  if (at + 4 > b.size()) return 0;
  return little ? uint32_t{b[at]} | uint32_t{b[at + 1]} << 8 | uint32_t{b[at + 2]} << 16 |
                      uint32_t{b[at + 3]} << 24
                : uint32_t{b[at]} << 24 | uint32_t{b[at + 1]} << 16 | uint32_t{b[at + 2]} << 8 |
                      uint32_t{b[at + 3]};
}
uint16_t Load16(ByteSpan b, size_t at, bool little) {
  if (at + 2 > b.size()) return 0;
  return static_cast<uint16_t>(little ? b[at] | b[at + 1] << 8 : b[at] << 8 | b[at + 1]);
}

// Classic pcap (either byte order, us or ns) and pcapng (SHB/IDB/EPB/SPB).
std::vector<Frame> ReadCapture(ByteSpan file) {
  std::vector<Frame> frames;
  uint32_t magic = Load32(file, 0, false);
  if (magic == 0xa1b2c3d4 || magic == 0xd4c3b2a1 || magic == 0xa1b23c4d || magic == 0x4d3cb2a1) {
    bool little = magic == 0xd4c3b2a1 || magic == 0x4d3cb2a1;
    uint32_t linktype = Load32(file, 20, little);
    size_t pos = 24;
    while (pos + 16 <= file.size()) {
      uint32_t caplen = Load32(file, pos + 8, little);
      pos += 16;
      if (caplen > file.size() - pos) break;
      frames.push_back({linktype, file.subspan(pos, caplen)});
      pos += caplen;
    }
    return frames;
  }
  if (magic != 0x0a0d0d0a) return frames;
  bool little = true;
  std::vector<uint32_t> interfaces;
  size_t pos = 0;
  while (pos + 12 <= file.size()) {
    uint32_t type = Load32(file, pos, little);
    if (type == 0x0a0d0d0a) {
      little = Load32(file, pos + 8, true) == 0x1a2b3c4d;
      interfaces.clear();
    }
    uint32_t length = Load32(file, pos, little) == type ? Load32(file, pos + 4, little) : 0;
    if (length < 12 || length > file.size() - pos) break;
    ByteSpan body = file.subspan(pos + 8, length - 12);
    if (type == 1) {
      interfaces.push_back(Load16(body, 0, little));
    } else if (type == 6 && body.size() >= 20) {
      uint32_t id = Load32(body, 0, little);
      uint32_t caplen = Load32(body, 12, little);
      if (id < interfaces.size() && caplen <= body.size() - 20) {
        frames.push_back({interfaces[id], body.subspan(20, caplen)});
      }
    } else if (type == 3 && body.size() >= 4 && !interfaces.empty()) {
      frames.push_back({interfaces[0], body.subspan(4)});
    }
    pos += length;
  }
  return frames;
}

// The IP packet inside a link-layer frame, or an empty span.
ByteSpan IpPacket(const Frame& f) {
  ByteSpan d = f.data;
  auto ethertype_payload = [&](size_t at, uint16_t ethertype) -> ByteSpan {
    while (ethertype == 0x8100 && at + 4 <= d.size()) {
      ethertype = Load16(d, at + 2, false);
      at += 4;
    }
    if ((ethertype == 0x0800 || ethertype == 0x86dd) && at <= d.size()) return d.subspan(at);
    return {};
  };
  switch (f.linktype) {
    case 1:  // Ethernet
      return d.size() >= 14 ? ethertype_payload(14, Load16(d, 12, false)) : ByteSpan{};
    case 113:  // Linux cooked (SLL)
      return d.size() >= 16 ? ethertype_payload(16, Load16(d, 14, false)) : ByteSpan{};
    case 276:  // SLL2
      return d.size() >= 20 ? ethertype_payload(20, Load16(d, 0, false)) : ByteSpan{};
    case 12:
    case 14:
    case 101:  // raw IP
      return d;
    case 9: {  // PPP, optionally with FF 03
      size_t at = (d.size() >= 2 && d[0] == 0xff && d[1] == 0x03) ? 2 : 0;
      uint16_t proto = Load16(d, at, false);
      if ((proto == 0x0021 || proto == 0x0057) && at + 2 <= d.size()) return d.subspan(at + 2);
      return {};
    }
    default:
      return {};  // e.g. Juniper Ethernet: not worth a decoder here
  }
}

using FlowKey = std::tuple<Bytes, uint16_t, Bytes, uint16_t>;

// Appends the port-179 TCP payload of `ip` to its flow.
void AddTcpPayload(ByteSpan ip, std::map<FlowKey, Bytes>& flows) {
  if (ip.empty()) return;
  size_t header;
  uint8_t protocol;
  ByteSpan src, dst;
  if ((ip[0] >> 4) == 4 && ip.size() >= 20) {
    header = (ip[0] & 0x0f) * 4u;
    protocol = ip[9];
    src = ip.subspan(12, 4);
    dst = ip.subspan(16, 4);
    size_t total = Load16(ip, 2, false);
    if (total >= header && total <= ip.size()) ip = ip.first(total);
  } else if ((ip[0] >> 4) == 6 && ip.size() >= 40) {
    header = 40;
    protocol = ip[6];
    src = ip.subspan(8, 16);
    dst = ip.subspan(24, 16);
    size_t total = 40u + Load16(ip, 4, false);
    if (total <= ip.size()) ip = ip.first(total);
  } else {
    return;
  }
  if (protocol != 6 || header + 20 > ip.size()) return;
  ByteSpan tcp = ip.subspan(header);
  uint16_t sport = Load16(tcp, 0, false);
  uint16_t dport = Load16(tcp, 2, false);
  size_t offset = (tcp[12] >> 4) * 4u;
  if ((sport != 179 && dport != 179) || offset < 20 || offset > tcp.size()) return;
  auto& flow = flows[FlowKey(Bytes(src.begin(), src.end()), sport, Bytes(dst.begin(), dst.end()),
                             dport)];
  flow.insert(flow.end(), tcp.begin() + static_cast<std::ptrdiff_t>(offset), tcp.end());
}

TEST(BgpPcap, CapturedStreamsNeverBreakTheCodec) {
  fs::path dir = "../shared/data/bgp/pcap";
  ASSERT_TRUE(fs::is_directory(dir)) << "BGP test data missing: " << fs::absolute(dir);
  int files = 0, flows_total = 0, framed = 0, decoded = 0;
  for (const auto& entry : fs::directory_iterator(dir)) {
    std::ifstream in(entry.path(), std::ios::binary);
    Bytes file((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
    auto frames = ReadCapture(file);
    std::map<FlowKey, Bytes> flows;
    for (const auto& f : frames) AddTcpPayload(IpPacket(f), flows);
    ++files;
    for (const auto& [key, stream] : flows) {
      ++flows_total;
      for (bool four : {true, false}) {
        SessionOptions o = testing::Opts(four, true);
        EXPECT_EQ(fuzz::CheckBgpStream(stream, o, 13), "") << entry.path();
      }
      MessageFramer framer(testing::Opts(true, true));
      size_t offset = 0;
      while (offset < stream.size()) {
        size_t taken = framer.Feed(ByteSpan(stream).subspan(offset));
        offset += taken;
        bool progressed = taken > 0;
        while (true) {
          auto next = framer.Next();
          if (!next || !next->has_value()) break;
          progressed = true;
          ++framed;
          if (DecodeMessage(**next, testing::Opts(true, true)) ||
              DecodeMessage(**next, testing::Opts(false, true))) {
            ++decoded;
          }
        }
        if (!progressed || framer.failed()) break;
      }
    }
  }
  std::cout << "pcap: " << files << " files, " << flows_total << " BGP flows, " << framed
            << " messages framed, " << decoded << " decoded without error\n";
  EXPECT_EQ(files, 38);
  EXPECT_GT(framed, 100);
  EXPECT_GT(decoded, framed / 2);
}

}  // namespace
}  // namespace vipcast::wire::bgp
