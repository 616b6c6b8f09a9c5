#include "engine/core/ip.h"

#include <cstdio>

namespace vipcast::core {
namespace {

constexpr Uint128 kAllOnes128 = ~Uint128{0};

Uint128 MaxValue(IpFamily family) {
  return family == IpFamily::kV4 ? Uint128{0xffffffffu} : kAllOnes128;
}

// Mask with the top `length` bits set, within the family's width.
Uint128 NetworkMask(IpFamily family, int length) {
  int bits = family == IpFamily::kV4 ? 32 : 128;
  if (length == 0) return 0;
  Uint128 host_bits = length >= bits ? 0 : (kAllOnes128 >> (128 - (bits - length)));
  return MaxValue(family) & ~host_bits;
}

std::string Quote(std::string_view text) { return "\"" + std::string(text) + "\""; }

int HexValue(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

std::string_view TrimSpaces(std::string_view s) {
  while (!s.empty() && (s.front() == ' ' || s.front() == '\t')) s.remove_prefix(1);
  while (!s.empty() && (s.back() == ' ' || s.back() == '\t')) s.remove_suffix(1);
  return s;
}

}  // namespace

std::string_view ToString(IpFamily family) {
  return family == IpFamily::kV4 ? "IPv4" : "IPv6";
}

// ---------------------------------------------------------------- Ipv4Addr

Result<Ipv4Addr> Ipv4Addr::Parse(std::string_view text) {
  uint32_t value = 0;
  int octets = 0;
  size_t i = 0;
  while (octets < 4) {
    if (i >= text.size() || text[i] < '0' || text[i] > '9') {
      return MakeErr("invalid IPv4 address " + Quote(text));
    }
    size_t start = i;
    uint32_t octet = 0;
    while (i < text.size() && text[i] >= '0' && text[i] <= '9' && i - start < 4) {
      octet = octet * 10 + static_cast<uint32_t>(text[i] - '0');
      ++i;
    }
    if (octet > 255 || i - start > 3 || (i - start > 1 && text[start] == '0')) {
      return MakeErr("invalid IPv4 address " + Quote(text));
    }
    value = (value << 8) | octet;
    ++octets;
    if (octets < 4) {
      if (i >= text.size() || text[i] != '.') return MakeErr("invalid IPv4 address " + Quote(text));
      ++i;
    }
  }
  if (i != text.size()) return MakeErr("invalid IPv4 address " + Quote(text));
  return Ipv4Addr(value);
}

std::array<uint8_t, 4> Ipv4Addr::Octets() const {
  return {static_cast<uint8_t>(value_ >> 24), static_cast<uint8_t>(value_ >> 16),
          static_cast<uint8_t>(value_ >> 8), static_cast<uint8_t>(value_)};
}

std::string Ipv4Addr::ToString() const {
  auto o = Octets();
  char buf[16];
  std::snprintf(buf, sizeof buf, "%u.%u.%u.%u", o[0], o[1], o[2], o[3]);
  return buf;
}

// ---------------------------------------------------------------- Ipv6Addr

Ipv6Addr Ipv6Addr::FromUint128(Uint128 value) {
  std::array<uint8_t, 16> b{};
  for (int i = 15; i >= 0; --i) {
    b[static_cast<size_t>(i)] = static_cast<uint8_t>(value & 0xff);
    value >>= 8;
  }
  return Ipv6Addr(b);
}

Uint128 Ipv6Addr::ToUint128() const {
  Uint128 v = 0;
  for (uint8_t byte : bytes_) v = (v << 8) | byte;
  return v;
}

Result<Ipv6Addr> Ipv6Addr::Parse(std::string_view text) {
  auto fail = [&] { return MakeErr("invalid IPv6 address " + Quote(text)); };
  // Groups before and after "::".
  std::array<uint16_t, 8> head{}, tail{};
  int head_n = 0, tail_n = 0;
  bool seen_gap = false;
  std::string_view rest = text;
  if (rest.size() >= 2 && rest.substr(0, 2) == "::") {
    seen_gap = true;
    rest.remove_prefix(2);
    if (rest.empty()) return Ipv6Addr();
  } else if (!rest.empty() && rest.front() == ':') {
    return fail();
  }
  while (!rest.empty()) {
    // An embedded IPv4 dotted quad may end the address (RFC 4291 2.2 form 3).
    size_t colon = rest.find(':');
    std::string_view token = rest.substr(0, colon);
    if (colon == std::string_view::npos && token.find('.') != std::string_view::npos) {
      auto v4 = Ipv4Addr::Parse(token);
      if (!v4) return fail();
      int& n = seen_gap ? tail_n : head_n;
      auto& groups = seen_gap ? tail : head;
      if (n + 2 > 8) return fail();
      groups[static_cast<size_t>(n++)] = static_cast<uint16_t>(v4->value() >> 16);
      groups[static_cast<size_t>(n++)] = static_cast<uint16_t>(v4->value() & 0xffff);
      rest = {};
      break;
    }
    if (token.empty() || token.size() > 4) return fail();
    uint32_t group = 0;
    for (char c : token) {
      int h = HexValue(c);
      if (h < 0) return fail();
      group = (group << 4) | static_cast<uint32_t>(h);
    }
    int& n = seen_gap ? tail_n : head_n;
    auto& groups = seen_gap ? tail : head;
    if (n >= 8) return fail();
    groups[static_cast<size_t>(n++)] = static_cast<uint16_t>(group);
    if (colon == std::string_view::npos) {
      rest = {};
      break;
    }
    rest.remove_prefix(colon + 1);
    if (!rest.empty() && rest.front() == ':') {
      if (seen_gap) return fail();  // a second "::"
      seen_gap = true;
      rest.remove_prefix(1);
      if (rest.empty()) break;
    } else if (rest.empty()) {
      return fail();  // trailing single ':'
    }
  }
  int total = head_n + tail_n;
  if (seen_gap ? total > 7 : total != 8) return fail();
  std::array<uint8_t, 16> bytes{};
  auto put = [&](int index, uint16_t g) {
    bytes[static_cast<size_t>(2 * index)] = static_cast<uint8_t>(g >> 8);
    bytes[static_cast<size_t>(2 * index + 1)] = static_cast<uint8_t>(g & 0xff);
  };
  for (int i = 0; i < head_n; ++i) put(i, head[static_cast<size_t>(i)]);
  for (int i = 0; i < tail_n; ++i) put(8 - tail_n + i, tail[static_cast<size_t>(i)]);
  return Ipv6Addr(bytes);
}

std::string Ipv6Addr::ToString() const {
  std::array<uint16_t, 8> g{};
  for (size_t i = 0; i < 8; ++i) g[i] = static_cast<uint16_t>((bytes_[2 * i] << 8) | bytes_[2 * i + 1]);
  // RFC 5952 4.2: compress the longest run of two or more zero groups, the
  // first one when tied.
  int best_start = -1, best_len = 0;
  for (int i = 0; i < 8;) {
    if (g[static_cast<size_t>(i)] != 0) {
      ++i;
      continue;
    }
    int j = i;
    while (j < 8 && g[static_cast<size_t>(j)] == 0) ++j;
    if (j - i > best_len && j - i >= 2) {
      best_start = i;
      best_len = j - i;
    }
    i = j;
  }
  // RFC 5952 5: IPv4-mapped addresses keep the dotted quad.
  bool v4_mapped = g[0] == 0 && g[1] == 0 && g[2] == 0 && g[3] == 0 && g[4] == 0 && g[5] == 0xffff;
  std::string out;
  char buf[8];
  for (int i = 0; i < 8; ++i) {
    if (i == best_start) {
      out += "::";
      i += best_len - 1;
      continue;
    }
    if (v4_mapped && i == 6) {
      out += ':';  // after "::ffff"; the zero run never reaches group 6 here
      out += Ipv4Addr::FromOctets(bytes_[12], bytes_[13], bytes_[14], bytes_[15]).ToString();
      break;
    }
    if (!out.empty() && out.back() != ':') out += ':';
    std::snprintf(buf, sizeof buf, "%x", g[static_cast<size_t>(i)]);
    out += buf;
  }
  return out;
}

// ---------------------------------------------------------------- IpAddr

Result<IpAddr> IpAddr::Parse(std::string_view text) {
  if (text.find(':') != std::string_view::npos) {
    auto v6 = Ipv6Addr::Parse(text);
    if (!v6) return MakeErr(v6.error());
    return IpAddr(*v6);
  }
  auto v4 = Ipv4Addr::Parse(text);
  if (!v4) return MakeErr("invalid IP address " + Quote(text));
  return IpAddr(*v4);
}

IpAddr IpAddr::FromUint128(IpFamily family, Uint128 value) {
  if (family == IpFamily::kV4) return IpAddr(Ipv4Addr(static_cast<uint32_t>(value)));
  return IpAddr(Ipv6Addr::FromUint128(value));
}

std::vector<uint8_t> IpAddr::Bytes() const {
  if (is_v4()) {
    auto o = v4_.Octets();
    return {o.begin(), o.end()};
  }
  return {v6_.bytes().begin(), v6_.bytes().end()};
}

std::optional<IpAddr> IpAddr::Next() const {
  Uint128 v = ToUint128();
  if (v == MaxValue(family_)) return std::nullopt;
  return FromUint128(family_, v + 1);
}

std::optional<IpAddr> IpAddr::Prev() const {
  Uint128 v = ToUint128();
  if (v == 0) return std::nullopt;
  return FromUint128(family_, v - 1);
}

std::strong_ordering IpAddr::operator<=>(const IpAddr& other) const {
  if (family_ != other.family_) return family_ <=> other.family_;
  if (is_v4()) return v4_ <=> other.v4_;
  return v6_ <=> other.v6_;
}

// ---------------------------------------------------------------- Prefix

Result<Prefix> Prefix::Make(IpAddr address, int length) {
  if (length < 0 || length > address.BitLength()) {
    return MakeErr("prefix length " + std::to_string(length) + " out of range for " +
                   std::string(core::ToString(address.family())));
  }
  Uint128 masked = address.ToUint128() & NetworkMask(address.family(), length);
  return Prefix(IpAddr::FromUint128(address.family(), masked), length);
}

namespace {
Result<std::pair<IpAddr, int>> SplitCidr(std::string_view text) {
  size_t slash = text.find('/');
  if (slash == std::string_view::npos) return MakeErr("invalid CIDR " + Quote(text) + ": missing /");
  auto address = IpAddr::Parse(text.substr(0, slash));
  if (!address) return MakeErr("invalid CIDR " + Quote(text) + ": " + address.error());
  std::string_view len_text = text.substr(slash + 1);
  if (len_text.empty() || len_text.size() > 3) return MakeErr("invalid CIDR " + Quote(text));
  int length = 0;
  for (char c : len_text) {
    if (c < '0' || c > '9') return MakeErr("invalid CIDR " + Quote(text));
    length = length * 10 + (c - '0');
  }
  if (len_text.size() > 1 && len_text[0] == '0') return MakeErr("invalid CIDR " + Quote(text));
  if (length > address->BitLength()) {
    return MakeErr("invalid CIDR " + Quote(text) + ": prefix length " + std::to_string(length) +
                   " exceeds " + std::to_string(address->BitLength()));
  }
  return std::pair{*address, length};
}
}  // namespace

Result<Prefix> Prefix::Parse(std::string_view text) {
  auto parts = SplitCidr(text);
  if (!parts) return MakeErr(parts.error());
  return Make(parts->first, parts->second);
}

Result<Prefix> Prefix::ParseStrict(std::string_view text) {
  auto parts = SplitCidr(text);
  if (!parts) return MakeErr(parts.error());
  auto prefix = Make(parts->first, parts->second);
  if (prefix && prefix->network() != parts->first) {
    return MakeErr("invalid CIDR " + Quote(text) + ": host bits set (network is " +
                   prefix->ToString() + ")");
  }
  return prefix;
}

IpAddr Prefix::Last() const {
  Uint128 host = MaxValue(family()) & ~NetworkMask(family(), length_);
  return IpAddr::FromUint128(family(), network_.ToUint128() | host);
}

Uint128 Prefix::Size() const {
  int host_bits = network_.BitLength() - length_;
  if (host_bits >= 128) return kAllOnes128;
  return Uint128{1} << host_bits;
}

bool Prefix::Contains(const IpAddr& address) const {
  if (address.family() != family()) return false;
  return (address.ToUint128() & NetworkMask(family(), length_)) == network_.ToUint128();
}

bool Prefix::Contains(const Prefix& other) const {
  return other.family() == family() && other.length_ >= length_ && Contains(other.network_);
}

bool Prefix::Overlaps(const Prefix& other) const { return Contains(other) || other.Contains(*this); }

std::string Prefix::ToString() const { return network_.ToString() + "/" + std::to_string(length_); }

Prefix::Iterator& Prefix::Iterator::operator++() {
  if (current_ && *current_ == last_) {
    current_.reset();
  } else if (current_) {
    current_ = current_->Next();
  }
  return *this;
}

// ---------------------------------------------------------------- IpRange

Result<IpRange> IpRange::Make(IpAddr first, IpAddr last) {
  if (first.family() != last.family()) {
    return MakeErr("range " + first.ToString() + "-" + last.ToString() + " mixes IPv4 and IPv6");
  }
  if (last < first) {
    return MakeErr("range " + first.ToString() + "-" + last.ToString() + " ends before it starts");
  }
  return IpRange(first, last);
}

Result<IpRange> IpRange::Parse(std::string_view text) {
  std::string_view trimmed = TrimSpaces(text);
  if (trimmed.find('/') != std::string_view::npos) {
    auto prefix = Prefix::Parse(trimmed);
    if (!prefix) return MakeErr(prefix.error());
    return FromPrefix(*prefix);
  }
  size_t dash = trimmed.find('-');
  if (dash == std::string_view::npos) {
    return MakeErr("invalid address range " + Quote(text) + ": expected a CIDR or FIRST-LAST");
  }
  auto first = IpAddr::Parse(TrimSpaces(trimmed.substr(0, dash)));
  if (!first) return MakeErr("invalid address range " + Quote(text) + ": " + first.error());
  auto last = IpAddr::Parse(TrimSpaces(trimmed.substr(dash + 1)));
  if (!last) return MakeErr("invalid address range " + Quote(text) + ": " + last.error());
  return Make(*first, *last);
}

Uint128 IpRange::Size() const {
  Uint128 span = last_.ToUint128() - first_.ToUint128();
  return span == kAllOnes128 ? span : span + 1;
}

std::vector<Prefix> IpRange::ToPrefixes() const {
  std::vector<Prefix> out;
  const IpFamily family = first_.family();
  const int bits = first_.BitLength();
  Uint128 start = first_.ToUint128();
  const Uint128 end = last_.ToUint128();
  while (true) {
    // Largest block aligned at `start` that does not pass `end`.
    int host_bits = 0;
    while (host_bits < bits) {
      Uint128 size = Uint128{1} << (host_bits + 1 >= 128 ? 127 : host_bits + 1);
      if (host_bits + 1 >= 128) break;  // ::/0 and ::/1 handled by the check below
      if ((start & (size - 1)) != 0) break;
      if (start + (size - 1) > end || start + (size - 1) < start) break;
      ++host_bits;
    }
    if (host_bits == 127 && start == 0 && end == kAllOnes128) host_bits = 128;
    out.push_back(Prefix::Make(IpAddr::FromUint128(family, start), bits - host_bits).value());
    Uint128 block_last = host_bits >= 128 ? kAllOnes128 : start + ((Uint128{1} << host_bits) - 1);
    if (block_last >= end) break;
    start = block_last + 1;
  }
  return out;
}

std::string IpRange::ToString() const { return first_.ToString() + "-" + last_.ToString(); }

}  // namespace vipcast::core
