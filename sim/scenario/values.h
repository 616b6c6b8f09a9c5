// Typed reads of scenario and topology values that config's readers
// (engine/config/yaml_node.h) do not cover: durations, numbers, bit rates,
// enumerations. Each reports what is wrong at the value's line and field and
// returns nullopt; null reads as absent.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "engine/config/yaml_node.h"
#include "engine/core/time.h"

namespace vipcast::sim::detail {

using config::detail::MapReader;
using config::detail::ParseContext;
using config::detail::Value;

enum class DurationRule : uint8_t { kNonNegative, kPositive };

// Go-style durations as core::Duration::Parse reads them: 250ms, 10s, 1m30s.
std::optional<core::Duration> ReadDuration(ParseContext& ctx, const Value& v,
                                           DurationRule rule = DurationRule::kPositive);
std::optional<core::Duration> GetDuration(MapReader& map, std::string_view key,
                                          DurationRule rule = DurationRule::kPositive);

// An integer or decimal number in [min, max].
std::optional<double> ReadNumber(ParseContext& ctx, const Value& v, double min, double max);

// A string that must be one of `allowed` (suggests the closest on a typo).
std::optional<std::string> ReadEnum(ParseContext& ctx, const Value& v,
                                    const std::vector<std::string>& allowed);

// A link rate as ns-3 writes it: "1Gbps", "100Mbps", "2.5Gbps", "64kbps",
// "9600bps". Must be positive.
std::optional<uint64_t> ReadBitRate(ParseContext& ctx, const Value& v);

// "a, b and c" style list for messages: "a, b, c".
std::string JoinNames(const std::vector<std::string>& names);

}  // namespace vipcast::sim::detail
