#include "engine/wire/bgp/route_refresh.h"

#include "engine/wire/bgp/error_codes.h"

namespace vipcast::wire::bgp {

core::Result<RouteRefreshMessage, DecodeError> DecodeRouteRefreshBody(core::ByteSpan body) {
  core::ByteReader r(body);
  auto afi = r.U16();
  auto subtype = afi ? r.U8() : std::nullopt;
  auto safi = subtype ? r.U8() : std::nullopt;
  if (!safi) {
    // RFC 7313 5: Invalid Message Length.
    return core::MakeErr(MakeDecodeError(static_cast<uint8_t>(ErrorCode::kRouteRefresh), 1,
                                         "ROUTE-REFRESH shorter than 4 octets"));
  }
  RouteRefreshMessage m;
  m.afi = *afi;
  m.subtype = *subtype;
  m.safi = *safi;
  auto rest = r.Rest();
  if (!rest.empty() &&
      (m.subtype == RouteRefreshMessage::kBorr || m.subtype == RouteRefreshMessage::kEorr)) {
    return core::MakeErr(MakeDecodeError(static_cast<uint8_t>(ErrorCode::kRouteRefresh), 1,
                                         "BoRR/EoRR ROUTE-REFRESH longer than 4 octets"));
  }
  m.orf.assign(rest.begin(), rest.end());
  return m;
}

void EncodeRouteRefreshBody(const RouteRefreshMessage& refresh, core::ByteWriter& out) {
  out.U16(refresh.afi);
  out.U8(refresh.subtype);
  out.U8(refresh.safi);
  out.Append(refresh.orf);
}

}  // namespace vipcast::wire::bgp
