#include "engine/wire/l2/multicast.h"

namespace vipcast::wire {

namespace {
// RFC 4291 2.7.1: FF02:0:0:0:0:1:FFXX:XXXX, i.e. these 13 bytes then 3 more.
constexpr std::array<uint8_t, 13> kSolicitedNodePrefix = {0xff, 0x02, 0, 0, 0,    0,   0,
                                                          0,    0,    0, 0, 0x01, 0xff};
}  // namespace

core::Ipv6Addr SolicitedNodeAddress(const core::Ipv6Addr& address) {
  std::array<uint8_t, 16> b{};
  for (size_t i = 0; i < kSolicitedNodePrefix.size(); ++i) b[i] = kSolicitedNodePrefix[i];
  for (size_t i = kSolicitedNodePrefix.size(); i < 16; ++i) b[i] = address.bytes()[i];
  return core::Ipv6Addr(b);
}

bool IsSolicitedNodeAddress(const core::Ipv6Addr& address) {
  for (size_t i = 0; i < kSolicitedNodePrefix.size(); ++i) {
    if (address.bytes()[i] != kSolicitedNodePrefix[i]) return false;
  }
  return true;
}

core::MacAddr MulticastMac(const core::Ipv6Addr& group) {
  const auto& g = group.bytes();
  return core::MacAddr({0x33, 0x33, g[12], g[13], g[14], g[15]});
}

}  // namespace vipcast::wire
