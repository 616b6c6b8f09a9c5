// vipcastctl bgp-decode: BGP byte streams (a raw file, or one direction of a
// captured TCP connection) cut into messages by the session's own framer.
#pragma once

#include <cstdint>
#include <map>
#include <ostream>
#include <utility>
#include <vector>

#include "engine/core/bytes.h"
#include "engine/wire/bgp/framer.h"
#include "engine/wire/bgp/session_options.h"
#include "prod/ctl/bgp_decode_json.h"

namespace vipcast::ctl {

// Writes one JSON line per message as soon as its last octet arrives, with
// the message's stream offset added to the caller's source fields.
// Invariant: after a header error (RFC 4271 6.1: framing is lost and the
// session resets) the stream is over and further bytes are ignored.
class BgpStreamDecoder {
 public:
  explicit BgpStreamDecoder(const wire::bgp::SessionOptions& options)
      : options_(options), framer_(options) {}

  void Feed(core::ByteSpan data, const MessageSource& source, std::ostream& out);
  // End of input: a message cut short is reported with the length error
  // the codec gives it (1/2, or a header error when the header is cut).
  void Finish(const MessageSource& source, std::ostream& out);
  // A capture gap of `skipped` octets: finishes the stream so far and starts
  // framing afresh after the gap, where a message should begin.
  void Restart(uint64_t skipped, const MessageSource& source, std::ostream& out);

  bool stopped() const { return stopped_; }
  uint64_t messages() const { return messages_; }

 private:
  void Write(core::ByteSpan message, MessageSource source, std::ostream& out);

  wire::bgp::SessionOptions options_;
  wire::bgp::MessageFramer framer_;
  // What was fed to the framer and has not come out as a message yet (the
  // framer keeps its buffer private), starting at stream offset `offset_`.
  core::Bytes unframed_;
  uint64_t offset_ = 0;
  uint64_t messages_ = 0;
  bool stopped_ = false;
};

// Puts one direction of a TCP connection back in sequence order: drops
// retransmitted octets, holds segments that arrive early until the gap
// before them fills. Sequence numbers are taken relative to the first
// segment seen (plus one for a SYN), modulo 2^32 (RFC 9293 3.4).
// A capture can miss segments for good. A first pass over the capture finds
// those gaps (Flush); a second pass, given them, skips each gap as soon as
// the segment after it arrives, so that messages still come out in capture
// order, as tshark decodes them.
class TcpReassembler {
 public:
  // Relative sequence number where a gap starts -> where data resumes.
  using Gaps = std::map<uint32_t, uint32_t>;

  struct Delivery {
    core::Bytes data;      // newly contiguous octets, in order
    uint32_t skipped = 0;  // octets of a capture gap skipped before `data`
    uint64_t frame = 0;    // the frame whose segment completed `data`
  };

  explicit TcpReassembler(Gaps known_gaps = {}) : known_gaps_(std::move(known_gaps)) {}

  Delivery Add(uint32_t seq, bool syn, core::ByteSpan payload, uint64_t frame);
  // End of capture: the held segments, each gap before them skipped.
  std::vector<Delivery> Flush();
  // The gaps Flush skipped, for the second pass.
  const Gaps& skipped_gaps() const { return skipped_gaps_; }

 private:
  void Append(uint32_t relative, core::ByteSpan payload, core::Bytes& out);
  void Drain(Delivery& delivery);

  bool started_ = false;
  uint32_t base_ = 0;
  uint32_t next_ = 0;  // relative sequence number expected next
  // Relative sequence number -> (frame, payload) of segments beyond a gap.
  std::map<uint32_t, std::pair<uint64_t, core::Bytes>> early_;
  Gaps known_gaps_;
  Gaps skipped_gaps_;
};

}  // namespace vipcast::ctl
