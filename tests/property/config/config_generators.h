// rapidcheck generators for the whole configuration model: every kind, with
// values that are valid together (references resolve, pools are disjoint,
// timers agree), so that a generated Resources must survive
// ToYaml -> LoadManifests unchanged and without errors.
//
// The generators use rapidcheck's `*gen` form and must run inside a property.
#pragma once

#include <rapidcheck.h>

#include <algorithm>
#include <set>
#include <string>
#include <tuple>
#include <vector>

#include "engine/config/community.h"
#include "engine/config/model.h"

namespace vipcast::config::gen {

inline constexpr char kNs[] = "metallb-system";

inline size_t Count(size_t max) { return *rc::gen::inRange<size_t>(0, max + 1); }
inline bool Coin() { return *rc::gen::arbitrary<bool>(); }
inline int Between(int lo, int hi) { return *rc::gen::inRange(lo, hi + 1); }
inline std::string Pick(const std::vector<std::string>& options) {
  return *rc::gen::elementOf(options);
}

// Text that tends to break YAML emitters: YAML keywords and numbers as
// strings, indicators, quotes, surrounding spaces, line breaks.
inline std::string TrickyString() {
  static const std::vector<std::string> kTricky = {
      "",          "true",        "False",    "123",        "-1",          "0x1F",   "1e5",
      ".inf",      "null",        "~",        "yes",        "key: value",  "#hash",  " leading",
      "trailing ", "multi\nline", "'single'", "\"double\"", "- dash",      "{a: b}", "[x]",
      "@at",       "`tick",       "%pct",     "&amp",       "*star",       "!bang",  "|pipe",
      ">gt",       "=",           "a,b",      "tab\there",  "back\\slash", "---",    "...",
      "? q",       "日本語"};
  if (Coin()) return Pick(kTricky);
  return *rc::gen::container<std::string>(rc::gen::inRange<char>(32, 127));
}

inline std::string LabelKey() {
  return Pick({"", "", "example.com/", "kubernetes.io/", "a.b-c.io/"}) +
         Pick({"app", "tier", "zone", "rack", "env", "node-role", "a.b_c", "X9"});
}
inline std::string LabelValue() {
  return Pick({"", "web", "db", "edge", "1", "true", "v1.2", "a_b-c", "Null", "0x10"});
}

inline LabelMap Labels(size_t max = 3) {
  LabelMap out;
  for (size_t i = 0, n = Count(max); i < n; ++i) out[LabelKey()] = LabelValue();
  return out;
}

inline LabelMap Annotations() {
  LabelMap out;
  for (size_t i = 0, n = Count(3); i < n; ++i) out[LabelKey()] = TrickyString();
  return out;
}

inline LabelSelector Selector() {
  LabelSelector s;
  s.match_labels = Labels(2);
  std::set<std::string> keys;
  for (size_t i = 0, n = Count(2); i < n; ++i) {
    LabelSelectorRequirement req;
    req.key = LabelKey();
    if (!keys.insert(req.key).second) continue;
    req.op = static_cast<SelectorOperator>(Between(0, 3));
    if (req.op == SelectorOperator::kIn || req.op == SelectorOperator::kNotIn) {
      std::set<std::string> values;
      for (size_t v = 0, m = 1 + Count(2); v < m; ++v) values.insert(LabelValue());
      req.values.assign(values.begin(), values.end());
    }
    s.match_expressions.push_back(std::move(req));
  }
  return s;
}

inline std::vector<LabelSelector> Selectors(size_t max = 2) {
  std::vector<LabelSelector> out;
  for (size_t i = 0, n = Count(max); i < n; ++i) {
    LabelSelector s = Selector();
    if (std::find(out.begin(), out.end(), s) == out.end()) out.push_back(std::move(s));
  }
  return out;
}

inline ObjectMeta Meta(std::string name, std::string ns) {
  ObjectMeta meta;
  meta.name = std::move(name);
  meta.namespace_ = std::move(ns);
  meta.labels = Labels();
  meta.annotations = Annotations();
  return meta;
}

// A subset of `names`, in a random order, without repeats.
inline std::vector<std::string> SubsetOf(const std::vector<std::string>& names, size_t max) {
  std::vector<std::string> out;
  if (names.empty()) return out;
  for (size_t i = 0, n = Count(max); i < n; ++i) {
    std::string name = Pick(names);
    if (std::find(out.begin(), out.end(), name) == out.end()) out.push_back(name);
  }
  return out;
}

inline core::IpAddr Ip(bool v6) {
  if (!v6) return core::IpAddr(core::Ipv4Addr(*rc::gen::arbitrary<uint32_t>()));
  core::Uint128 v =
      (core::Uint128{*rc::gen::arbitrary<uint64_t>()} << 64) | *rc::gen::arbitrary<uint64_t>();
  return core::IpAddr(core::Ipv6Addr::FromUint128(v));
}

// Entry j of pool i lives in its own block (10.i.j.0/24 or fd00:i:j::/112),
// so entries never overlap.
inline std::string PoolEntry(size_t i, size_t j, bool v6) {
  const std::string base = v6 ? "fd00:" + std::to_string(i) + ":" + std::to_string(j) + "::"
                              : "10." + std::to_string(i) + "." + std::to_string(j) + ".";
  if (Coin()) {
    const int len = v6 ? Between(112, 128) : Between(24, 32);
    return (v6 ? base : base + "0") + "/" + std::to_string(len);
  }
  int a = Between(0, 255), b = Between(0, 255);
  if (a > b) std::swap(a, b);
  auto host = [&](int x) {
    if (!v6) return base + std::to_string(x);
    char buf[8];
    std::snprintf(buf, sizeof buf, "%x", x);
    return base + buf;
  };
  return host(a) + Pick({"-", " - ", "- "}) + host(b);
}

inline std::string CommunityText() {
  if (Coin()) {
    return std::to_string(Between(0, 65535)) + ":" + std::to_string(Between(0, 65535));
  }
  auto u32 = [] { return std::to_string(*rc::gen::arbitrary<uint32_t>()); };
  return "large:" + u32() + ":" + u32() + ":" + u32();
}

template <typename T>
void SortByKey(std::vector<T>& list) {
  std::sort(list.begin(), list.end(), [](const T& a, const T& b) {
    return std::tie(a.meta.namespace_, a.meta.name) < std::tie(b.meta.namespace_, b.meta.name);
  });
}

Resources GenResources();

}  // namespace vipcast::config::gen
