#include "engine/config/scalar.h"

#include <limits>

namespace vipcast::config::detail {
namespace {

constexpr std::string_view kTagPrefix = "tag:yaml.org,2002:";

bool IsDigit(char c) { return c >= '0' && c <= '9'; }

bool AllOf(std::string_view s, bool (*pred)(char)) {
  if (s.empty()) return false;
  for (char c : s) {
    if (!pred(c)) return false;
  }
  return true;
}

bool IsHex(char c) { return IsDigit(c) || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F'); }
bool IsOctal(char c) { return c >= '0' && c <= '7'; }

// [-+]?(\.[0-9]+|[0-9]+(\.[0-9]*)?)([eE][-+]?[0-9]+)?
bool IsCoreFloat(std::string_view s) {
  if (!s.empty() && (s[0] == '-' || s[0] == '+')) s.remove_prefix(1);
  if (s == ".inf" || s == ".Inf" || s == ".INF") return true;
  size_t i = 0;
  size_t int_digits = 0;
  while (i < s.size() && IsDigit(s[i])) ++i, ++int_digits;
  size_t frac_digits = 0;
  bool dot = false;
  if (i < s.size() && s[i] == '.') {
    dot = true;
    ++i;
    while (i < s.size() && IsDigit(s[i])) ++i, ++frac_digits;
  }
  if (int_digits == 0 && frac_digits == 0) return false;
  if (int_digits == 0 && !dot) return false;
  if (i < s.size() && (s[i] == 'e' || s[i] == 'E')) {
    ++i;
    if (i < s.size() && (s[i] == '-' || s[i] == '+')) ++i;
    size_t exp_digits = 0;
    while (i < s.size() && IsDigit(s[i])) ++i, ++exp_digits;
    if (exp_digits == 0) return false;
  }
  return i == s.size();
}

}  // namespace

ScalarType ResolvePlainScalar(std::string_view s) {
  if (s.empty() || s == "~" || s == "null" || s == "Null" || s == "NULL") return ScalarType::kNull;
  if (s == "true" || s == "True" || s == "TRUE" || s == "false" || s == "False" || s == "FALSE") {
    return ScalarType::kBool;
  }
  std::string_view digits = s;
  if (digits[0] == '-' || digits[0] == '+') digits.remove_prefix(1);
  if (AllOf(digits, IsDigit)) return ScalarType::kInt;
  if (s.size() > 2 && s[0] == '0' && s[1] == 'x' && AllOf(s.substr(2), IsHex)) {
    return ScalarType::kInt;
  }
  if (s.size() > 2 && s[0] == '0' && s[1] == 'o' && AllOf(s.substr(2), IsOctal)) {
    return ScalarType::kInt;
  }
  if (IsCoreFloat(s) || s == ".nan" || s == ".NaN" || s == ".NAN") return ScalarType::kFloat;
  return ScalarType::kString;
}

ScalarType ResolveScalar(const YamlNode& node) {
  if (!node.IsDefined() || node.IsNull()) return ScalarType::kNull;
  const std::string& tag = node.Tag();
  if (tag == "!") return ScalarType::kString;  // quoted
  if (tag.rfind(kTagPrefix, 0) == 0) {
    std::string_view name = std::string_view(tag).substr(kTagPrefix.size());
    if (name == "str") return ScalarType::kString;
    if (name == "null") return ScalarType::kNull;
    if (name == "bool") return ScalarType::kBool;
    if (name == "int") return ScalarType::kInt;
    if (name == "float") return ScalarType::kFloat;
  }
  return ResolvePlainScalar(node.Scalar());
}

std::optional<int64_t> ParseYamlInt(std::string_view s) {
  bool negative = false;
  if (!s.empty() && (s[0] == '-' || s[0] == '+')) {
    negative = s[0] == '-';
    s.remove_prefix(1);
  }
  int base = 10;
  if (s.size() > 2 && s[0] == '0' && (s[1] == 'x' || s[1] == 'o')) {
    base = s[1] == 'x' ? 16 : 8;
    s.remove_prefix(2);
  }
  if (s.empty()) return std::nullopt;
  // Accumulate as a negative number so that INT64_MIN fits.
  int64_t value = 0;
  const int64_t min = std::numeric_limits<int64_t>::min();
  for (char c : s) {
    int digit;
    if (IsDigit(c)) {
      digit = c - '0';
    } else if (c >= 'a' && c <= 'f') {
      digit = c - 'a' + 10;
    } else if (c >= 'A' && c <= 'F') {
      digit = c - 'A' + 10;
    } else {
      return std::nullopt;
    }
    if (digit >= base) return std::nullopt;
    if (value < (min + digit) / base) return std::nullopt;
    value = value * base - digit;
  }
  if (!negative) {
    if (value == min) return std::nullopt;
    value = -value;
  }
  return value;
}

bool ParseYamlBool(std::string_view s) { return s == "true" || s == "True" || s == "TRUE"; }

std::string Quote(std::string_view text, size_t max_len) {
  std::string out = "\"";
  size_t n = 0;
  for (char c : text) {
    if (n++ == max_len) {
      out += "...";
      break;
    }
    const auto u = static_cast<unsigned char>(c);
    if (c == '"' || c == '\\') {
      out += '\\';
      out += c;
    } else if (c == '\n') {
      out += "\\n";
    } else if (c == '\t') {
      out += "\\t";
    } else if (u < 0x20 || u == 0x7f) {
      static constexpr char kHex[] = "0123456789abcdef";
      out += "\\x";
      out += kHex[u >> 4];
      out += kHex[u & 0xf];
    } else {
      out += c;
    }
  }
  return out + "\"";
}

std::string DescribeNode(const YamlNode& node) {
  if (!node.IsDefined() || node.IsNull()) return "null";
  if (node.IsSequence()) return "a list";
  if (node.IsMap()) return "a map";
  switch (ResolveScalar(node)) {
    case ScalarType::kNull:
      return "null";
    case ScalarType::kString:
      return Quote(node.Scalar());
    default:
      // Numbers and booleans as written; bounded so a 1 MB number stays short.
      return node.Scalar().size() > 40 ? node.Scalar().substr(0, 40) + "..." : node.Scalar();
  }
}

}  // namespace vipcast::config::detail
