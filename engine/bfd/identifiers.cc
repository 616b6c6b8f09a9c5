#include "engine/bfd/identifiers.h"

#include "engine/bfd/transport.h"

namespace vipcast::bfd {
namespace {
constexpr int kRandomAttempts = 16;
}  // namespace

uint32_t AllocateDiscriminator(core::Rng& rng, const std::set<uint32_t>& used) {
  uint32_t candidate = 0;
  for (int i = 0; i < kRandomAttempts; ++i) {
    candidate = static_cast<uint32_t>(rng.UniformInRange(1, UINT32_MAX));
    if (!used.contains(candidate)) return candidate;
  }
  // Fewer than 2^32-1 sessions exist, so a free value is found.
  while (candidate == 0 || used.contains(candidate)) ++candidate;
  return candidate;
}

std::optional<uint16_t> AllocateSourcePort(core::Rng& rng, const std::set<uint16_t>& used) {
  constexpr int64_t kCount = int64_t{kMaxSourcePort} - kMinSourcePort + 1;
  if (static_cast<int64_t>(used.size()) >= kCount) return std::nullopt;
  int64_t offset = 0;
  for (int i = 0; i < kRandomAttempts; ++i) {
    offset = rng.UniformInRange(0, kCount - 1);
    if (!used.contains(static_cast<uint16_t>(kMinSourcePort + offset))) {
      return static_cast<uint16_t>(kMinSourcePort + offset);
    }
  }
  for (int64_t i = 1; i < kCount; ++i) {
    const auto port = static_cast<uint16_t>(kMinSourcePort + (offset + i) % kCount);
    if (!used.contains(port)) return port;
  }
  return std::nullopt;
}

}  // namespace vipcast::bfd
