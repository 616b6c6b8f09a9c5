// Splits a BGP byte stream (TCP) into whole messages. Sans-IO: the runtime
// feeds whatever chunks it read; the framer hands back complete messages or
// the header error that ends the session.
#pragma once

#include <cstddef>
#include <optional>

#include "engine/core/bytes.h"
#include "engine/core/result.h"
#include "engine/wire/bgp/decode_error.h"
#include "engine/wire/bgp/session_options.h"

namespace vipcast::wire::bgp {

// Invariants: buffers at most MaxMessageSize(options) octets (one maximal
// message), so a peer cannot make it grow without bound; after a header
// error every call to Next() returns that error again (the stream has lost
// framing, RFC 4271 6.1, and the session must close).
class MessageFramer {
 public:
  explicit MessageFramer(const SessionOptions& options = {});

  // RFC 8654: called once the OPEN exchange agrees on Extended Message.
  // Lowering the limit below what is buffered is a programming error.
  void SetOptions(const SessionOptions& options);

  // Appends as much of `chunk` as fits and returns how many octets were
  // taken; the caller keeps the rest and offers it again after draining
  // Next(). Takes nothing once in the error state.
  size_t Feed(core::ByteSpan chunk);

  // The next whole message (header included), nullopt when more bytes are
  // needed, or the header error (1/1, 1/2, 1/3) that ends the session.
  core::Result<std::optional<core::Bytes>, DecodeError> Next();

  size_t buffered() const { return buffer_.size() - start_; }
  size_t capacity() const { return MaxMessageSize(options_); }
  bool failed() const { return error_.has_value(); }

 private:
  void Compact();

  SessionOptions options_;
  core::Bytes buffer_;
  size_t start_ = 0;  // first unread octet in buffer_
  std::optional<DecodeError> error_;
};

}  // namespace vipcast::wire::bgp
