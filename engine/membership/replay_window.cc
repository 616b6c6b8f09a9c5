#include "engine/membership/replay_window.h"

#include <cassert>

namespace vipcast::membership {

ReplayWindow::Verdict ReplayWindow::Check(uint64_t sequence) const {
  if (sequence == 0) return Verdict::kTooOld;
  if (sequence > highest_) return Verdict::kNew;
  const uint64_t offset = highest_ - sequence;
  if (offset >= kSize) return Verdict::kTooOld;
  return Test(offset) ? Verdict::kDuplicate : Verdict::kNew;
}

void ReplayWindow::Accept(uint64_t sequence) {
  assert(Check(sequence) == Verdict::kNew);
  if (sequence > highest_) {
    ShiftBy(sequence - highest_);
    highest_ = sequence;
    Set(0);
  } else {
    Set(highest_ - sequence);
  }
}

bool ReplayWindow::Test(uint64_t offset) const {
  return (bits_[offset / 64] >> (offset % 64)) & 1U;
}

void ReplayWindow::Set(uint64_t offset) { bits_[offset / 64] |= uint64_t{1} << (offset % 64); }

void ReplayWindow::ShiftBy(uint64_t n) {
  // Offsets grow by n: bit i moves to bit i + n; bits pushed past kSize fall off.
  if (n >= kSize) {
    bits_.fill(0);
    return;
  }
  const uint64_t words = n / 64;
  const uint64_t shift = n % 64;
  constexpr size_t kWords = kSize / 64;
  for (size_t i = kWords; i-- > 0;) {
    uint64_t v = 0;
    if (i >= words) {
      v = bits_[i - words] << shift;
      if (shift != 0 && i >= words + 1) v |= bits_[i - words - 1] >> (64 - shift);
    }
    bits_[i] = v;
  }
}

}  // namespace vipcast::membership
