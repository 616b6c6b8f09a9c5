#include "engine/core/time.h"

#include <cstdio>

namespace vipcast::core {
namespace {

constexpr int64_t kNs = 1;
constexpr int64_t kUs = 1000 * kNs;
constexpr int64_t kMs = 1000 * kUs;
constexpr int64_t kSec = 1000 * kMs;
constexpr int64_t kMin = 60 * kSec;
constexpr int64_t kHour = 60 * kMin;

bool IsDigit(char c) { return c >= '0' && c <= '9'; }

// Returns the unit length in nanoseconds, or 0 when `unit` is not a Go unit.
int64_t UnitNanoseconds(std::string_view unit) {
  if (unit == "ns") return kNs;
  if (unit == "us" || unit == "\xC2\xB5s" || unit == "\xCE\xBCs") return kUs;  // µs, μs
  if (unit == "ms") return kMs;
  if (unit == "s") return kSec;
  if (unit == "m") return kMin;
  if (unit == "h") return kHour;
  return 0;
}

}  // namespace

Result<Duration> Duration::Parse(std::string_view text) {
  const std::string quoted = "\"" + std::string(text) + "\"";
  if (text.empty()) return MakeErr(std::string("empty duration"));
  if (text[0] == '-') return MakeErr("negative duration " + quoted);
  if (text[0] == '+') text.remove_prefix(1);
  if (text == "0") return Duration::Zero();
  if (text.empty()) return MakeErr("invalid duration " + quoted);

  // Go semantics: a sequence of <decimal number><unit>, e.g. "1h2m3.5s".
  __int128 total = 0;
  while (!text.empty()) {
    size_t i = 0;
    int64_t whole = 0;
    bool any_digit = false;
    while (i < text.size() && IsDigit(text[i])) {
      const int64_t digit = text[i] - '0';
      if (whole > (std::numeric_limits<int64_t>::max() - digit) / 10) {
        return MakeErr("duration out of range " + quoted);
      }
      whole = whole * 10 + digit;
      any_digit = true;
      ++i;
    }
    int64_t frac = 0;
    int64_t frac_scale = 1;
    if (i < text.size() && text[i] == '.') {
      ++i;
      while (i < text.size() && IsDigit(text[i])) {
        if (frac_scale < 1000LL * 1000 * 1000 * 1000) {  // keep 12 digits, ignore the rest
          frac = frac * 10 + (text[i] - '0');
          frac_scale *= 10;
        }
        any_digit = true;
        ++i;
      }
    }
    if (!any_digit) return MakeErr("invalid duration " + quoted);
    size_t unit_end = i;
    while (unit_end < text.size() && !IsDigit(text[unit_end]) && text[unit_end] != '.') ++unit_end;
    std::string_view unit = text.substr(i, unit_end - i);
    if (unit.empty()) return MakeErr("missing unit in duration " + quoted);
    int64_t unit_ns = UnitNanoseconds(unit);
    if (unit_ns == 0) {
      return MakeErr("unknown unit \"" + std::string(unit) + "\" in duration " + quoted);
    }
    total += static_cast<__int128>(whole) * unit_ns;
    total += static_cast<__int128>(frac) * unit_ns / frac_scale;
    if (total > std::numeric_limits<int64_t>::max() - 1) {
      return MakeErr("duration out of range " + quoted);
    }
    text.remove_prefix(unit_end);
  }
  return Duration::Nanoseconds(static_cast<int64_t>(total));
}

std::string Duration::ToString() const {
  if (IsInfinite()) return "inf";
  // Work on the magnitude as unsigned so that the most negative value (whose
  // negation does not fit in int64_t) renders instead of overflowing.
  const std::string sign = ns_ < 0 ? "-" : "";
  const uint64_t ns = ns_ < 0 ? 0 - static_cast<uint64_t>(ns_) : static_cast<uint64_t>(ns_);
  if (ns == 0) return "0s";
  constexpr uint64_t kUsU = kUs, kMsU = kMs, kSecU = kSec, kMinU = kMin, kHourU = kHour;
  if (ns < kUsU) return sign + std::to_string(ns) + "ns";
  // Below one second, print in the largest unit that keeps it exact, like Go
  // ("1.5ms", "250ms").
  auto with_fraction = [](uint64_t value, uint64_t unit, const char* suffix) {
    std::string out = std::to_string(value / unit);
    uint64_t rest = value % unit;
    if (rest != 0) {
      std::string digits;
      for (uint64_t scale = unit / 10; scale > 0 && rest != 0; scale /= 10) {
        digits.push_back(static_cast<char>('0' + rest / scale));
        rest %= scale;
      }
      out += "." + digits;
    }
    return out + suffix;
  };
  if (ns < kMsU) return sign + with_fraction(ns, kUsU, "us");
  if (ns < kSecU) return sign + with_fraction(ns, kMsU, "ms");
  std::string out;
  const uint64_t hours = ns / kHourU;
  const uint64_t minutes = ns % kHourU / kMinU;
  if (hours > 0) out += std::to_string(hours) + "h";
  if (hours > 0 || minutes > 0) out += std::to_string(minutes) + "m";
  out += with_fraction(ns % kMinU, kSecU, "s");
  return sign + out;
}

std::string TimePoint::ToString() const {
  if (IsNever()) return "never";
  // Sign and magnitude, so that -0.25s reads "-0.250000000s" (floor division
  // would print the misleading "-1.750000000s").
  const uint64_t ns = ns_ < 0 ? 0 - static_cast<uint64_t>(ns_) : static_cast<uint64_t>(ns_);
  char buf[64];
  std::snprintf(buf, sizeof buf, "%s%llu.%09llus", ns_ < 0 ? "-" : "",
                static_cast<unsigned long long>(ns / kSec),
                static_cast<unsigned long long>(ns % kSec));
  return buf;
}

}  // namespace vipcast::core
