// RFC 4271 6.2 OPEN message checks that depend on configuration (the codec
// already enforces the ones that do not): version, peer AS (with MetalLB's
// dynamicASN), hold time, BGP identifier.
#pragma once

#include <optional>

#include "engine/config/model.h"
#include "engine/core/asn.h"
#include "engine/wire/bgp/notification.h"
#include "engine/wire/bgp/open.h"

namespace vipcast::bgp {

struct OpenExpectations {
  core::Asn local_as;
  std::optional<core::Asn> peer_as;              // exact AS expected
  std::optional<config::DynamicAsn> dynamic_as;  // else: internal or external
  core::RouterId local_id;
};

// The NOTIFICATION to send when `open` is unacceptable, else nullopt.
std::optional<wire::bgp::NotificationMessage> CheckOpen(const wire::bgp::OpenMessage& open,
                                                        const OpenExpectations& expect);

// True when the peer is in our AS (iBGP), judged from its OPEN.
bool IsInternal(const wire::bgp::OpenMessage& open, core::Asn local_as);

}  // namespace vipcast::bgp
