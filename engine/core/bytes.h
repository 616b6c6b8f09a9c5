// Bounds-checked big-endian (network order) reading and writing. A read past
// the end returns nullopt and leaves the reader unchanged; no read can touch
// memory outside the span, so short or hostile input is never undefined
// behaviour.
#pragma once

#include <cstdint>
#include <cstring>
#include <optional>
#include <span>
#include <string>
#include <vector>

namespace vipcast::core {

using ByteSpan = std::span<const uint8_t>;
using Bytes = std::vector<uint8_t>;

class ByteReader {
 public:
  ByteReader() = default;
  explicit ByteReader(ByteSpan data) : data_(data) {}

  size_t remaining() const { return data_.size() - pos_; }
  size_t position() const { return pos_; }
  bool empty() const { return remaining() == 0; }
  ByteSpan Rest() const { return data_.subspan(pos_); }

  std::optional<uint8_t> U8() {
    if (remaining() < 1) return std::nullopt;
    return data_[pos_++];
  }
  std::optional<uint16_t> U16() {
    if (remaining() < 2) return std::nullopt;
    uint16_t v = static_cast<uint16_t>((data_[pos_] << 8) | data_[pos_ + 1]);
    pos_ += 2;
    return v;
  }
  std::optional<uint32_t> U24() {
    if (remaining() < 3) return std::nullopt;
    uint32_t v = (uint32_t{data_[pos_]} << 16) | (uint32_t{data_[pos_ + 1]} << 8) | data_[pos_ + 2];
    pos_ += 3;
    return v;
  }
  std::optional<uint32_t> U32() {
    if (remaining() < 4) return std::nullopt;
    uint32_t v = (uint32_t{data_[pos_]} << 24) | (uint32_t{data_[pos_ + 1]} << 16) |
                 (uint32_t{data_[pos_ + 2]} << 8) | data_[pos_ + 3];
    pos_ += 4;
    return v;
  }
  std::optional<uint64_t> U64() {
    if (remaining() < 8) return std::nullopt;
    uint64_t v = 0;
    for (size_t i = 0; i < 8; ++i) v = (v << 8) | data_[pos_ + i];
    pos_ += 8;
    return v;
  }
  // The next n bytes as a view into the underlying buffer.
  std::optional<ByteSpan> Take(size_t n) {
    if (remaining() < n) return std::nullopt;
    ByteSpan out = data_.subspan(pos_, n);
    pos_ += n;
    return out;
  }
  // A reader over the next n bytes; this reader moves past them.
  std::optional<ByteReader> Sub(size_t n) {
    auto span = Take(n);
    if (!span) return std::nullopt;
    return ByteReader(*span);
  }
  bool Skip(size_t n) {
    if (remaining() < n) return false;
    pos_ += n;
    return true;
  }
  template <size_t N>
  bool CopyTo(uint8_t (&out)[N]) {
    if (remaining() < N) return false;
    std::memcpy(out, data_.data() + pos_, N);
    pos_ += N;
    return true;
  }
  std::optional<uint8_t> PeekU8() const {
    if (remaining() < 1) return std::nullopt;
    return data_[pos_];
  }

 private:
  ByteSpan data_;
  size_t pos_ = 0;
};

class ByteWriter {
 public:
  ByteWriter() = default;
  explicit ByteWriter(Bytes* out) : out_(out) {}

  void U8(uint8_t v) { buf().push_back(v); }
  void U16(uint16_t v) {
    buf().push_back(static_cast<uint8_t>(v >> 8));
    buf().push_back(static_cast<uint8_t>(v));
  }
  void U24(uint32_t v) {
    buf().push_back(static_cast<uint8_t>(v >> 16));
    buf().push_back(static_cast<uint8_t>(v >> 8));
    buf().push_back(static_cast<uint8_t>(v));
  }
  void U32(uint32_t v) {
    for (int shift = 24; shift >= 0; shift -= 8) buf().push_back(static_cast<uint8_t>(v >> shift));
  }
  void U64(uint64_t v) {
    for (int shift = 56; shift >= 0; shift -= 8) buf().push_back(static_cast<uint8_t>(v >> shift));
  }
  void Append(ByteSpan data) { buf().insert(buf().end(), data.begin(), data.end()); }
  void Zeros(size_t n) { buf().insert(buf().end(), n, 0); }

  size_t size() const { return out_ ? out_->size() : own_.size(); }
  // Writes a zero placeholder to patch later, e.g. a length field whose value
  // is known only after the body is written. Returns its offset.
  size_t Placeholder8() {
    U8(0);
    return size() - 1;
  }
  size_t Placeholder16() {
    U16(0);
    return size() - 2;
  }
  void Patch8(size_t offset, uint8_t v) { buf().at(offset) = v; }
  void Patch16(size_t offset, uint16_t v) {
    buf().at(offset) = static_cast<uint8_t>(v >> 8);
    buf().at(offset + 1) = static_cast<uint8_t>(v);
  }

  const Bytes& bytes() const { return out_ ? *out_ : own_; }
  Bytes Take() { return out_ ? std::move(*out_) : std::move(own_); }

 private:
  Bytes& buf() { return out_ ? *out_ : own_; }
  Bytes* out_ = nullptr;
  Bytes own_;
};

// Lower-case hex of bytes, for logs, tests and JSON output.
std::string ToHex(ByteSpan data);
// Parses hex, ignoring whitespace and ':' separators; nullopt on an odd digit
// count or a non-hex character.
std::optional<Bytes> FromHex(std::string_view text);

}  // namespace vipcast::core
