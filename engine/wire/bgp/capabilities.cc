#include "engine/wire/bgp/capabilities.h"

#include <cassert>

#include "engine/wire/bgp/overloaded.h"

namespace vipcast::wire::bgp {
namespace {

std::string BadLength(std::string_view name, size_t length, std::string_view expected) {
  return std::string(name) + " capability has length " + std::to_string(length) + ", expected " +
         std::string(expected);
}

}  // namespace

uint8_t CapabilityCode(const Capability& capability) {
  return std::visit(
      Overloaded{
          [](const MultiprotocolCapability&) { return capability_code::kMultiprotocol; },
          [](const RouteRefreshCapability&) { return capability_code::kRouteRefresh; },
          [](const EnhancedRouteRefreshCapability&) {
            return capability_code::kEnhancedRouteRefresh;
          },
          [](const ExtendedMessageCapability&) { return capability_code::kExtendedMessage; },
          [](const FourOctetAsCapability&) { return capability_code::kFourOctetAs; },
          [](const GracefulRestartCapability&) { return capability_code::kGracefulRestart; },
          [](const UnknownCapability& c) { return c.code; },
      },
      capability);
}

core::Result<Capability, std::string> DecodeCapability(uint8_t code, core::ByteSpan value) {
  core::ByteReader r(value);
  switch (code) {
    case capability_code::kMultiprotocol: {
      // RFC 4760 8: exactly 4 octets.
      if (value.size() != 4) return core::MakeErr(BadLength("multiprotocol", value.size(), "4"));
      MultiprotocolCapability c;
      c.afi = *r.U16();
      c.reserved = *r.U8();
      c.safi = *r.U8();
      return Capability(c);
    }
    case capability_code::kRouteRefresh:
      if (!value.empty()) return core::MakeErr(BadLength("route refresh", value.size(), "0"));
      return Capability(RouteRefreshCapability{});
    case capability_code::kEnhancedRouteRefresh:
      if (!value.empty()) {
        return core::MakeErr(BadLength("enhanced route refresh", value.size(), "0"));
      }
      return Capability(EnhancedRouteRefreshCapability{});
    case capability_code::kExtendedMessage:
      if (!value.empty()) return core::MakeErr(BadLength("extended message", value.size(), "0"));
      return Capability(ExtendedMessageCapability{});
    case capability_code::kFourOctetAs: {
      // RFC 6793 3: exactly 4 octets.
      if (value.size() != 4) return core::MakeErr(BadLength("4-octet AS", value.size(), "4"));
      FourOctetAsCapability c;
      c.asn = core::Asn(*r.U32());
      return Capability(c);
    }
    case capability_code::kGracefulRestart: {
      // RFC 4724 3: 2 octets of flags and time, then 4 octets per family.
      if (value.size() < 2 || (value.size() - 2) % 4 != 0) {
        return core::MakeErr(BadLength("graceful restart", value.size(), "2 + 4n"));
      }
      GracefulRestartCapability c;
      uint16_t head = *r.U16();
      c.flags = static_cast<uint8_t>(head >> 12);
      c.restart_time = head & 0x0fff;
      while (!r.empty()) {
        GracefulRestartCapability::Family f;
        f.afi = *r.U16();
        f.safi = *r.U8();
        f.flags = *r.U8();
        c.families.push_back(f);
      }
      return Capability(std::move(c));
    }
    default: {
      UnknownCapability c;
      c.code = code;
      c.value.assign(value.begin(), value.end());
      return Capability(std::move(c));
    }
  }
}

void EncodeCapability(const Capability& capability, core::ByteWriter& out) {
  out.U8(CapabilityCode(capability));
  size_t length_at = out.Placeholder8();
  size_t start = out.size();
  std::visit(
      Overloaded{
          [&](const MultiprotocolCapability& c) {
            out.U16(c.afi);
            out.U8(c.reserved);
            out.U8(c.safi);
          },
          [](const RouteRefreshCapability&) {},
          [](const EnhancedRouteRefreshCapability&) {},
          [](const ExtendedMessageCapability&) {},
          [&](const FourOctetAsCapability& c) { out.U32(c.asn.value()); },
          [&](const GracefulRestartCapability& c) {
            out.U16(static_cast<uint16_t>(((c.flags & 0x0f) << 12) | (c.restart_time & 0x0fff)));
            for (const auto& f : c.families) {
              out.U16(f.afi);
              out.U8(f.safi);
              out.U8(f.flags);
            }
          },
          [&](const UnknownCapability& c) { out.Append(c.value); },
      },
      capability);
  // Invariant of UnknownCapability (and true of every decoded capability).
  assert(out.size() - start <= 255);
  out.Patch8(length_at, static_cast<uint8_t>(out.size() - start));
}

}  // namespace vipcast::wire::bgp
