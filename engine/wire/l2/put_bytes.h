// Big-endian stores into a buffer the caller has sized, for the encoders'
// fast path (one allocation per frame, no per-byte capacity checks). Each
// returns the position after what it wrote.
#pragma once

#include <array>
#include <cstdint>
#include <cstring>

namespace vipcast::wire::put {

inline uint8_t* U8(uint8_t* p, uint8_t v) {
  *p = v;
  return p + 1;
}
inline uint8_t* U16(uint8_t* p, uint16_t v) {
  p[0] = static_cast<uint8_t>(v >> 8);
  p[1] = static_cast<uint8_t>(v);
  return p + 2;
}
inline uint8_t* U32(uint8_t* p, uint32_t v) {
  p[0] = static_cast<uint8_t>(v >> 24);
  p[1] = static_cast<uint8_t>(v >> 16);
  p[2] = static_cast<uint8_t>(v >> 8);
  p[3] = static_cast<uint8_t>(v);
  return p + 4;
}
template <size_t N>
inline uint8_t* Bytes(uint8_t* p, const std::array<uint8_t, N>& b) {
  std::memcpy(p, b.data(), N);
  return p + N;
}

}  // namespace vipcast::wire::put
