// The probes' request/reply format, ours and only between a probe sender
// and the responders on the nodes (UDP and TCP alike): "VCPR", probe id
// (u32 BE), sequence (u64 BE); a reply is the request followed by the name
// of the answering host.
#pragma once

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>

#include "engine/core/bytes.h"

namespace vipcast::sim {

inline constexpr size_t kProbeRequestSize = 16;

core::Bytes ProbeRequest(uint32_t id, uint64_t seq);
// Whether `bytes` starts with a whole request.
bool IsProbeRequest(const core::Bytes& bytes);
// `request` (its first kProbeRequestSize bytes) answered by `host`.
core::Bytes ProbeReply(const core::Bytes& request, const std::string& host);

struct ParsedReply {
  uint32_t id = 0;
  uint64_t seq = 0;
  std::string host;
};
std::optional<ParsedReply> ParseProbeReply(const core::Bytes& bytes);

}  // namespace vipcast::sim
