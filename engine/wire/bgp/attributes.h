// Path attributes of UPDATE (RFC 4271 4.3, 5) and the per-attribute value
// codecs. Each PathAttribute keeps its flags octet as received (including the
// Extended Length bit and the unused low bits) so a decoded UPDATE
// re-encodes to the same bytes.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <variant>
#include <vector>

#include "engine/core/asn.h"
#include "engine/core/bytes.h"
#include "engine/core/ip.h"
#include "engine/core/result.h"
#include "engine/wire/bgp/as_path.h"
#include "engine/wire/bgp/constants.h"
#include "engine/wire/bgp/decode_error.h"
#include "engine/wire/bgp/session_options.h"

namespace vipcast::wire::bgp {

// RFC 4271 5.1.1.
enum class Origin : uint8_t { kIgp = 0, kEgp = 1, kIncomplete = 2 };

struct OriginAttribute {
  Origin origin = Origin::kIgp;
  bool operator==(const OriginAttribute&) const = default;
};

// RFC 4271 5.1.2; 2- or 4-octet form chosen by SessionOptions::four_octet_as.
struct AsPathAttribute {
  AsPath path;
  bool operator==(const AsPathAttribute&) const = default;
};

// RFC 4271 5.1.3.
struct NextHopAttribute {
  core::Ipv4Addr address;
  bool operator==(const NextHopAttribute&) const = default;
};

// RFC 4271 5.1.4 MULTI_EXIT_DISC.
struct MedAttribute {
  uint32_t value = 0;
  bool operator==(const MedAttribute&) const = default;
};

// RFC 4271 5.1.5.
struct LocalPrefAttribute {
  uint32_t value = 0;
  bool operator==(const LocalPrefAttribute&) const = default;
};

// RFC 4271 5.1.6.
struct AtomicAggregateAttribute {
  bool operator==(const AtomicAggregateAttribute&) const = default;
};

// RFC 4271 5.1.7, RFC 6793 4: 6 octets on 2-octet sessions, 8 otherwise.
struct AggregatorAttribute {
  core::Asn asn;
  core::Ipv4Addr address;
  bool operator==(const AggregatorAttribute&) const = default;
};

// RFC 1997: each community is 32 bits (AS:value).
struct CommunitiesAttribute {
  std::vector<uint32_t> communities;
  bool operator==(const CommunitiesAttribute&) const = default;
};

// RFC 8092 3.
struct LargeCommunity {
  uint32_t global_admin = 0;
  uint32_t local_data1 = 0;
  uint32_t local_data2 = 0;
  bool operator==(const LargeCommunity&) const = default;
};

struct LargeCommunitiesAttribute {
  std::vector<LargeCommunity> communities;
  bool operator==(const LargeCommunitiesAttribute&) const = default;
};

// RFC 4760 3. For IPv4/IPv6 unicast the NLRI are decoded into `nlri` and
// `raw_nlri` is empty; for any other family `nlri` is empty and the NLRI stay
// in `raw_nlri`. The next hop is kept as its wire bytes: 4 (IPv4), 16 (IPv6
// global) or 32 (global + link-local, RFC 2545 3) for unicast; anything for
// other families.
struct MpReachAttribute {
  uint16_t afi = 0;
  uint8_t safi = 0;
  core::Bytes next_hop;
  uint8_t reserved = 0;  // RFC 4760 3: sent as 0, ignored on receipt
  std::vector<core::Prefix> nlri;
  core::Bytes raw_nlri;

  // The global next hop (IPv4 or IPv6) for unicast families.
  std::optional<core::IpAddr> GlobalNextHop() const;
  // The link-local next hop of a 32-octet IPv6 next hop.
  std::optional<core::Ipv6Addr> LinkLocalNextHop() const;
  // An IPv4/IPv6 unicast MP_REACH_NLRI.
  static MpReachAttribute Unicast(uint16_t afi, core::IpAddr next_hop,
                                  std::optional<core::Ipv6Addr> link_local,
                                  std::vector<core::Prefix> nlri);
  bool operator==(const MpReachAttribute&) const = default;
};

// RFC 4760 4. Same split as MpReachAttribute.
struct MpUnreachAttribute {
  uint16_t afi = 0;
  uint8_t safi = 0;
  std::vector<core::Prefix> withdrawn;
  core::Bytes raw_withdrawn;
  bool operator==(const MpUnreachAttribute&) const = default;
};

// RFC 6793 3: always 4-octet AS numbers.
struct As4PathAttribute {
  AsPath path;
  bool operator==(const As4PathAttribute&) const = default;
};

// RFC 6793 3.
struct As4AggregatorAttribute {
  core::Asn asn;
  core::Ipv4Addr address;
  bool operator==(const As4AggregatorAttribute&) const = default;
};

// Any attribute this codec does not interpret, kept byte for byte
// (RFC 4271 5: unrecognized optional transitive attributes are passed on).
struct RawAttribute {
  uint8_t type = 0;
  core::Bytes value;
  bool operator==(const RawAttribute&) const = default;
};

using AttributeValue =
    std::variant<OriginAttribute, AsPathAttribute, NextHopAttribute, MedAttribute,
                 LocalPrefAttribute, AtomicAggregateAttribute, AggregatorAttribute,
                 CommunitiesAttribute, LargeCommunitiesAttribute, MpReachAttribute,
                 MpUnreachAttribute, As4PathAttribute, As4AggregatorAttribute, RawAttribute>;

uint8_t AttributeTypeCode(const AttributeValue& value);
// "ORIGIN", "AS_PATH", ..., or "" for codes without a name here.
std::string_view AttributeTypeName(uint8_t type);
// The Optional and Transitive bits RFCs prescribe for a known type; nullopt
// for types this codec does not check.
std::optional<uint8_t> ExpectedFlags(uint8_t type);

// Invariant: `flags` is the flags octet to send; the encoder adds the
// Extended Length bit when the value is longer than 255 octets.
struct PathAttribute {
  uint8_t flags = 0;
  AttributeValue value;

  uint8_t type() const { return AttributeTypeCode(value); }
  // An attribute with the flags its RFC prescribes (no Partial, no Extended
  // Length).
  static PathAttribute Make(AttributeValue value);
  bool operator==(const PathAttribute&) const = default;
};

// What went wrong with one attribute, and the RFC 7606 handling.
struct AttributeProblem {
  uint8_t subcode = 0;  // UPDATE Message Error subcode
  ErrorHandling handling = ErrorHandling::kTreatAsWithdraw;
  std::string reason;
  std::optional<AfiSafi> afi_safi;
  // Prefixes read from an MP_REACH_NLRI / MP_UNREACH_NLRI that is otherwise
  // in error (e.g. wrong flags), so they can still be withdrawn.
  std::vector<core::Prefix> prefixes;
};

// Decodes and validates one attribute value (see the table in update.cc).
core::Result<AttributeValue, AttributeProblem> DecodeAttributeValue(uint8_t flags, uint8_t type,
                                                                    core::ByteSpan value,
                                                                    const SessionOptions& options);

// Writes flags, type, length and value.
void EncodeAttribute(const PathAttribute& attribute, const SessionOptions& options,
                     core::ByteWriter& out);

// RFC 4271 5 / 9.1.4: how an attribute leaves this speaker when passed on.
// Recognized attributes and unrecognized optional transitive ones are kept,
// the latter with the Partial bit set; unrecognized optional non-transitive
// ones are dropped (nullopt).
std::optional<PathAttribute> PrepareForPropagation(const PathAttribute& attribute);

}  // namespace vipcast::wire::bgp
