// RFC 4271 4.2 OPEN message, with RFC 5492 capabilities and RFC 9072
// extended optional parameters length.
#pragma once

#include <cstdint>
#include <vector>

#include "engine/core/asn.h"
#include "engine/core/bytes.h"
#include "engine/core/result.h"
#include "engine/wire/bgp/capabilities.h"
#include "engine/wire/bgp/decode_error.h"

namespace vipcast::wire::bgp {

// One Capabilities optional parameter (RFC 5492 4, parameter type 2). Peers
// differ in whether they put all capabilities in one parameter or one in
// each; keeping the grouping lets a decoded OPEN re-encode byte for byte.
struct CapabilityParameter {
  std::vector<Capability> capabilities;
  bool operator==(const CapabilityParameter&) const = default;
};

// Invariant after a successful decode: version == 4, my_as != 0,
// bgp_identifier != 0, hold_time is 0 or >= 3.
struct OpenMessage {
  static constexpr uint8_t kCapabilitiesParameter = 2;   // RFC 5492 4
  static constexpr uint8_t kExtendedLengthMarker = 255;  // RFC 9072 2

  uint8_t version = kBgpVersion;
  // The 2-octet My Autonomous System field; AS_TRANS when the speaker's AS
  // needs 4 octets (RFC 6793 3). Use PeerAsn() for the real AS.
  uint16_t my_as = 0;
  uint16_t hold_time = 0;
  core::RouterId bgp_identifier;
  std::vector<CapabilityParameter> parameters;
  // RFC 9072: the optional parameters use 2-octet lengths. Set by the decoder
  // when the peer used that form; the encoder also uses it when the
  // parameters would not fit the 1-octet form.
  bool extended_parameters_length = false;

  // Every capability, across parameters, in wire order.
  std::vector<Capability> Capabilities() const;
  // The first capability of type T, or null.
  template <typename T>
  const T* Find() const {
    for (const auto& p : parameters) {
      for (const auto& c : p.capabilities) {
        if (const T* found = std::get_if<T>(&c)) return found;
      }
    }
    return nullptr;
  }
  // RFC 6793 4.1: the 4-octet AS capability's AS if present, else My AS.
  core::Asn PeerAsn() const;

  bool operator==(const OpenMessage&) const = default;
};

// Decodes the body that follows the header. Errors are session resets with
// the RFC 4271 6.2 NOTIFICATION (see the table in open.cc).
core::Result<OpenMessage, DecodeError> DecodeOpenBody(core::ByteSpan body);

void EncodeOpenBody(const OpenMessage& open, core::ByteWriter& out);

}  // namespace vipcast::wire::bgp
