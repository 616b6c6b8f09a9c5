// Edit distance for "did you mean" suggestions on unknown field names and
// enum values.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace vipcast::config::detail {

// Levenshtein distance (insertions, deletions, substitutions; cost 1 each).
size_t EditDistance(std::string_view a, std::string_view b);

// The candidate closest to `word`, if it is close enough to be a plausible
// typo: a case-insensitive match, or at most max(2, len/3) edits (1 for names
// of four letters or fewer). Ties go to
// the earliest candidate, so suggestions do not depend on hash order.
std::optional<std::string> ClosestMatch(std::string_view word,
                                        const std::vector<std::string>& candidates);

}  // namespace vipcast::config::detail
