#include "prod/common/socket_address.h"

#include <arpa/inet.h>

#include <array>
#include <cstring>

namespace vipcast::prod {

socklen_t ToSockaddr(const core::Endpoint& endpoint, sockaddr_storage* out) {
  std::memset(out, 0, sizeof(*out));
  if (endpoint.address.is_v4()) {
    auto* in = reinterpret_cast<sockaddr_in*>(out);
    in->sin_family = AF_INET;
    in->sin_port = htons(endpoint.port);
    in->sin_addr.s_addr = htonl(endpoint.address.v4().value());
    return sizeof(sockaddr_in);
  }
  auto* in6 = reinterpret_cast<sockaddr_in6*>(out);
  in6->sin6_family = AF_INET6;
  in6->sin6_port = htons(endpoint.port);
  std::memcpy(in6->sin6_addr.s6_addr, endpoint.address.v6().bytes().data(), 16);
  return sizeof(sockaddr_in6);
}

std::optional<core::Endpoint> FromSockaddr(const sockaddr_storage& address) {
  if (address.ss_family == AF_INET) {
    const auto* in = reinterpret_cast<const sockaddr_in*>(&address);
    return core::Endpoint{core::Ipv4Addr(ntohl(in->sin_addr.s_addr)), ntohs(in->sin_port)};
  }
  if (address.ss_family == AF_INET6) {
    const auto* in6 = reinterpret_cast<const sockaddr_in6*>(&address);
    const uint8_t* b = in6->sin6_addr.s6_addr;
    if (IN6_IS_ADDR_V4MAPPED(&in6->sin6_addr)) {
      return core::Endpoint{core::Ipv4Addr::FromOctets(b[12], b[13], b[14], b[15]),
                            ntohs(in6->sin6_port)};
    }
    std::array<uint8_t, 16> bytes{};
    std::memcpy(bytes.data(), b, 16);
    return core::Endpoint{core::Ipv6Addr(bytes), ntohs(in6->sin6_port)};
  }
  return std::nullopt;
}

}  // namespace vipcast::prod
