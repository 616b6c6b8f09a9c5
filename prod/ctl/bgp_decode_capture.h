// vipcastctl bgp-decode --pcap: the TCP port-179 segments of a packet
// capture. Reads classic pcap (either byte order, micro- or nanosecond) and
// pcapng (SHB/IDB/EPB/SPB), and the link layers the BGP captures in the wild
// use: Ethernet (with 802.1Q/802.1ad tags), Linux cooked v1/v2, raw IP, PPP,
// BSD loopback and Juniper Ethernet.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "engine/core/bytes.h"
#include "engine/core/result.h"

namespace vipcast::ctl {

struct TcpSegment {
  uint64_t frame = 0;  // 1-based, as tshark numbers frames
  // One direction of a connection: "192.0.2.1:179 > 192.0.2.2:50000"
  // (IPv6 addresses in brackets).
  std::string flow;
  uint32_t seq = 0;
  bool syn = false;
  // The captured payload. It is shorter than the segment when the capture
  // was cut (snap length); the reassembler then sees a gap.
  core::Bytes payload;
};

struct CaptureSegments {
  std::vector<TcpSegment> segments;  // port-179 segments, in capture order
  uint64_t frames = 0;
  // Frames whose link type is not one of the above, and which link types.
  uint64_t unsupported_frames = 0;
  std::vector<uint32_t> unsupported_link_types;
};

// An error names the byte offset and frame where the file stops making sense
// (a truncated or corrupt capture is unreadable input, not a BGP error).
core::Result<CaptureSegments, std::string> ReadCaptureSegments(core::ByteSpan file);

}  // namespace vipcast::ctl
