// Conversions between core::Endpoint and the kernel's sockaddr forms, for
// the runtime's sockets (IPv4 and IPv6).
#pragma once

#include <netinet/in.h>
#include <sys/socket.h>

#include <optional>

#include "engine/core/io.h"

namespace vipcast::prod {

// Fills `out`; returns the length to pass to bind/connect/sendto.
socklen_t ToSockaddr(const core::Endpoint& endpoint, sockaddr_storage* out);
// nullopt for families other than AF_INET/AF_INET6. IPv4-mapped IPv6
// addresses come back as IPv4.
std::optional<core::Endpoint> FromSockaddr(const sockaddr_storage& address);

}  // namespace vipcast::prod
