// A tiny streaming JSON writer: objects, arrays, strings, integers, booleans.
// Generic on purpose (nothing BGP-specific) so it can move to engine/core.
// Output is compact and deterministic; strings are escaped per RFC 8259 7
// and any invalid UTF-8 is replaced by U+FFFD so the output is always valid.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace vipcast::wire::bgp {

// RFC 3629 UTF-8: no overlong forms, no surrogates, nothing above U+10FFFF.
bool IsValidUtf8(std::string_view text);

// Invariant: calls must nest correctly (Key only directly inside an object,
// before each value there); misuse is a programming error caught by assert.
class JsonWriter {
 public:
  JsonWriter& BeginObject();
  JsonWriter& EndObject();
  JsonWriter& BeginArray();
  JsonWriter& EndArray();
  JsonWriter& Key(std::string_view key);
  JsonWriter& String(std::string_view value);
  JsonWriter& Int(int64_t value);
  JsonWriter& Uint(uint64_t value);
  JsonWriter& Bool(bool value);
  JsonWriter& Null();

  // Shorthands for a key followed by its value.
  JsonWriter& Field(std::string_view key, std::string_view value) { return Key(key).String(value); }
  JsonWriter& Field(std::string_view key, const char* value) { return Key(key).String(value); }
  JsonWriter& Field(std::string_view key, uint64_t value) { return Key(key).Uint(value); }
  JsonWriter& Field(std::string_view key, bool value) { return Key(key).Bool(value); }

  const std::string& str() const { return out_; }
  std::string Take() { return std::move(out_); }

 private:
  void BeforeValue();
  void WriteEscaped(std::string_view text);

  std::string out_;
  // One entry per open container: true when it already holds an element.
  std::vector<bool> has_element_;
  bool after_key_ = false;
};

}  // namespace vipcast::wire::bgp
