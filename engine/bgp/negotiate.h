// Our OPEN and the outcome of capability negotiation (RFC 5492): a
// capability is in use only when both sides advertised it.
#pragma once

#include <cstdint>
#include <optional>

#include "engine/core/asn.h"
#include "engine/core/time.h"
#include "engine/wire/bgp/open.h"
#include "engine/wire/bgp/session_options.h"

namespace vipcast::bgp {

struct LocalCapabilities {
  core::Asn asn;
  core::RouterId router_id;
  core::Duration hold_time = core::Duration::Seconds(90);
  bool ipv4 = true;
  bool ipv6 = true;
  bool extended_message = true;
  // RFC 4724 3.
  bool graceful_restart = false;
  // R bit: we restarted and the peer may hold our routes. A Session sets it
  // only on its OPENs before its first Established (RFC 4724 4.1).
  bool restarting = false;
  core::Duration restart_time = core::Duration::Seconds(120);
};

wire::bgp::OpenMessage BuildOpen(const LocalCapabilities& local);

struct Negotiated {
  wire::bgp::SessionOptions options;
  bool ipv4 = false;
  bool ipv6 = false;
  bool route_refresh = false;
  bool enhanced_route_refresh = false;
  // RFC 4271 4.2: the smaller of the two hold times; zero disables both
  // the hold and keepalive timers.
  core::Duration hold_time;
  // The peer's RFC 4724 capability when both sides advertised one.
  std::optional<wire::bgp::GracefulRestartCapability> peer_graceful_restart;
};

Negotiated Negotiate(const LocalCapabilities& local, const wire::bgp::OpenMessage& peer);

}  // namespace vipcast::bgp
