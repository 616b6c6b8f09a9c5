// Anti-replay sliding window for one sender's sequence numbers, after IPsec
// ESP (RFC 4303 section 3.4.3): a sequence number is accepted once, if it is
// above the window or inside it and not yet seen; anything below the window
// is rejected. The check runs before the message is used and the window
// advances only for authenticated messages (Check, then Accept).
//
// RFC 4303 asks for a window of at least 32 and recommends 64; membership
// senders share one counter across all destinations, so a receiver sees
// gaps, and we take 256 to tolerate reordering of that many of the sender's
// messages at the cost of 32 bytes per sender.
//
// Invariant: bit i of the bitmap is set iff sequence number highest - i has
// been accepted (for i < kSize); sequence number 0 is never valid.
#pragma once

#include <array>
#include <cstddef>
#include <cstdint>

namespace vipcast::membership {

class ReplayWindow {
 public:
  static constexpr uint64_t kSize = 256;

  enum class Verdict : uint8_t { kNew, kDuplicate, kTooOld };

  Verdict Check(uint64_t sequence) const;
  // Marks `sequence` seen. Precondition: Check(sequence) == kNew.
  void Accept(uint64_t sequence);
  uint64_t highest() const { return highest_; }

 private:
  bool Test(uint64_t offset) const;
  void Set(uint64_t offset);
  void ShiftBy(uint64_t n);

  uint64_t highest_ = 0;
  std::array<uint64_t, kSize / 64> bits_{};
};

}  // namespace vipcast::membership
