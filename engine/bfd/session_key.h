// What identifies a BFD session to its clients: the peer, the local address
// it runs from and whether it is single-hop (RFC 5881) or multihop (RFC 5883).
// On the wire sessions are told apart by discriminators; this key is how BGP
// and configuration name them.
#pragma once

#include <compare>
#include <cstdint>
#include <string>
#include <string_view>

#include "engine/core/ip.h"

namespace vipcast::bfd {

enum class HopMode : uint8_t {
  kSingleHop,  // RFC 5881: UDP 3784, TTL 255 both ways
  kMultiHop,   // RFC 5883: UDP 4784, received TTL checked against a minimum
};

std::string_view ToString(HopMode mode);  // "single-hop" / "multihop"

struct SessionKey {
  core::IpAddr peer;
  core::IpAddr local;
  HopMode hop = HopMode::kSingleHop;

  // "10.0.0.2 from 10.0.0.1 (single-hop)"
  std::string ToString() const;
  auto operator<=>(const SessionKey&) const = default;
  bool operator==(const SessionKey&) const = default;
};

}  // namespace vipcast::bfd
