// Random, unique per-engine identifiers: local discriminators (RFC 5880
// 6.8.1: "unique across all BFD sessions on this system, and nonzero"; 6.3
// advises random values so a spoofer cannot guess them) and UDP source
// ports (RFC 5881 4: 49152-65535, "SHOULD be unique among all BFD sessions").
#pragma once

#include <cstdint>
#include <optional>
#include <set>

#include "engine/core/rng.h"

namespace vipcast::bfd {

// A nonzero value not in `used`. Draws at random; after a few collisions it
// probes upwards from a random start, so it always ends when a value is free.
uint32_t AllocateDiscriminator(core::Rng& rng, const std::set<uint32_t>& used);

// A port in 49152-65535 not in `used`; nullopt when all 16384 are taken.
std::optional<uint16_t> AllocateSourcePort(core::Rng& rng, const std::set<uint16_t>& used);

}  // namespace vipcast::bfd
