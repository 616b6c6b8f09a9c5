// HMAC-SHA-256 (RFC 2104, FIPS 180-4) keyed once with the cluster's shared
// secret and truncated to 128 bits, as HMAC-SHA-256-128 is in IPsec (RFC 4868
// 2.1.1; RFC 2104 section 5 allows truncation to no less than half the hash
// output). 128 bits leave a forger a 2^-128 chance per attempt, and save 16
// bytes per datagram for piggybacked gossip.
#pragma once

#include <array>
#include <cstdint>
#include <memory>

#include "engine/core/bytes.h"

namespace vipcast::wire::membership {

inline constexpr size_t kMacSize = 16;
// RFC 4868 2.1.1 uses 256-bit keys for HMAC-SHA-256; RFC 2104 section 3 says a
// key shorter than the hash output "is strongly discouraged". We accept 16
// bytes at least (MetalLB's memberlist secret is a 128-bit AES key or longer)
// and reject shorter keys in configuration.
inline constexpr size_t kMinKeySize = 16;

using Mac = std::array<uint8_t, kMacSize>;

// Invariant: holds a keyed HMAC context; Compute() reinitialises it with the
// same key for every message. Not thread-safe (the engine is single-threaded).
class MacKey {
 public:
  explicit MacKey(core::ByteSpan key);
  ~MacKey();
  MacKey(MacKey&&) noexcept;
  MacKey& operator=(MacKey&&) noexcept;
  MacKey(const MacKey&) = delete;
  MacKey& operator=(const MacKey&) = delete;

  Mac Compute(core::ByteSpan data) const;
  // Constant-time comparison of Compute(data) with `mac` (CRYPTO_memcmp), so
  // timing does not leak how many leading bytes of a forgery were right.
  bool Verify(core::ByteSpan data, core::ByteSpan mac) const;

 private:
  struct State;
  std::unique_ptr<State> state_;
};

}  // namespace vipcast::wire::membership
