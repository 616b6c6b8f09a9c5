#include "sim/ns3/probe_wire.h"

#include <algorithm>
#include <array>

namespace vipcast::sim {

namespace {

constexpr std::array<uint8_t, 4> kMagic{'V', 'C', 'P', 'R'};

uint64_t ReadBe(const core::Bytes& b, size_t at, size_t n) {
  uint64_t v = 0;
  for (size_t i = 0; i < n; ++i) v = v << 8 | b[at + i];
  return v;
}

}  // namespace

core::Bytes ProbeRequest(uint32_t id, uint64_t seq) {
  core::Bytes out(kMagic.begin(), kMagic.end());
  for (int s = 24; s >= 0; s -= 8) out.push_back(static_cast<uint8_t>(id >> s));
  for (int s = 56; s >= 0; s -= 8) out.push_back(static_cast<uint8_t>(seq >> s));
  return out;
}

bool IsProbeRequest(const core::Bytes& bytes) {
  return bytes.size() >= kProbeRequestSize &&
         std::equal(kMagic.begin(), kMagic.end(), bytes.begin());
}

core::Bytes ProbeReply(const core::Bytes& request, const std::string& host) {
  core::Bytes out(request.begin(), request.begin() + kProbeRequestSize);
  out.insert(out.end(), host.begin(), host.end());
  return out;
}

std::optional<ParsedReply> ParseProbeReply(const core::Bytes& bytes) {
  if (!IsProbeRequest(bytes)) return std::nullopt;
  return ParsedReply{static_cast<uint32_t>(ReadBe(bytes, 4, 4)), ReadBe(bytes, 8, 8),
                     std::string(bytes.begin() + kProbeRequestSize, bytes.end())};
}

}  // namespace vipcast::sim
