#include "prod/ctl/bgp_decode_stream.h"

#include <algorithm>

#include "engine/wire/bgp/constants.h"

namespace vipcast::ctl {

void BgpStreamDecoder::Write(core::ByteSpan message, MessageSource source, std::ostream& out) {
  source.Add("stream_offset", offset_);
  out << DecodedMessageJson(message, options_, source) << "\n";
  ++messages_;
}

void BgpStreamDecoder::Feed(core::ByteSpan data, const MessageSource& source, std::ostream& out) {
  size_t pos = 0;
  while (!stopped_) {
    const size_t taken = framer_.Feed(data.subspan(pos));
    unframed_.insert(unframed_.end(), data.begin() + static_cast<std::ptrdiff_t>(pos),
                     data.begin() + static_cast<std::ptrdiff_t>(pos + taken));
    pos += taken;
    bool progressed = taken > 0;
    while (true) {
      auto next = framer_.Next();
      if (!next) {
        // A header error: the codec finds the same error in the header
        // octets alone, and renders it with the message type.
        const size_t header = std::min(unframed_.size(), wire::bgp::kHeaderSize);
        Write(core::ByteSpan(unframed_).first(header), source, out);
        stopped_ = true;
        unframed_.clear();
        break;
      }
      if (!next->has_value()) break;
      progressed = true;
      const core::Bytes& message = **next;
      Write(message, source, out);
      unframed_.erase(unframed_.begin(),
                      unframed_.begin() + static_cast<std::ptrdiff_t>(message.size()));
      offset_ += message.size();
    }
    // The framer always holds room for one whole message, so a full buffer
    // yields a message; the check only guards against a framer bug.
    if (pos == data.size() || !progressed) break;
  }
}

void BgpStreamDecoder::Finish(const MessageSource& source, std::ostream& out) {
  if (stopped_ || unframed_.empty()) return;
  Write(unframed_, source, out);
  offset_ += unframed_.size();
  unframed_.clear();
  stopped_ = true;
}

void BgpStreamDecoder::Restart(uint64_t skipped, const MessageSource& source, std::ostream& out) {
  Finish(source, out);
  offset_ += skipped;
  unframed_.clear();
  framer_ = wire::bgp::MessageFramer(options_);
  stopped_ = false;
}

void TcpReassembler::Append(uint32_t relative, core::ByteSpan payload, core::Bytes& out) {
  // Octets before next_ were delivered already (a retransmission or overlap).
  const uint32_t already = next_ - relative;
  if (already >= payload.size()) return;
  out.insert(out.end(), payload.begin() + already, payload.end());
  next_ += static_cast<uint32_t>(payload.size() - already);
}

void TcpReassembler::Drain(Delivery& delivery) {
  while (!early_.empty()) {
    auto first = early_.begin();
    if (static_cast<int32_t>(first->first - next_) > 0) break;
    Append(first->first, first->second.second, delivery.data);
    early_.erase(first);
  }
}

TcpReassembler::Delivery TcpReassembler::Add(uint32_t seq, bool syn, core::ByteSpan payload,
                                             uint64_t frame) {
  if (!started_) {
    started_ = true;
    base_ = syn ? seq + 1 : seq;
  }
  Delivery delivery;
  delivery.frame = frame;
  if (payload.empty()) return delivery;
  const uint32_t relative = (syn ? seq + 1 : seq) - base_;
  // RFC 9293 3.4: compare sequence numbers modulo 2^32.
  if (static_cast<int32_t>(relative - next_) > 0) {
    auto gap = known_gaps_.find(next_);
    if (gap == known_gaps_.end() || gap->second != relative) {
      auto& held = early_[relative];
      if (payload.size() >= held.second.size())
        held = {frame, core::Bytes(payload.begin(), payload.end())};
      return delivery;
    }
    // The first pass showed that these octets never arrive.
    delivery.skipped = relative - next_;
    next_ = relative;
  }
  Append(relative, payload, delivery.data);
  Drain(delivery);
  return delivery;
}

std::vector<TcpReassembler::Delivery> TcpReassembler::Flush() {
  std::vector<Delivery> out;
  while (!early_.empty()) {
    auto first = early_.begin();
    Delivery delivery;
    delivery.frame = first->second.first;
    delivery.skipped = first->first - next_;
    skipped_gaps_[next_] = first->first;
    next_ = first->first;
    Drain(delivery);
    out.push_back(std::move(delivery));
  }
  return out;
}

}  // namespace vipcast::ctl
