#include "engine/wire/bgp/framer.h"

#include <algorithm>

#include "engine/wire/bgp/constants.h"
#include "engine/wire/bgp/header.h"

namespace vipcast::wire::bgp {

MessageFramer::MessageFramer(const SessionOptions& options) : options_(options) {}

void MessageFramer::SetOptions(const SessionOptions& options) { options_ = options; }

void MessageFramer::Compact() {
  if (start_ == 0) return;
  buffer_.erase(buffer_.begin(), buffer_.begin() + static_cast<std::ptrdiff_t>(start_));
  start_ = 0;
}

size_t MessageFramer::Feed(core::ByteSpan chunk) {
  if (error_) return 0;
  Compact();
  size_t room = capacity() > buffer_.size() ? capacity() - buffer_.size() : 0;
  size_t take = std::min(room, chunk.size());
  buffer_.insert(buffer_.end(), chunk.begin(), chunk.begin() + static_cast<std::ptrdiff_t>(take));
  return take;
}

core::Result<std::optional<core::Bytes>, DecodeError> MessageFramer::Next() {
  if (error_) return core::MakeErr(*error_);
  if (buffered() < kHeaderSize) return std::optional<core::Bytes>();
  core::ByteSpan view(buffer_.data() + start_, buffered());
  auto header = DecodeHeader(view.first(kHeaderSize), options_);
  if (!header) {
    error_ = header.error();
    return core::MakeErr(*error_);
  }
  if (view.size() < header->length) return std::optional<core::Bytes>();
  core::Bytes message(view.begin(), view.begin() + header->length);
  start_ += header->length;
  if (start_ == buffer_.size()) {
    buffer_.clear();
    start_ = 0;
  }
  return std::optional<core::Bytes>(std::move(message));
}

}  // namespace vipcast::wire::bgp
