// A minimal pcap (libpcap 2.4, LINKTYPE_ETHERNET) writer for tests: wraps
// UDP payloads in Ethernet II, IPv4 (with a correct header checksum) and UDP
// (with a correct checksum over the RFC 768 pseudo-header) so that tshark
// can dissect what our encoders produce.
#pragma once

#include <cstdint>
#include <cstdio>
#include <string>
#include <vector>

#include "engine/core/bytes.h"
#include "engine/core/ip.h"

namespace vipcast::testing {

inline uint16_t InternetChecksum(const core::Bytes& data) {
  uint32_t sum = 0;
  for (size_t i = 0; i + 1 < data.size(); i += 2) sum += (uint32_t{data[i]} << 8) | data[i + 1];
  if (data.size() % 2 == 1) sum += uint32_t{data.back()} << 8;
  while (sum >> 16) sum = (sum & 0xffff) + (sum >> 16);
  return static_cast<uint16_t>(~sum);
}

struct UdpDatagram {
  core::Ipv4Addr src;
  core::Ipv4Addr dst;
  uint16_t src_port = 0;
  uint16_t dst_port = 0;
  uint8_t ttl = 255;
  core::Bytes payload;
};

inline core::Bytes EthernetIpv4UdpFrame(const UdpDatagram& d, uint16_t ip_id) {
  core::ByteWriter w;
  // Ethernet II: locally administered MACs, EtherType IPv4.
  w.Append(core::FromHex("02 00 00 00 00 02").value());
  w.Append(core::FromHex("02 00 00 00 00 01").value());
  w.U16(0x0800);
  // IPv4 (RFC 791), no options.
  core::ByteWriter ip;
  const uint16_t total = static_cast<uint16_t>(20 + 8 + d.payload.size());
  ip.U8(0x45);
  ip.U8(0xc0);  // DSCP CS6 (network control), as routers send BFD
  ip.U16(total);
  ip.U16(ip_id);
  ip.U16(0x4000);  // DF
  ip.U8(d.ttl);
  ip.U8(17);  // UDP
  ip.U16(0);  // checksum, patched below
  ip.U32(d.src.value());
  ip.U32(d.dst.value());
  core::Bytes header = ip.Take();
  const uint16_t ip_sum = InternetChecksum(header);
  header[10] = static_cast<uint8_t>(ip_sum >> 8);
  header[11] = static_cast<uint8_t>(ip_sum);
  w.Append(header);
  // UDP (RFC 768) with its checksum over the pseudo-header.
  const uint16_t udp_length = static_cast<uint16_t>(8 + d.payload.size());
  core::ByteWriter pseudo;
  pseudo.U32(d.src.value());
  pseudo.U32(d.dst.value());
  pseudo.U8(0);
  pseudo.U8(17);
  pseudo.U16(udp_length);
  pseudo.U16(d.src_port);
  pseudo.U16(d.dst_port);
  pseudo.U16(udp_length);
  pseudo.U16(0);
  pseudo.Append(d.payload);
  uint16_t udp_sum = InternetChecksum(pseudo.Take());
  if (udp_sum == 0) udp_sum = 0xffff;  // RFC 768: zero means "no checksum"
  w.U16(d.src_port);
  w.U16(d.dst_port);
  w.U16(udp_length);
  w.U16(udp_sum);
  w.Append(d.payload);
  return w.Take();
}

// Writes `frames` to `path`, one per millisecond. False on any I/O error.
inline bool WritePcap(const std::string& path, const std::vector<core::Bytes>& frames) {
  std::FILE* f = std::fopen(path.c_str(), "wb");
  if (f == nullptr) return false;
  auto u32le = [](core::Bytes& b, uint32_t v) {
    for (int i = 0; i < 4; ++i) b.push_back(static_cast<uint8_t>(v >> (8 * i)));
  };
  auto u16le = [](core::Bytes& b, uint16_t v) {
    b.push_back(static_cast<uint8_t>(v));
    b.push_back(static_cast<uint8_t>(v >> 8));
  };
  core::Bytes out;
  u32le(out, 0xa1b2c3d4);  // magic, microsecond timestamps
  u16le(out, 2);
  u16le(out, 4);
  u32le(out, 0);      // thiszone
  u32le(out, 0);      // sigfigs
  u32le(out, 65535);  // snaplen
  u32le(out, 1);      // LINKTYPE_ETHERNET
  uint32_t usec = 0;
  for (const core::Bytes& frame : frames) {
    usec += 1000;
    u32le(out, usec / 1000000);
    u32le(out, usec % 1000000);
    u32le(out, static_cast<uint32_t>(frame.size()));
    u32le(out, static_cast<uint32_t>(frame.size()));
    out.insert(out.end(), frame.begin(), frame.end());
  }
  const bool ok = std::fwrite(out.data(), 1, out.size(), f) == out.size();
  return std::fclose(f) == 0 && ok;
}

}  // namespace vipcast::testing
