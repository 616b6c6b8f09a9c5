// IP addresses, prefixes and ranges. Value types with parse/format and a
// total order (IPv4 sorts before IPv6; within a family, numerically).
#pragma once

#include <array>
#include <compare>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "engine/core/result.h"

namespace vipcast::core {

using Uint128 = unsigned __int128;

enum class IpFamily : uint8_t { kV4 = 4, kV6 = 6 };
std::string_view ToString(IpFamily family);  // "IPv4" / "IPv6"

class Ipv4Addr {
 public:
  constexpr Ipv4Addr() = default;
  constexpr explicit Ipv4Addr(uint32_t host_order) : value_(host_order) {}
  static constexpr Ipv4Addr FromOctets(uint8_t a, uint8_t b, uint8_t c, uint8_t d) {
    return Ipv4Addr((uint32_t{a} << 24) | (uint32_t{b} << 16) | (uint32_t{c} << 8) | d);
  }
  // Dotted quad, exactly four decimal octets without leading zeros (Go's
  // net.ParseIP rejects "010.0.0.1" since 1.17 to avoid octal ambiguity).
  static Result<Ipv4Addr> Parse(std::string_view text);

  constexpr uint32_t value() const { return value_; }
  std::array<uint8_t, 4> Octets() const;
  std::string ToString() const;
  constexpr auto operator<=>(const Ipv4Addr&) const = default;

 private:
  uint32_t value_ = 0;
};

class Ipv6Addr {
 public:
  constexpr Ipv6Addr() = default;
  constexpr explicit Ipv6Addr(std::array<uint8_t, 16> bytes) : bytes_(bytes) {}
  static Ipv6Addr FromUint128(Uint128 value);
  // RFC 4291 2.2 text forms, including "::" and an embedded dotted quad.
  static Result<Ipv6Addr> Parse(std::string_view text);

  constexpr const std::array<uint8_t, 16>& bytes() const { return bytes_; }
  Uint128 ToUint128() const;
  // RFC 5952 canonical text: lower case, longest zero run compressed.
  std::string ToString() const;
  bool IsLinkLocal() const { return bytes_[0] == 0xfe && (bytes_[1] & 0xc0) == 0x80; }
  bool IsMulticast() const { return bytes_[0] == 0xff; }
  constexpr auto operator<=>(const Ipv6Addr&) const = default;

 private:
  std::array<uint8_t, 16> bytes_{};
};

// Either family. Holds the family and the numeric value.
class IpAddr {
 public:
  constexpr IpAddr() = default;
  constexpr IpAddr(Ipv4Addr v4) : family_(IpFamily::kV4), v4_(v4) {}  // NOLINT: implicit widening
  constexpr IpAddr(Ipv6Addr v6) : family_(IpFamily::kV6), v6_(v6) {}  // NOLINT
  static Result<IpAddr> Parse(std::string_view text);
  // Builds an address of `family` from its numeric value (low 32 bits for IPv4).
  static IpAddr FromUint128(IpFamily family, Uint128 value);

  constexpr IpFamily family() const { return family_; }
  constexpr bool is_v4() const { return family_ == IpFamily::kV4; }
  constexpr bool is_v6() const { return family_ == IpFamily::kV6; }
  Ipv4Addr v4() const { return v4_; }
  Ipv6Addr v6() const { return v6_; }
  Uint128 ToUint128() const { return is_v4() ? Uint128{v4_.value()} : v6_.ToUint128(); }
  int BitLength() const { return is_v4() ? 32 : 128; }
  // Network byte order, 4 or 16 bytes.
  std::vector<uint8_t> Bytes() const;
  std::string ToString() const { return is_v4() ? v4_.ToString() : v6_.ToString(); }

  // The next/previous address in the same family; nullopt at the end of space.
  std::optional<IpAddr> Next() const;
  std::optional<IpAddr> Prev() const;

  std::strong_ordering operator<=>(const IpAddr& other) const;
  bool operator==(const IpAddr& other) const { return (*this <=> other) == 0; }

 private:
  IpFamily family_ = IpFamily::kV4;
  Ipv4Addr v4_;
  Ipv6Addr v6_;
};

// A CIDR block. Invariant: host bits of `network()` are zero.
class Prefix {
 public:
  Prefix() = default;
  // Masks host bits. Fails when length exceeds the family's bit length.
  static Result<Prefix> Make(IpAddr address, int length);
  // "10.0.0.0/8", "2001:db8::/32". Host bits set are accepted and masked, as
  // Go's net.ParseCIDR does; use ParseStrict to reject them.
  static Result<Prefix> Parse(std::string_view text);
  static Result<Prefix> ParseStrict(std::string_view text);

  const IpAddr& network() const { return network_; }
  int length() const { return length_; }
  IpFamily family() const { return network_.family(); }
  IpAddr First() const { return network_; }
  IpAddr Last() const;
  // Number of addresses, saturated at 2^128 - 1 for ::/0.
  Uint128 Size() const;
  bool Contains(const IpAddr& address) const;
  bool Contains(const Prefix& other) const;
  bool Overlaps(const Prefix& other) const;
  std::string ToString() const;

  // Iterates every address from First() to Last(). Use only on prefixes whose
  // size the caller has bounded.
  class Iterator {
   public:
    using value_type = IpAddr;
    Iterator() = default;
    Iterator(std::optional<IpAddr> current, IpAddr last) : current_(current), last_(last) {}
    IpAddr operator*() const { return *current_; }
    Iterator& operator++();
    bool operator==(const Iterator& o) const { return current_ == o.current_; }

   private:
    std::optional<IpAddr> current_;
    IpAddr last_;
  };
  Iterator begin() const { return Iterator(First(), Last()); }
  Iterator end() const { return Iterator(std::nullopt, Last()); }

  auto operator<=>(const Prefix& o) const {
    if (auto c = network_ <=> o.network_; c != 0) return c;
    return length_ <=> o.length_;
  }
  bool operator==(const Prefix& o) const = default;

 private:
  Prefix(IpAddr network, int length) : network_(network), length_(length) {}
  IpAddr network_;
  int length_ = 0;
};

// An inclusive address range [first, last] within one family.
class IpRange {
 public:
  IpRange() = default;
  // Fails when families differ or last < first.
  static Result<IpRange> Make(IpAddr first, IpAddr last);
  // "192.168.1.240-192.168.1.250" (spaces around '-' allowed, as MetalLB
  // trims them) or a CIDR "192.168.1.0/24".
  static Result<IpRange> Parse(std::string_view text);
  static IpRange FromPrefix(const Prefix& prefix) { return IpRange(prefix.First(), prefix.Last()); }

  const IpAddr& first() const { return first_; }
  const IpAddr& last() const { return last_; }
  IpFamily family() const { return first_.family(); }
  Uint128 Size() const;  // saturated at 2^128 - 1
  bool Contains(const IpAddr& address) const { return first_ <= address && address <= last_; }
  bool Overlaps(const IpRange& o) const { return first_ <= o.last_ && o.first_ <= last_; }
  // The smallest list of CIDR blocks covering exactly this range, ascending.
  std::vector<Prefix> ToPrefixes() const;
  std::string ToString() const;  // "a-b"

  auto operator<=>(const IpRange&) const = default;

 private:
  IpRange(IpAddr first, IpAddr last) : first_(first), last_(last) {}
  IpAddr first_;
  IpAddr last_;
};

}  // namespace vipcast::core
