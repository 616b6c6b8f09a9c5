#include "engine/bgp/open_check.h"

#include "engine/wire/bgp/error_codes.h"

namespace vipcast::bgp {

namespace wb = wire::bgp;

namespace {
wb::NotificationMessage OpenError(uint8_t subcode, core::Bytes data = {}) {
  return {static_cast<uint8_t>(wb::ErrorCode::kOpenMessage), subcode, std::move(data)};
}
}  // namespace

bool IsInternal(const wb::OpenMessage& open, core::Asn local_as) {
  return open.PeerAsn() == local_as;
}

std::optional<wb::NotificationMessage> CheckOpen(const wb::OpenMessage& open,
                                                 const OpenExpectations& expect) {
  // RFC 4271 6.2: unsupported version; the data is the largest version we
  // support, as a 2-octet value.
  if (open.version != wb::kBgpVersion) {
    return OpenError(wb::open_error::kUnsupportedVersion, {0, wb::kBgpVersion});
  }
  // RFC 6793 4.1: the real AS is in the 4-octet AS capability. A 2-octet
  // speaker that says AS_TRANS without the capability is malformed.
  core::Asn peer = open.PeerAsn();
  bool four = open.Find<wb::FourOctetAsCapability>() != nullptr;
  if (!four && core::Asn(open.my_as) == core::Asn::Trans()) {
    return OpenError(wb::open_error::kBadPeerAs);
  }
  // RFC 6793 4.1: a 4-octet AS that fits 2 octets must match My AS.
  if (four && peer.Fits2Octets() && core::Asn(open.my_as) != peer) {
    return OpenError(wb::open_error::kBadPeerAs);
  }
  if (expect.peer_as && peer != *expect.peer_as) return OpenError(wb::open_error::kBadPeerAs);
  if (expect.dynamic_as) {
    bool internal = peer == expect.local_as;
    if ((*expect.dynamic_as == config::DynamicAsn::kInternal) != internal) {
      return OpenError(wb::open_error::kBadPeerAs);
    }
  }
  // RFC 4271 6.2: a hold time of 1 or 2 seconds is unacceptable.
  if (open.hold_time == 1 || open.hold_time == 2) {
    return OpenError(wb::open_error::kUnacceptableHoldTime);
  }
  // RFC 4271 6.2 / RFC 6286 2.2: identifier 0 is invalid, and an internal
  // peer must not use ours.
  if (open.bgp_identifier.value() == 0 ||
      (peer == expect.local_as && open.bgp_identifier == expect.local_id)) {
    return OpenError(wb::open_error::kBadBgpIdentifier);
  }
  return std::nullopt;
}

}  // namespace vipcast::bgp
