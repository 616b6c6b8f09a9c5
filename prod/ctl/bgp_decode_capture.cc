#include "prod/ctl/bgp_decode_capture.h"

#include <algorithm>
#include <array>
#include <optional>

#include "engine/core/ip.h"

namespace vipcast::ctl {
namespace {

using core::ByteSpan;

constexpr uint16_t kBgpPort = 179;  // RFC 4271 8.2.1

uint32_t Load32(ByteSpan b, size_t at, bool little) {
  if (at + 4 > b.size()) return 0;
  return little ? uint32_t{b[at]} | uint32_t{b[at + 1]} << 8 | uint32_t{b[at + 2]} << 16 |
                      uint32_t{b[at + 3]} << 24
                : uint32_t{b[at]} << 24 | uint32_t{b[at + 1]} << 16 | uint32_t{b[at + 2]} << 8 |
                      uint32_t{b[at + 3]};
}

uint16_t Load16(ByteSpan b, size_t at, bool little = false) {
  if (at + 2 > b.size()) return 0;
  return static_cast<uint16_t>(little ? b[at] | b[at + 1] << 8 : b[at] << 8 | b[at + 1]);
}

std::string Hex32(uint32_t v) {
  static const char kDigits[] = "0123456789abcdef";
  std::string out = "0x";
  for (int shift = 28; shift >= 0; shift -= 4) out += kDigits[(v >> shift) & 0xf];
  return out;
}

struct Frame {
  uint32_t link_type = 0;
  ByteSpan data;
};

using Frames = core::Result<std::vector<Frame>, std::string>;

// libpcap file format: 24-octet file header, then 16-octet record headers.
Frames ReadPcap(ByteSpan file, bool little) {
  if (file.size() < 24) return core::MakeErr(std::string("truncated pcap file header"));
  const uint32_t link_type = Load32(file, 20, little) & 0x0fffffff;  // upper bits: FCS info
  std::vector<Frame> frames;
  size_t pos = 24;
  while (pos < file.size()) {
    const std::string where =
        "frame " + std::to_string(frames.size() + 1) + " at offset " + std::to_string(pos);
    if (file.size() - pos < 16) return core::MakeErr(where + ": truncated record header");
    const uint32_t caplen = Load32(file, pos + 8, little);
    pos += 16;
    if (caplen > file.size() - pos) {
      return core::MakeErr(where + ": captured length " + std::to_string(caplen) +
                           " runs past the end of the file (" + std::to_string(file.size() - pos) +
                           " octets left)");
    }
    frames.push_back({link_type, file.subspan(pos, caplen)});
    pos += caplen;
  }
  return frames;
}

// pcapng (draft-ietf-opsawg-pcapng): blocks of type, length, body, length.
Frames ReadPcapng(ByteSpan file) {
  std::vector<Frame> frames;
  std::vector<std::pair<uint32_t, uint32_t>> interfaces;  // link type, snap length
  bool little = true;
  size_t pos = 0;
  while (pos < file.size()) {
    const std::string where = "block at offset " + std::to_string(pos);
    if (file.size() - pos < 12) return core::MakeErr(where + ": truncated block header");
    const uint32_t raw_type = Load32(file, pos, true);
    if (raw_type == 0x0a0d0d0a) {
      // Section Header Block: its byte-order magic decides the section's order.
      const uint32_t magic = Load32(file, pos + 8, true);
      if (magic != 0x1a2b3c4d && magic != 0x4d3c2b1a) {
        return core::MakeErr(where + ": bad byte-order magic " + Hex32(magic));
      }
      little = magic == 0x1a2b3c4d;
      interfaces.clear();
    }
    const uint32_t type = Load32(file, pos, little);
    const uint32_t length = Load32(file, pos + 4, little);
    if (length < 12 || length % 4 != 0 || length > file.size() - pos) {
      return core::MakeErr(
          where + ": block length " + std::to_string(length) +
          (length > file.size() - pos ? " runs past the end of the file" : " is invalid"));
    }
    ByteSpan body = file.subspan(pos + 8, length - 12);
    if (type == 1) {  // Interface Description Block
      if (body.size() < 8) return core::MakeErr(where + ": interface block too short");
      interfaces.emplace_back(Load16(body, 0, little), Load32(body, 4, little));
    } else if (type == 6) {  // Enhanced Packet Block
      const uint32_t id = Load32(body, 0, little);
      const uint32_t caplen = Load32(body, 12, little);
      if (body.size() < 20 || id >= interfaces.size() || caplen > body.size() - 20) {
        return core::MakeErr(where + " (frame " + std::to_string(frames.size() + 1) +
                             "): enhanced packet block is inconsistent");
      }
      frames.push_back({interfaces[id].first, body.subspan(20, caplen)});
    } else if (type == 3) {  // Simple Packet Block: interface 0
      if (body.size() < 4 || interfaces.empty()) {
        return core::MakeErr(where + " (frame " + std::to_string(frames.size() + 1) +
                             "): simple packet block without an interface");
      }
      size_t caplen = std::min<size_t>(Load32(body, 0, little), body.size() - 4);
      if (interfaces[0].second != 0) caplen = std::min<size_t>(caplen, interfaces[0].second);
      frames.push_back({interfaces[0].first, body.subspan(4, caplen)});
    }
    pos += length;
  }
  return frames;
}

// The IP packet inside a frame; nullopt when the link type is unknown, an
// empty span when the frame carries something other than IP.
std::optional<ByteSpan> IpPacket(const Frame& f) {
  ByteSpan d = f.data;
  auto after_ethertype = [&](size_t at, uint16_t ethertype) -> ByteSpan {
    while ((ethertype == 0x8100 || ethertype == 0x88a8) && at + 4 <= d.size()) {
      ethertype = Load16(d, at + 2);
      at += 4;
    }
    if ((ethertype == 0x0800 || ethertype == 0x86dd) && at <= d.size()) return d.subspan(at);
    return {};
  };
  switch (f.link_type) {
    case 0:    // BSD loopback: 4-octet address family in the writer's byte order
    case 108:  // OpenBSD loopback: the same, big-endian
      return d.size() >= 4 ? d.subspan(4) : ByteSpan{};
    case 1:  // Ethernet
      return d.size() >= 14 ? after_ethertype(14, Load16(d, 12)) : ByteSpan{};
    case 9: {  // PPP, with or without the HDLC address/control octets
      size_t at = (d.size() >= 2 && d[0] == 0xff && d[1] == 0x03) ? 2 : 0;
      uint16_t protocol = Load16(d, at);
      if ((protocol == 0x0021 || protocol == 0x0057) && at + 2 <= d.size()) {
        return d.subspan(at + 2);
      }
      return ByteSpan{};
    }
    case 12:
    case 14:
    case 101:  // raw IP
      return d;
    case 113:  // Linux cooked v1
      return d.size() >= 16 ? after_ethertype(16, Load16(d, 14)) : ByteSpan{};
    case 276:  // Linux cooked v2
      return d.size() >= 20 ? after_ethertype(20, Load16(d, 0)) : ByteSpan{};
    case 178: {  // Juniper Ethernet: "MGC", flags, [extension length + TLVs], Ethernet
      if (d.size() < 4 || d[0] != 'M' || d[1] != 'G' || d[2] != 'C') return ByteSpan{};
      size_t at = 4;
      if (d[3] & 0x80) at += 2 + Load16(d, 4);
      if ((d[3] & 0x02) || at + 14 > d.size()) return ByteSpan{};  // no L2 header: not seen
      return after_ethertype(at + 14, Load16(d, at + 12));
    }
    default:
      return std::nullopt;
  }
}

std::string Endpoint(ByteSpan address, uint16_t port) {
  if (address.size() == 4) {
    return core::Ipv4Addr(Load32(address, 0, false)).ToString() + ":" + std::to_string(port);
  }
  std::array<uint8_t, 16> bytes{};
  std::copy(address.begin(), address.end(), bytes.begin());
  return "[" + core::Ipv6Addr(bytes).ToString() + "]:" + std::to_string(port);
}

// The port-179 segment in an IP packet, if there is one. IPv4 fragments
// other than the first and IPv6 extension headers are not followed.
std::optional<TcpSegment> BgpSegment(ByteSpan ip) {
  if (ip.empty()) return std::nullopt;
  size_t header = 0;
  size_t total = 0;
  uint8_t protocol = 0;
  ByteSpan src, dst;
  if ((ip[0] >> 4) == 4 && ip.size() >= 20) {
    header = (ip[0] & 0x0f) * 4u;
    protocol = ip[9];
    src = ip.subspan(12, 4);
    dst = ip.subspan(16, 4);
    total = Load16(ip, 2);
    if ((Load16(ip, 6) & 0x1fff) != 0) return std::nullopt;  // not the first fragment
  } else if ((ip[0] >> 4) == 6 && ip.size() >= 40) {
    header = 40;
    protocol = ip[6];
    src = ip.subspan(8, 16);
    dst = ip.subspan(24, 16);
    total = 40u + Load16(ip, 4);
  } else {
    return std::nullopt;
  }
  if (protocol != 6 || header < 20 || header + 20 > ip.size() || total < header + 20) {
    return std::nullopt;
  }
  // The capture may hold less than the packet (snap length) or more
  // (Ethernet padding): keep what is both captured and inside the packet.
  ip = ip.first(std::min(ip.size(), total));
  ByteSpan tcp = ip.subspan(header);
  const uint16_t sport = Load16(tcp, 0);
  const uint16_t dport = Load16(tcp, 2);
  const size_t offset = (tcp[12] >> 4) * 4u;
  if ((sport != kBgpPort && dport != kBgpPort) || offset < 20 || offset > tcp.size()) {
    return std::nullopt;
  }
  TcpSegment s;
  s.flow = Endpoint(src, sport) + " > " + Endpoint(dst, dport);
  s.seq = Load32(tcp, 4, false);
  s.syn = (tcp[13] & 0x02) != 0;
  s.payload.assign(tcp.begin() + static_cast<std::ptrdiff_t>(offset), tcp.end());
  return s;
}

}  // namespace

core::Result<CaptureSegments, std::string> ReadCaptureSegments(ByteSpan file) {
  if (file.size() < 4) return core::MakeErr(std::string("too short for a pcap or pcapng file"));
  const uint32_t magic = Load32(file, 0, false);
  Frames frames = core::MakeErr(std::string());
  if (magic == 0xa1b2c3d4 || magic == 0xa1b23c4d) {
    frames = ReadPcap(file, false);
  } else if (magic == 0xd4c3b2a1 || magic == 0x4d3cb2a1) {
    frames = ReadPcap(file, true);
  } else if (magic == 0x0a0d0d0a) {
    frames = ReadPcapng(file);
  } else {
    return core::MakeErr("not a pcap or pcapng file (magic " + Hex32(magic) + ")");
  }
  if (!frames) return core::MakeErr(std::move(frames).error());
  CaptureSegments out;
  out.frames = frames->size();
  for (size_t i = 0; i < frames->size(); ++i) {
    const Frame& frame = (*frames)[i];
    auto ip = IpPacket(frame);
    if (!ip) {
      ++out.unsupported_frames;
      auto& types = out.unsupported_link_types;
      if (std::find(types.begin(), types.end(), frame.link_type) == types.end()) {
        types.push_back(frame.link_type);
      }
      continue;
    }
    if (auto segment = BgpSegment(*ip)) {
      segment->frame = i + 1;
      out.segments.push_back(std::move(*segment));
    }
  }
  return out;
}

}  // namespace vipcast::ctl
