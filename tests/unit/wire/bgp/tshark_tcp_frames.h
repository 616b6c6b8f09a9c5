// One TCP connection from a vipcast speaker to a BGP router, as Ethernet
// frames for a pcap: a three-way handshake, then the speaker's BGP bytes in
// data segments that the router acknowledges, with correct IPv4 and TCP
// checksums (RFC 791, RFC 9293 3.1) so tshark can check them too. Reuses the
// pcap writer and checksum of the BFD tshark test.
#pragma once

#include <cstdint>
#include <vector>

#include "engine/core/bytes.h"
#include "engine/core/ip.h"
#include "tests/unit/wire/bfd/pcap_writer.h"

namespace vipcast::testing {

class TcpConnectionFrames {
 public:
  static constexpr uint8_t kFin = 0x01, kSyn = 0x02, kPsh = 0x08, kAck = 0x10;

  TcpConnectionFrames(core::Ipv4Addr speaker, uint16_t speaker_port, core::Ipv4Addr router,
                      uint16_t router_port)
      : speaker_{speaker, speaker_port, 0x10000000}, router_{router, router_port, 0x20000000} {
    Segment(speaker_, router_, kSyn, {});
    speaker_.seq += 1;
    Segment(router_, speaker_, kSyn | kAck, {});
    router_.seq += 1;
    Segment(speaker_, router_, kAck, {});
  }

  // One data segment from the speaker, then the router's ACK of it.
  void Send(const core::Bytes& payload) {
    Segment(speaker_, router_, kPsh | kAck, payload);
    speaker_.seq += static_cast<uint32_t>(payload.size());
    Segment(router_, speaker_, kAck, {});
  }

  const std::vector<core::Bytes>& frames() const { return frames_; }

 private:
  struct End {
    core::Ipv4Addr address;
    uint16_t port;
    uint32_t seq;
  };

  void Segment(const End& from, const End& to, uint8_t flags, const core::Bytes& payload) {
    core::ByteWriter tcp;
    tcp.U16(from.port);
    tcp.U16(to.port);
    tcp.U32(from.seq);
    tcp.U32((flags & kAck) ? to.seq : 0);
    tcp.U8(5 << 4);  // data offset: 20 octets, no options
    tcp.U8(flags);
    tcp.U16(65535);  // window
    tcp.U16(0);      // checksum, patched below
    tcp.U16(0);      // urgent pointer
    tcp.Append(payload);
    core::Bytes segment = tcp.Take();
    core::ByteWriter pseudo;  // RFC 9293 3.1 pseudo-header
    pseudo.U32(from.address.value());
    pseudo.U32(to.address.value());
    pseudo.U8(0);
    pseudo.U8(6);
    pseudo.U16(static_cast<uint16_t>(segment.size()));
    pseudo.Append(segment);
    const uint16_t tcp_sum = InternetChecksum(pseudo.Take());
    segment[16] = static_cast<uint8_t>(tcp_sum >> 8);
    segment[17] = static_cast<uint8_t>(tcp_sum);

    core::ByteWriter ip;
    ip.U8(0x45);
    ip.U8(0xc0);  // DSCP CS6: BGP is network control
    ip.U16(static_cast<uint16_t>(20 + segment.size()));
    ip.U16(ip_id_++);
    ip.U16(0x4000);  // DF
    ip.U8(1);        // TTL 1: a directly connected eBGP peer
    ip.U8(6);        // TCP
    ip.U16(0);
    ip.U32(from.address.value());
    ip.U32(to.address.value());
    core::Bytes header = ip.Take();
    const uint16_t ip_sum = InternetChecksum(header);
    header[10] = static_cast<uint8_t>(ip_sum >> 8);
    header[11] = static_cast<uint8_t>(ip_sum);

    core::ByteWriter frame;
    const bool from_speaker = from.port == speaker_.port;
    frame.Append(core::FromHex(from_speaker ? "020000000002" : "020000000001").value());
    frame.Append(core::FromHex(from_speaker ? "020000000001" : "020000000002").value());
    frame.U16(0x0800);
    frame.Append(header);
    frame.Append(segment);
    frames_.push_back(frame.Take());
  }

  End speaker_;
  End router_;
  uint16_t ip_id_ = 1;
  std::vector<core::Bytes> frames_;
};

}  // namespace vipcast::testing
